package model

import (
	"fmt"
	"strings"
)

// RuleTightenFromTraffic: every caller the call record holds for a public
// workflow in the window presents a stronger credential than the workflow
// demands, so a stricter Authentication would break none of them (least
// privilege from recorded activity, as AWS IAM Access Analyzer generates
// policies from CloudTrail).
const RuleTightenFromTraffic Rule = "tighten-from-traffic"

// TightenFromTraffic finds the public workflows whose recorded callers
// would all still get through with a stricter Authentication, and suggests
// the strictest such: Admin only when only admin tokens called, User and
// admin when an open workflow was only ever called with tokens. Whether a
// caller gets through is asked of Decide, with each token's kind and scope
// as they are now; a workflow with no admitted call on record, or with
// calls by a token the store no longer knows, gets no finding: no record is
// no evidence. Findings are info, sorted like Review's.
func TightenFromTraffic(workflows []Workflow, t Traffic) []Finding {
	var out []Finding
	for _, w := range workflows {
		if !w.Public || w.Auth == AuthAdmin {
			continue
		}
		callers, ok := currentCallers(w, t)
		if !ok || len(callers) == 0 {
			continue
		}
		suggest := strictestAdmitting(w, callers)
		if suggest == "" {
			continue
		}
		var calls int64
		for _, c := range callers {
			calls += c.admitted
		}
		out = append(out, Finding{Rule: RuleTightenFromTraffic, Workflow: w.Name, Severity: SeverityInfo, Suggest: suggest,
			Message: fmt.Sprintf("only %s called %s %s (%s): %s would break no caller on record",
				kindsText(callers), w.Name, t.span(), plural(calls, "call"), suggest.Label())})
	}
	SortFindings(out)
	return out
}

// currentCallers are the callers of w on record whose calls were admitted
// and that w's settings admit today. ok is false when a caller cannot be
// judged (a token the store does not know).
func currentCallers(w Workflow, t Traffic) (out []trafficCaller, ok bool) {
	recorded, _ := t.callers(w.Name)
	for _, c := range recorded {
		if c.admitted == 0 {
			continue
		}
		if !c.known {
			return nil, false
		}
		if Decide(&w, c.cred, string(w.Method)).Allowed {
			out = append(out, c)
		}
	}
	return out, true
}

// strictestAdmitting is the strictest Authentication, stricter than w's,
// that Decide says admits every one of callers; "" when there is none.
func strictestAdmitting(w Workflow, callers []trafficCaller) Auth {
	for _, a := range []Auth{AuthAdmin, AuthUser} {
		if a == w.Auth {
			return ""
		}
		stricter := w
		stricter.Auth = a
		all := true
		for _, c := range callers {
			if !Decide(&stricter, c.cred, string(w.Method)).Allowed {
				all = false
				break
			}
		}
		if all {
			return a
		}
	}
	return ""
}

// kindsText names the kinds of token among callers: "admin tokens", "user
// tokens" or "user and admin tokens".
func kindsText(callers []trafficCaller) string {
	var kinds []string
	seen := map[CredentialKind]bool{}
	for _, k := range []CredentialKind{CredentialUser, CredentialAdmin} {
		for _, c := range callers {
			if c.cred.Kind == k && !seen[k] {
				seen[k] = true
				kinds = append(kinds, k.String())
			}
		}
	}
	return strings.Join(kinds, " and ") + " tokens"
}
