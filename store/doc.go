// Package store keeps flowgate's settings in one SQLite file, shared by the
// editor, the CLI and the runtime checker: workflows, scoped API tokens,
// protected file prefixes and share links, and the call log. Every write is
// a transaction that also appends to the change trail (what changed, by
// whom, through which part of flowgate, and the generation it produced),
// and updates use optimistic concurrency so two editors (or an editor and a
// script) can never silently overwrite each other's settings. Secrets are
// never stored: tokens and links are kept as SHA-256 hashes.
package store
