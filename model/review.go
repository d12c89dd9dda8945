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
	return 0, fmt.Errorf("invalid severity %q: use high, medium, low or info", s)
}

// Finding is one thing a reviewer should look at, with what to do about it.
// It is about one workflow (Workflow set) or one token (Token set, the
// token's id), never both.
type Finding struct {
	// Rule is the stable id of the rule that found it.
	Rule     Rule
	Workflow string
	// Token is the id of the token a token finding is about.
	Token    string
	Severity Severity
	// Message names the evidence (the settings, the parameter) and what to
	// do about it.
	Message string
	// Suggest is the Authentication the fix would set, when the rule can
	// name one (tighten-from-traffic); "" otherwise.
	Suggest Auth
}

// Subject is what the finding is about, as listings show it: the workflow's
// name, or "token " and the token's id.
func (f Finding) Subject() string {
	if f.Token != "" {
		return "token " + f.Token
	}
	return f.Workflow
}

// sharedSecretKeys are parameter names that betray the old workaround of
// guarding a public workflow with a secret passed as a parameter. password
// is not one: login and signup flows rightly take a password.
var sharedSecretKeys = []string{"auth_key", "api_key", "key", "secret", "token", "authorization"}

// Review lists the risky settings among workflows, most severe first, then
// by name, so the output is stable and the worst problem is read first.
// Each message names its evidence, so a reviewer need not look it up.
func Review(workflows []Workflow) []Finding {
	var out []Finding
	add := func(w Workflow, r Rule, s Severity, msg string) {
		out = append(out, Finding{Rule: r, Workflow: w.Name, Severity: s, Message: msg})
	}
	for _, w := range workflows {
		switch exp := ExposureOf(w); {
		case exp == ExposureOpen && w.IgnorePrivacyRules:
			add(w, RuleOpenIgnoresPrivacy, SeverityHigh, "anyone can run it (public, None required) and it ignores privacy rules: require authentication or stop ignoring privacy rules")
		case exp == ExposureOpen:
			add(w, RuleOpen, SeverityMedium, "anyone can run it without a token (public, None required): keep None required only for signup/login flows, otherwise require User and admin")
		case exp == ExposureUsers && w.IgnorePrivacyRules:
			add(w, RuleUsersIgnoresPrivacy, SeverityLow, "any user token can run it (User and admin) while it ignores privacy rules: make it Admin only or stop ignoring privacy rules")
		}
		if keys := sharedSecretParameters(w); w.Public && w.Auth != AuthAdmin && len(keys) > 0 {
			add(w, RuleSharedSecretParameter, SeverityMedium, sharedSecretMessage(keys))
		}
		if w.AuthMigrated {
			add(w, RuleMigratedAuth, SeverityInfo, fmt.Sprintf("Authentication %s was derived from the old checkbox: confirm the choice", w.Auth.Label()))
		}
	}
	SortFindings(out)
	return out
}

// SortFindings orders findings most severe first, then workflow findings
// by name before token findings by id, so that the output is stable and the
// worst problem is read first whatever mix of findings is listed.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if (a.Token == "") != (b.Token == "") {
			return a.Token == ""
		}
		return strings.ToLower(a.Workflow)+a.Token < strings.ToLower(b.Workflow)+b.Token
	})
}

// sharedSecretParameters lists the keys of w's parameters that look like a
// secret, ignoring case and the -/_ spelling ("API-Key", "apiKey"), as
// written in the workflow.
func sharedSecretParameters(w Workflow) []string {
	var keys []string
	for _, p := range w.Parameters {
		k := strings.ToLower(strings.NewReplacer("-", "_", " ", "_").Replace(p.Key))
		for _, s := range sharedSecretKeys {
			if k == s || k == strings.ReplaceAll(s, "_", "") {
				keys = append(keys, p.Key)
				break
			}
		}
	}
	return keys
}

// sharedSecretMessage names the parameters a shared-secret finding is about.
func sharedSecretMessage(keys []string) string {
	if len(keys) == 1 {
		return "uses the shared-secret parameter `" + keys[0] + "`: make it Admin only and drop the parameter"
	}
	return "uses the shared-secret parameters `" + strings.Join(keys, "`, `") + "`: make it Admin only and drop the parameters"
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
