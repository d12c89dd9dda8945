package checker

import (
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

// logAccess writes the access line of one call, if there is an access log.
func (c *Checker) logAccess(via, method string, res *Result, remote string, start time.Time) {
	if c.access == nil {
		return
	}
	now := time.Now()
	c.access.write(now, via, method, res, remote, now.Sub(start))
}
