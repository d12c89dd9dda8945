// Package checker enforces the saved workflow settings on live HTTP calls:
// it is the reverse proxy, the forward-auth endpoints for nginx, Traefik,
// Caddy and Envoy, and a middleware for Go servers. Every decision goes
// through model.Decide (workflow calls, with the token's scope) or
// model.DecideFile (paths under a protected prefix, with a token's files
// scope or a share link) against an immutable in-memory snapshot of the
// database (never the database itself), which a watcher swaps atomically
// when the file changes. Anything the checker cannot understand is denied.
package checker
