package model

import (
	"fmt"
	"sort"
	"strings"
)

// Severity ranks a review finding; a CI gate fails on findings at or above
// the level it is given.
type Severity int

// Severities from least to most urgent. Info never fails a gate.
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
)

// String is the name used in output, JSON and the --fail-on flag.
func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityLow:
		return "low"
	case SeverityMedium:
		return "medium"
	case SeverityHigh:
		return "high"
	}
	return "unknown"
}

// ParseSeverity reads a --fail-on value.
func ParseSeverity(s string) (Severity, error) {
	for _, sev := range []Severity{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh} {
		if s == sev.String() {
			return sev, nil
		}
	}
	return 0, fmt.Errorf("invalid severity %q: use high, medium or low", s)
}

// Finding is one thing a reviewer should look at, with what to do about it.
type Finding struct {
	Workflow string
	Severity Severity
	Message  string
}

// sharedSecretKeys are parameter names that betray the old workaround of
// guarding a public workflow with a secret passed as a parameter.
var sharedSecretKeys = []string{"auth_key", "api_key", "key", "secret", "token", "password", "authorization"}

// Review lists the risky settings among workflows, most severe first, then
// by name, so the output is stable and the worst problem is read first.
func Review(workflows []Workflow) []Finding {
	var out []Finding
	add := func(w Workflow, s Severity, msg string) {
		out = append(out, Finding{Workflow: w.Name, Severity: s, Message: msg})
	}
	for _, w := range workflows {
		switch exp := ExposureOf(w); {
		case exp == ExposureOpen && w.IgnorePrivacyRules:
			add(w, SeverityHigh, "anyone can run it and it ignores privacy rules: require authentication or stop ignoring privacy rules")
		case exp == ExposureOpen:
			add(w, SeverityMedium, "anyone can run it without a token: keep None required only for signup/login flows, otherwise require User and admin")
		case exp == ExposureUsers && w.IgnorePrivacyRules:
			add(w, SeverityLow, "any user token can run it while it ignores privacy rules: make it Admin only or stop ignoring privacy rules")
		}
		if w.Public && w.Auth != AuthAdmin && hasSharedSecretParameter(w) {
			add(w, SeverityMedium, "uses a shared-secret parameter; make it Admin only and drop the parameter")
		}
		if w.AuthMigrated {
			add(w, SeverityInfo, "auth migrated from the old checkbox — confirm the choice")
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		return strings.ToLower(out[i].Workflow) < strings.ToLower(out[j].Workflow)
	})
	return out
}

// hasSharedSecretParameter reports whether a parameter's key looks like a
// secret, ignoring case and the -/_ spelling ("API-Key", "apiKey").
func hasSharedSecretParameter(w Workflow) bool {
	for _, p := range w.Parameters {
		k := strings.ToLower(strings.NewReplacer("-", "_", " ", "_").Replace(p.Key))
		for _, s := range sharedSecretKeys {
			if k == s || k == strings.ReplaceAll(s, "_", "") {
				return true
			}
		}
	}
	return false
}

// CountExposures tallies workflows by exposure, with every exposure present
// (zero included) so JSON consumers always find all four keys.
func CountExposures(workflows []Workflow) map[Exposure]int {
	counts := map[Exposure]int{}
	for _, e := range Exposures {
		counts[e] = 0
	}
	for _, w := range workflows {
		counts[ExposureOf(w)]++
	}
	return counts
}
