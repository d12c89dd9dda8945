// Package store keeps flowgate's settings, shared by the editor, the CLI
// and the runtime checker: workflows, scoped API tokens, protected file
// prefixes and share links, review waivers, and the call log. Every write
// is a transaction that also appends to the change trail (what changed, by
// whom, through which part of flowgate, and the generation it produced),
// and updates use optimistic concurrency so two editors (or an editor and a
// script) can never silently overwrite each other's settings. Secrets are
// never stored: tokens and links are kept as SHA-256 hashes.
//
// Two backends sit behind the one Store API: a SQLite file, the embedded
// default (nothing to install, one file to back up), and PostgreSQL, which
// several checkers share in a fleet. They differ only where SQL must: each
// has its own numbered migrations (migrations/sqlite, migrations/postgres)
// and the queries, written once, are respelled per backend as they are sent
// (see dialect). SQLite files migrate when opened; a PostgreSQL schema
// changes only through Migrate (`flowgate migrate`), since every checker of
// a fleet depends on it.
package store
