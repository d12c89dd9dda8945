package importer

import (
	"fmt"
	"strings"

	"flowgate/model"
)

// ProofCredentials and ProofMethods span the cases the import proof tries on
// every workflow: each credential kind, with the two methods a workflow can
// have and four it never has (each of which must be refused), giving
// 5 × 6 = 30 cases per workflow.
var (
	ProofCredentials = []model.CredentialKind{model.CredentialNone, model.CredentialMalformed, model.CredentialInvalid, model.CredentialUser, model.CredentialAdmin}
	ProofMethods     = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}
)

// ProofCasesPerWorkflow is the number of (credential, method) cases.
var ProofCasesPerWorkflow = len(ProofCredentials) * len(ProofMethods)

// Outcome is a call's result reduced to what a caller observes.
type Outcome struct {
	Allowed bool
	Status  int
	Code    string
}

// String reads "allow 200" or "deny 401 missing_token".
func (o Outcome) String() string {
	if o.Allowed {
		return fmt.Sprintf("allow %d", o.Status)
	}
	if o.Status == 0 {
		return "no outcome (" + o.Code + ")"
	}
	return fmt.Sprintf("deny %d %s", o.Status, o.Code)
}

// Mismatch is one case where the imported settings would answer a call
// differently from the source.
type Mismatch struct {
	Workflow   string
	File       string
	Credential model.CredentialKind
	Method     string
	// IfExposed is set for a case tried as if the workflow were public: a
	// scheduled-only workflow keeps its Auth for when it is exposed again,
	// so that value must be preserved too.
	IfExposed bool
	Source    Outcome
	Imported  Outcome
}

// String is the mismatch as one line for the proof report.
func (m Mismatch) String() string {
	s := fmt.Sprintf("%s (%s): credential %s, %s", m.Workflow, m.File, m.Credential, m.Method)
	if m.IfExposed {
		s += ", if exposed"
	}
	return s + ": before " + m.Source.String() + ", after import " + m.Imported.String()
}

// Proof is the result of checking every imported workflow.
type Proof struct {
	Workflows  int
	Cases      int // per workflow
	Mismatches []Mismatch
}

// Preserved reports whether every case agreed.
func (p Proof) Preserved() bool { return len(p.Mismatches) == 0 }

// Prove checks, for every item and every case, that model.Decide on the
// imported Workflow gives what the source meant — computed by
// SourceOutcome from the raw fields, not from the conversion. A workflow
// that is not public is also tried as if exposed, so the Auth it keeps for
// that day is proven too.
func Prove(items []Item) Proof {
	p := Proof{Workflows: len(items), Cases: ProofCasesPerWorkflow}
	for _, it := range items {
		exposed := it.Workflow
		exposed.Public = true
		for _, c := range ProofCredentials {
			for _, m := range ProofMethods {
				for _, ifExposed := range []bool{false, true} {
					w := it.Workflow
					if ifExposed {
						if it.Workflow.Public {
							continue // the first pass already tried it exposed
						}
						w = exposed
					}
					want := sourceOutcome(it.Format, it.Source, ifExposed, c, m)
					d := model.Decide(&w, model.Credential{Kind: c}, m)
					got := Outcome{Allowed: d.Allowed, Status: d.Status, Code: d.Code}
					if got != want {
						p.Mismatches = append(p.Mismatches, Mismatch{Workflow: it.Workflow.Name, File: it.File,
							Credential: c, Method: m, IfExposed: ifExposed, Source: want, Imported: got})
					}
				}
			}
		}
	}
	return p
}

// SourceOutcome is what a call got under the source's settings exactly as
// the input wrote them. It is the proof's independent witness: it reads the
// raw fields itself and never calls model.LegacyAuth, model.Decide or the
// converter, and spells the codes out rather than sharing model's
// constants, so a mistake in any of them shows up as a disagreement instead
// of being repeated.
func SourceOutcome(it Item, c model.CredentialKind, method string) Outcome {
	return sourceOutcome(it.Format, it.Source, false, c, method)
}

// who may run an exposed workflow, as the source said it.
type audience int

const (
	audienceUnreadable audience = iota
	audienceAnyone
	audienceSignedIn
	audienceAdmins
)

func sourceOutcome(format Format, f SourceFields, forceExposed bool, c model.CredentialKind, method string) Outcome {
	deny := func(status int, code string) Outcome { return Outcome{Status: status, Code: code} }
	// Credentials are checked before anything about the workflow, the same
	// before and after the dropdown existed.
	switch c {
	case model.CredentialMalformed:
		return deny(400, "invalid_request")
	case model.CredentialNone, model.CredentialUser, model.CredentialAdmin:
	default:
		return deny(401, "invalid_token")
	}
	exposed, ok := sourceExposed(format, f.Expose)
	if !ok {
		return deny(0, "unreadable expose")
	}
	if !exposed && !forceExposed {
		return deny(404, "not_found")
	}
	want, ok := sourceMethod(format, f.Method)
	if !ok {
		return deny(0, "unreadable method")
	}
	if method != want {
		return deny(405, "method_not_allowed")
	}
	switch sourceAudience(format, f.Auth) {
	case audienceAnyone:
		return Outcome{Allowed: true, Status: 200}
	case audienceSignedIn:
		if c == model.CredentialNone {
			return deny(401, "missing_token")
		}
		return Outcome{Allowed: true, Status: 200}
	case audienceAdmins:
		switch c {
		case model.CredentialAdmin:
			return Outcome{Allowed: true, Status: 200}
		case model.CredentialUser:
			return deny(403, "insufficient_scope")
		}
		return deny(401, "missing_token")
	}
	return deny(0, "unreadable auth")
}

// sourceExposed: Bubble's expose checkbox (absent or {"type": "Empty"} is
// unchecked); being listed in meta output; flowgate's public.
func sourceExposed(format Format, v any) (exposed, ok bool) {
	switch format {
	case FormatMeta:
		return true, true
	case FormatBubble:
		if m, isObject := v.(map[string]any); v == nil || isObject && len(m) == 1 && m["type"] == "Empty" {
			return false, true
		}
	}
	b, ok := v.(bool)
	return b, ok
}

// sourceMethod: Bubble's trigger_option and meta's method ("get"/"post" in
// any case, POST when absent); flowgate's method as written.
func sourceMethod(format Format, v any) (string, bool) {
	s, isString := v.(string)
	if format == FormatFlowgate {
		return s, isString && (s == "GET" || s == "POST")
	}
	switch {
	case v == nil:
		return "POST", true
	case isString && strings.EqualFold(s, "get"):
		return "GET", true
	case isString && strings.EqualFold(s, "post"):
		return "POST", true
	}
	return "", false
}

// sourceAudience: the old checkbox "can be run without authentication"
// (auth_unecessary true = anyone; false or absent = signed-in users; the
// newer "admin_only" = admins), or flowgate's own auth value.
func sourceAudience(format Format, v any) audience {
	if format == FormatFlowgate {
		switch v {
		case "none":
			return audienceAnyone
		case "user":
			return audienceSignedIn
		case "admin":
			return audienceAdmins
		}
		return audienceUnreadable
	}
	switch v {
	case nil, false:
		return audienceSignedIn
	case true:
		return audienceAnyone
	case "admin_only":
		return audienceAdmins
	}
	return audienceUnreadable
}
