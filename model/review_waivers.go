package model

import (
	"strings"
	"time"
)

// Waiver accepts one finding: a reviewer has looked at it and decided it is
// right (a signup flow's `open`), so a CI gate stops failing on it. It names
// the rule and the subject exactly, so a new kind of finding on the same
// workflow is never waived by accident, and it may expire, so an
// acceptance is looked at again.
type Waiver struct {
	Rule Rule
	// Workflow is the name of the workflow a workflow rule's waiver is
	// about; Token the id of the token for a token rule. Never both.
	Workflow string
	Token    string
	Reason   string
	// CreatedAt is when it was given; ExpiresAt when it stops applying,
	// nil for never.
	CreatedAt time.Time
	ExpiresAt *time.Time
	// By is who gave it as they named themselves; OSUser the operating
	// system account that ran the command.
	By     string
	OSUser string
}

// Subject is what the waiver is about, spelled like Finding.Subject.
func (w Waiver) Subject() string {
	return Finding{Workflow: w.Workflow, Token: w.Token}.Subject()
}

// ActiveAt reports whether the waiver still applies at now.
func (w Waiver) ActiveAt(now time.Time) bool {
	return w.ExpiresAt == nil || now.Before(*w.ExpiresAt)
}

// Covers reports whether the waiver is about finding f: the same rule and
// the same workflow (ignoring case, as workflow names are unique) or token.
func (w Waiver) Covers(f Finding) bool {
	if w.Rule != f.Rule {
		return false
	}
	if w.Token != "" || f.Token != "" {
		return w.Token == f.Token
	}
	return strings.EqualFold(w.Workflow, f.Workflow)
}

// WaivedFinding is a finding together with the waiver that accepts it.
type WaivedFinding struct {
	Finding
	Waiver Waiver
}

// ApplyWaivers splits findings into those still open and those a waiver
// active at now accepts, both in the order given. An expired waiver
// accepts nothing: its finding is open again.
func ApplyWaivers(findings []Finding, waivers []Waiver, now time.Time) (open []Finding, waived []WaivedFinding) {
	for _, f := range findings {
		if w, ok := waiverFor(f, waivers, now); ok {
			waived = append(waived, WaivedFinding{Finding: f, Waiver: w})
		} else {
			open = append(open, f)
		}
	}
	return open, waived
}

// waiverFor is the active waiver covering f, if any.
func waiverFor(f Finding, waivers []Waiver, now time.Time) (Waiver, bool) {
	for _, w := range waivers {
		if w.ActiveAt(now) && w.Covers(f) {
			return w, true
		}
	}
	return Waiver{}, false
}

// WaiverApplies reports whether w, active at now, accepts one of findings;
// a waiver that accepts nothing is stale (its finding was fixed).
func WaiverApplies(w Waiver, findings []Finding, now time.Time) bool {
	if !w.ActiveAt(now) {
		return false
	}
	for _, f := range findings {
		if w.Covers(f) {
			return true
		}
	}
	return false
}

// MigratedWorkflows names the workflows of the migrated-auth findings,
// which listings collapse into one line (an import leaves one on almost
// every workflow).
func MigratedWorkflows(findings []Finding) []string {
	var names []string
	for _, f := range findings {
		if f.Rule == RuleMigratedAuth {
			names = append(names, f.Workflow)
		}
	}
	return names
}
