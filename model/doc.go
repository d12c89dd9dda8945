// Package model holds flowgate's domain types and the pure rules over them:
// who may call a workflow (Decide) or read a private file (DecideFile), what a
// token's scope reaches (Scope), how exposed a workflow is (Exposure), and
// what a reviewer should look at (Review). It does no I/O so that the editor, the
// runtime checker, the CLI and the importer all share one exact definition of
// every decision and can be tested exhaustively without a database or network.
package model
