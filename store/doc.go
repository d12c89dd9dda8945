// Package store keeps flowgate's settings in one SQLite file, shared by the
// editor, the CLI and the runtime checker. Every write is a transaction that
// also appends to the change trail, and updates use optimistic concurrency so
// two editors (or an editor and a script) can never silently overwrite each
// other's settings.
package store
