// Package importer reads the files of another product — Bubble app exports,
// element files, /api/1.1/meta output — and flowgate's own export, and turns
// them into workflows with a plan of what would change and a proof that every
// call is answered as before.
//
// It is its own package because a parser of another product's file shapes is
// not domain logic: model holds the workflow, its rules and Decide, and knows
// nothing of where a workflow came from. importer depends on model (it
// converts to model.Workflow, maps the old checkbox through model.LegacyAuth
// and proves the result with model.Decide); nothing in model depends on it.
// Like model it does no I/O — bytes in, items, problems, a plan and a proof
// out — so reading files and writing the store stay with cmd/flowgate.
package importer
