package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// TrafficWindow is how far back the impact preview and the
// tighten-from-traffic rule read the call record: 30 days, the call
// record's default retention.
const TrafficWindow = 30 * 24 * time.Hour

// recordSlack is how much later than the window's start the call record may
// begin and still count as covering the whole window: the call log prunes
// its oldest minutes about once a minute, so a record kept for exactly the
// window starts a little after it.
const recordSlack = time.Hour

// CallTally is what the call record holds about one workflow, one caller
// (a token, a share link or nobody) and one outcome over a window: how many
// calls there were. The store sums its per-minute counts into these.
type CallTally struct {
	// Workflow is the name the calls were counted under.
	Workflow string
	// TokenID is the token presented ("" for none); LinkID the share link.
	TokenID, LinkID string
	// Code is the denial code the calls got; "" when they were allowed.
	Code  string
	Count int64
}

// Admitted reports whether the access decision let these calls through:
// their code is none of Decide's denial codes. A call whose upstream then
// failed (bad_gateway) was admitted, and so is one with a code this
// version does not know, so that an impact is never understated.
func (c CallTally) Admitted() bool {
	switch c.Code {
	case CodeInvalidRequest, CodeInvalidToken, CodeNotFound, CodeMethodNotAllowed,
		CodeMissingToken, CodeInsufficientScope, CodeUnavailable:
		return false
	}
	return true
}

// Traffic is the call record of a window, ready to be replayed through
// Decide: the tallies by workflow, and the tokens that made them. The
// impact preview and the tighten-from-traffic rule both read it, so they
// never disagree about who called what.
type Traffic struct {
	// Window is how far back the tallies go, ending at Now.
	Window time.Duration
	Now    time.Time
	// RecordStart is the first minute the call record holds for any
	// workflow; zero when it holds no call at all. A record that starts
	// after Now-Window (a new install, a shorter retention) covers only
	// part of the window, and every answer says so.
	RecordStart time.Time
	byWorkflow  map[string][]CallTally
	tokens      map[string]TokenGrant
}

// NewTraffic indexes the tallies of a window by workflow (ignoring case,
// as names are) and the tokens by id.
func NewTraffic(calls []CallTally, tokens []TokenGrant, recordStart time.Time, window time.Duration, now time.Time) Traffic {
	t := Traffic{Window: window, Now: now, RecordStart: recordStart,
		byWorkflow: map[string][]CallTally{}, tokens: make(map[string]TokenGrant, len(tokens))}
	for _, c := range calls {
		k := NameKey(c.Workflow)
		t.byWorkflow[k] = append(t.byWorkflow[k], c)
	}
	for _, tok := range tokens {
		t.tokens[tok.ID] = tok
	}
	return t
}

// partial reports whether the call record covers less than the window.
func (t Traffic) partial() bool {
	return t.RecordStart.IsZero() || t.RecordStart.After(t.Now.Add(-t.Window+recordSlack))
}

// span says which stretch of time the answers are about: "in the last 30
// days", or for a partial record "in the last 4 minutes, all the call
// record holds".
func (t Traffic) span() string {
	if !t.partial() {
		return "in the last " + durationText(t.Window)
	}
	if t.RecordStart.IsZero() {
		return "in the last " + durationText(t.Window) + " (the call record is empty)"
	}
	return "in the last " + durationText(t.Now.Sub(t.RecordStart)) + ", all the call record holds"
}

