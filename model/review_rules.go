package model

import "strings"

// Rule is the stable id of a review rule: what `review --json` reports under
// the key rule and what a waiver names. Messages may be reworded; a rule id
// never changes meaning once released, so scripts and waivers can rely on it.
type Rule string

// The review rules. Workflow rules are about one workflow, token rules about
// one token; RuleInfo says which.
const (
	// RuleOpenIgnoresPrivacy: a public workflow with None required that
	// ignores privacy rules: anyone can read or change any user's data.
	RuleOpenIgnoresPrivacy Rule = "open-ignores-privacy"
	// RuleOpen: a public workflow with None required.
	RuleOpen Rule = "open"
	// RuleUsersIgnoresPrivacy: any user token can run a workflow that
	// ignores privacy rules.
	RuleUsersIgnoresPrivacy Rule = "users-ignores-privacy"
	// RuleSharedSecretParameter: a public workflow short of Admin only takes
	// a parameter named like a shared secret (auth_key, api_key, …), the old
	// workaround that Admin only replaces.
	RuleSharedSecretParameter Rule = "shared-secret-parameter"
	// RuleMigratedAuth: the workflow's Authentication was derived from the
	// old checkbox by an import and nobody has confirmed it yet.
	RuleMigratedAuth Rule = "migrated-auth"
	// RuleAdminTokenUnscoped: an admin token that may call every workflow
	// and never expires.
	RuleAdminTokenUnscoped Rule = "admin-token-unscoped"
	// RuleTokenPatternMatchesNothing: a token's workflow pattern reaches no
	// workflow (a typo, or a workflow still to come).
	RuleTokenPatternMatchesNothing Rule = "token-pattern-matches-nothing"
)

// RuleSubject is what kind of thing a rule's findings are about.
type RuleSubject string

// The subjects of review rules.
const (
	RuleAboutWorkflow RuleSubject = "workflow"
	RuleAboutToken    RuleSubject = "token"
)

// RuleInfo documents one rule: its id, what its findings are about, their
// severity and one sentence on what it looks for, for help texts and for
// checking the rule a waiver names.
type RuleInfo struct {
	Rule     Rule
	Subject  RuleSubject
	Severity Severity
	Summary  string
}

// Rules lists every review rule, most severe first. Adding a rule means
// adding it here, so that it can be documented and waived.
var Rules = []RuleInfo{
	{RuleOpenIgnoresPrivacy, RuleAboutWorkflow, SeverityHigh, "public, None required, and ignores privacy rules"},
	{RuleOpen, RuleAboutWorkflow, SeverityMedium, "public with None required: anyone can run it"},
	{RuleSharedSecretParameter, RuleAboutWorkflow, SeverityMedium, "public, not Admin only, and takes a shared-secret parameter (auth_key, api_key, key, secret, token, authorization)"},
	{RuleUsersIgnoresPrivacy, RuleAboutWorkflow, SeverityLow, "any user token can run it while it ignores privacy rules"},
	{RuleAdminTokenUnscoped, RuleAboutToken, SeverityLow, "an admin token that may call every workflow and never expires"},
	{RuleMigratedAuth, RuleAboutWorkflow, SeverityInfo, "Authentication derived from the old checkbox, not yet confirmed"},
	{RuleTokenPatternMatchesNothing, RuleAboutToken, SeverityInfo, "a token's workflow pattern matches no workflow"},
	{RuleTightenFromTraffic, RuleAboutWorkflow, SeverityInfo, "every caller on record in the last 30 days holds a stronger credential than the workflow demands"},
}

// LookupRule finds a rule by its id (exactly: ids are lower case).
func LookupRule(id string) (RuleInfo, bool) {
	for _, r := range Rules {
		if string(r.Rule) == id {
			return r, true
		}
	}
	return RuleInfo{}, false
}

// RuleIDs is the list of rule ids for error messages and help.
func RuleIDs() string {
	ids := make([]string, len(Rules))
	for i, r := range Rules {
		ids[i] = string(r.Rule)
	}
	return strings.Join(ids, ", ")
}
