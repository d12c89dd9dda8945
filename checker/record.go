package checker

import (
	"context"
	"log/slog"
	"time"

	"flowgate/store"
)

// recordCall queues the decision for the call log, if there is one.
func (c *Checker) recordCall(res *Result, remote string, at time.Time) {
	if c.calls == nil {
		return
	}
	c.calls.Add(store.Call{At: at, Workflow: res.Workflow, TokenID: res.Credential.TokenID,
		Status: res.Status, Code: res.Code, RemoteAddr: remote})
}

// logAccess writes the access line of one call. It names the token by id
// only: the secret is never logged.
func (c *Checker) logAccess(via, method string, res *Result, remote string, start time.Time) {
	if !c.log.Enabled(context.Background(), slog.LevelInfo) {
		return
	}
	decision := "deny"
	if res.Allowed {
		decision = "allow"
	}
	c.log.LogAttrs(context.Background(), slog.LevelInfo, "call",
		slog.String("via", via),
		slog.String("method", method),
		slog.String("workflow", res.Workflow),
		slog.String("decision", decision),
		slog.Int("status", res.Status),
		slog.String("code", res.Code),
		slog.String("auth", res.Auth()),
		slog.String("token_id", res.Credential.TokenID),
		slog.String("remote", remote),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
	)
}