// durationText is a rough human length of time: "3 minutes", "5 hours",
// "30 days".
func durationText(d time.Duration) string {
	switch {
	case d < 2*time.Minute:
		return plural(int64(max(d/time.Minute, 1)), "minute")
	case d < 2*time.Hour:
		return plural(int64(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int64(d/time.Hour), "hour")
	}
	return plural(int64(d/(24*time.Hour)), "day")
}

// trafficCaller is one caller of a workflow on record: who, as Decide is
// told about them, and how many calls the access decision admitted.
type trafficCaller struct {
	tokenID, name string
	// known is false for a token the store does not know: its kind and
	// scope are lost, so its calls cannot be replayed.
	known    bool
	cred     Credential
	admitted int64
}

// callerKindOrder lists admin tokens first, then user tokens, then calls
// without a token, so that listings are stable and the strongest come first.
func callerKindOrder(k CredentialKind) int {
	switch k {
	case CredentialAdmin:
		return 0
	case CredentialUser:
		return 1
	case CredentialNone:
		return 2
	}
	return 3
}

// callers lists the callers of the named workflow on record, and how many
// calls the record holds for it whatever they got.
func (t Traffic) callers(name string) (out []trafficCaller, recorded int64) {
	index := map[string]int{}
	for _, c := range t.byWorkflow[NameKey(name)] {
		recorded += c.Count
		key := c.TokenID + "\x00" + c.LinkID
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, t.caller(c.TokenID, c.LinkID))
		}
		if c.Admitted() {
			out[i].admitted += c.Count
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ka, kb := callerKindOrder(a.cred.Kind), callerKindOrder(b.cred.Kind); ka != kb {
			return ka < kb
		}
		return a.name+"\x00"+a.tokenID < b.name+"\x00"+b.tokenID
	})
	return out, recorded
}

// caller resolves a recorded token or link id to what Decide is told: the
// token's stored kind and scope; no token is CredentialNone; a share link is
// CredentialLink (which calls no workflow); a token the store does not know
// is an invalid credential, marked unknown.
func (t Traffic) caller(tokenID, linkID string) trafficCaller {
	switch {
	case linkID != "":
		return trafficCaller{tokenID: linkID, name: linkID, known: true, cred: Credential{Kind: CredentialLink, TokenID: linkID}}
	case tokenID == "":
		return trafficCaller{known: true, cred: Credential{Kind: CredentialNone}}
	}
	tok, ok := t.tokens[tokenID]
	if !ok {
		return trafficCaller{tokenID: tokenID, name: tokenID, cred: Credential{Kind: CredentialInvalid, TokenID: tokenID}}
	}
	scope := tok.Scope
	name := tok.Name
	if name == "" {
		name = tok.ID
	}
	return trafficCaller{tokenID: tokenID, name: name, known: true,
		cred: Credential{Kind: tok.Kind.Credential(), UserID: tok.UserID, TokenID: tok.ID, Scope: &scope}}
}

// callerGroups describes callers and their calls by kind: "1,204 from 2
// user tokens (mobile-app, zapier), 96 without a token". withCounts false
// leaves the numbers out: "2 user tokens (mobile-app, zapier)".
func callerGroups(cs []CallerImpact, withCounts bool) string {
	type group struct {
		calls int64
		names []string
	}
	groups := map[CredentialKind]*group{}
	var kinds []CredentialKind
	for _, c := range cs {
		g := groups[c.Kind]
		if g == nil {
			g = &group{}
			groups[c.Kind] = g
			kinds = append(kinds, c.Kind)
		}
		g.calls += c.Calls
		if c.Kind != CredentialNone {
			g.names = append(g.names, c.Name)
		}
	}
	sort.Slice(kinds, func(i, j int) bool { return callerKindOrder(kinds[i]) < callerKindOrder(kinds[j]) })
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		g := groups[k]
		var who string
		switch k {
		case CredentialNone:
			who = "without a token"
		case CredentialAdmin, CredentialUser:
			who = fmt.Sprintf("from %s (%s)", plural(int64(len(g.names)), k.String()+" token"), strings.Join(g.names, ", "))
		default:
			who = fmt.Sprintf("from %s (%s)", plural(int64(len(g.names)), "unknown token"), strings.Join(g.names, ", "))
		}
		if withCounts {
			who = thousands(g.calls) + " " + who
		}
		parts = append(parts, who)
	}
	return strings.Join(parts, ", ")
}

// plural is "1 call", "2 calls", with thousands separated.
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

// thousands writes n with commas between groups of three digits: 1,204.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}
