package model

import (
	"fmt"
	"strings"
)

// CallerImpact is one caller whose recorded calls a change would have
// denied: a token (by id and name) or, with Kind CredentialNone, the calls
// made without a token.
type CallerImpact struct {
	TokenID, Name string
	// Kind is the token's kind as Decide sees it; CredentialInvalid for a
	// token the store does not know.
	Kind  CredentialKind
	Calls int64
}

// Impact is what new settings would have done to a workflow's recorded
// calls: the fear that stops people from tightening an endpoint is breaking
// a caller they forgot, and the call record knows who called what. It is
// computed by replaying the record through Decide, never by a second rule.
type Impact struct {
	// Workflow is the workflow's name before the change.
	Workflow string
	// CanDeny is false when the new settings admit every kind of caller the
	// old ones do (a description, a wider Authentication): then no caller
	// can lose access and the record does not matter.
	CanDeny bool
	// Recorded is how many calls to the workflow the record holds in the
	// window, whatever they got; 0 means the impact is unknown.
	Recorded int64
	// Denied are the callers whose calls were admitted, that the old
	// settings still admit and the new ones deny; admin tokens first.
	Denied []CallerImpact
	// Unknown are admitted calls by tokens the store no longer knows: their
	// kind is lost, so they cannot be replayed and their fate is unknown.
	Unknown []CallerImpact
	// span is the stretch of time the record covers, for the message.
	span string
}

// DeniedCalls is how many recorded calls the change would have denied.
func (im Impact) DeniedCalls() int64 {
	var n int64
	for _, c := range im.Denied {
		n += c.Calls
	}
	return n
}

// Known reports whether the impact rests on a record: either the change
// can deny no one, or calls to the workflow are on record.
func (im Impact) Known() bool { return !im.CanDeny || im.Recorded > 0 }

// ImpactOf replays the recorded calls to before.Name through Decide with
// the settings before and after a change. A call counts when the access
// decision admitted it, before still admits it (with the caller's token's
// kind and scope as they are now, and the method the workflow accepted),
// and after denies it. A rename denies every caller: they call the old name.
func ImpactOf(before, after Workflow, t Traffic) Impact {
	im := Impact{Workflow: before.Name, span: t.span()}
	target := &after
	if NameKey(after.Name) != NameKey(before.Name) {
		target = nil // calls name the old workflow, which no longer exists
	}
	method := string(before.Method)
	for _, k := range []CredentialKind{CredentialNone, CredentialUser, CredentialAdmin} {
		c := Credential{Kind: k}
		if Decide(&before, c, method).Allowed && !Decide(target, c, method).Allowed {
			im.CanDeny = true
		}
	}
	if !im.CanDeny {
		return im
	}
	callers, recorded := t.callers(before.Name)
	im.Recorded = recorded
	for _, c := range callers {
		if c.admitted == 0 {
			continue
		}
		ci := CallerImpact{TokenID: c.tokenID, Name: c.name, Kind: c.cred.Kind, Calls: c.admitted}
		switch {
		case !c.known:
			im.Unknown = append(im.Unknown, ci)
		case Decide(&before, c.cred, method).Allowed && !Decide(target, c.cred, method).Allowed:
			im.Denied = append(im.Denied, ci)
		}
	}
	return im
}

// String is the impact in one sentence: "would have denied 1,204 calls
// from 2 user tokens (mobile-app, zapier)", "no recorded caller would have
// been denied", or, with nothing on record, that the impact is unknown. A
// record shorter than the window is always pointed out, so that a short
// record never passes for safety.
func (im Impact) String() string {
	if !im.CanDeny {
		return "no caller can lose access: the new settings admit every caller the current ones do"
	}
	if im.Recorded == 0 {
		return fmt.Sprintf("no calls recorded %s: the impact is unknown", im.span)
	}
	var s string
	switch {
	case len(im.Denied) == 0:
		s = "no recorded caller would have been denied " + im.span
	case sameKind(im.Denied):
		s = fmt.Sprintf("would have denied %s %s %s", plural(im.DeniedCalls(), "call"), callerGroups(im.Denied, false), im.span)
	default:
		s = fmt.Sprintf("would have denied %s %s: %s", plural(im.DeniedCalls(), "call"), im.span, callerGroups(im.Denied, true))
	}
	if len(im.Unknown) > 0 {
		s += "; " + unknownText(im.Unknown)
	}
	return s
}

// sameKind reports whether every caller is of one kind.
func sameKind(cs []CallerImpact) bool {
	for _, c := range cs {
		if c.Kind != cs[0].Kind {
			return false
		}
	}
	return true
}

// unknownText says which admitted calls could not be replayed.
func unknownText(cs []CallerImpact) string {
	var n int64
	for _, c := range cs {
		n += c.Calls
	}
	return fmt.Sprintf("%s %s: the store does not know the token, so the impact on them is unknown",
		plural(n, "call"), callerGroups(cs, false))
}

// TotalImpact sums the impacts of a bulk change in one sentence: the calls
// denied over all workflows and by whom, and the workflows whose impact is
// unknown, by name.
func TotalImpact(ims []Impact) string {
	byToken := map[string]int{}
	var denied, unknown []CallerImpact
	var total int64
	hit := 0
	var noRecord []string
	for _, im := range ims {
		if !im.Known() {
			noRecord = append(noRecord, im.Workflow)
		}
		if len(im.Denied) > 0 {
			hit++
		}
		for _, c := range im.Denied {
			total += c.Calls
			key := c.Kind.String() + "\x00" + c.TokenID
			if i, ok := byToken[key]; ok {
				denied[i].Calls += c.Calls
				continue
			}
			byToken[key] = len(denied)
			denied = append(denied, c)
		}
		unknown = append(unknown, im.Unknown...)
	}
	var s string
	switch {
	case len(noRecord) > 0 && len(noRecord) == len(ims):
		return fmt.Sprintf("in total: the impact is unknown: no calls on record for %s (%s)",
			plural(int64(len(noRecord)), "workflow"), strings.Join(noRecord, ", "))
	case total == 0:
		s = "in total: no recorded caller would have been denied"
	case sameKind(denied):
		s = fmt.Sprintf("in total: would have denied %s to %d of %s %s", plural(total, "call"),
			hit, plural(int64(len(ims)), "workflow"), callerGroups(denied, false))
	default:
		s = fmt.Sprintf("in total: would have denied %s to %d of %s: %s", plural(total, "call"),
			hit, plural(int64(len(ims)), "workflow"), callerGroups(denied, true))
	}
	if len(noRecord) > 0 {
		s += fmt.Sprintf("; no calls on record for %s (%s): the impact there is unknown",
			plural(int64(len(noRecord)), "workflow"), strings.Join(noRecord, ", "))
	}
	if len(unknown) > 0 {
		s += "; " + unknownText(unknown)
	}
	return s
}
