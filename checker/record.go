package checker

import (
	"time"

	"flowgate/model"
	"flowgate/store"
)

// Caps on what one call may put in the access log and the call log, so a
// caller cannot make flowgate write or store more than a few hundred bytes
// per call. A value over its cap is recorded as "-": it is not a name, an
// id or a method. Addresses are parsed IPs (peerIP, forwardedClientIP);
// token ids and codes come from the database and the checker, and are
// capped all the same so the bound does not depend on that.
const (
	maxLoggedWorkflow = model.MaxNameLength // a longer path segment is not a name
	maxLoggedMethod   = 32                  // the longest registered method has 17 characters
	maxLoggedTokenID  = 64                  // ids are "tok_" or "lnk_" and 12 characters
	maxLoggedCode     = 32                  // the longest code has 18 characters
	maxLoggedAddr     = len("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255")
)

// capped is s, or "-" when it is longer than limit.
func capped(s string, limit int) string {
	if len(s) > limit {
		return noValue
	}
	return s
}

// recordCall queues the decision for the call log, if there is one. remote
// is a parsed IP or "-" (see peerIP). Only names that exist become keys
// (see callSubject), so no caller can make the call log count under names
// of its choosing; every string recorded comes from the snapshot or the
// code, so the queue never holds on to a request's memory. A share link is
// recorded by its id in LinkID (its secret is never recorded).
func (c *Checker) recordCall(via string, res *Result, remote string, at time.Time) {
	if c.calls == nil {
		return
	}
	tokenID, linkID := credentialIDs(res)
	c.calls.Add(store.Call{At: at, Workflow: callSubject(res), TokenID: tokenID, LinkID: linkID, Via: via,
		Status: res.Status, Code: res.Code, RemoteAddr: remote})
}

// credentialIDs are the id of res's token, or of its share link: one of
// them is empty. The call log and the access log keep them apart.
func credentialIDs(res *Result) (tokenID, linkID string) {
	if res.Credential.Kind == model.CredentialLink {
		return "", res.Credential.TokenID
	}
	return res.Credential.TokenID, ""
}

// loggedCredentialIDs are credentialIDs capped for the access log.
func loggedCredentialIDs(res *Result) (tokenID, linkID string) {
	tokenID, linkID = credentialIDs(res)
	return capped(tokenID, maxLoggedTokenID), capped(linkID, maxLoggedTokenID)
}

// loggedSubject is what the access log names a call by: what the call log
// counts it under (callSubject) for a workflow or a file, else the name
// the caller sent, capped, or "-".
func loggedSubject(res *Result) string {
	if s := callSubject(res); s != noValue {
		return s
	}
	return orDash(capped(res.Workflow, maxLoggedWorkflow))
}

// callSubject is what the call log counts a call under: the workflow's
// stored name when it exists, the protected prefix of a file request, or
// "-" for every other path (an unknown or invalid name, or no name).
func callSubject(res *Result) string {
	switch {
	case res.workflowMethod != "":
		return res.Workflow
	case res.filePrefix != "":
		return res.filePrefix
	}
	return noValue
}

// logAccess writes the access line of one call, if there is an access log.
func (c *Checker) logAccess(via, method string, res *Result, remote string, start time.Time) {
	if c.access == nil {
		return
	}
	now := time.Now()
	c.access.write(now, via, method, res, remote, now.Sub(start))
}

// finishCall records what a call got in both logs and the metrics: the status and code set
// in res are those actually sent.
func (c *Checker) finishCall(via, method string, res *Result, remote string, start time.Time) {
	c.recordCall(via, res, remote, start)
	c.logAccess(via, method, res, remote, start)
	c.metrics.record(via, res)
}
