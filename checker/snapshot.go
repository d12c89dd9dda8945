package checker

import (
	"flowgate/model"
	"flowgate/store"
)

// snapshot is one immutable view of the settings. Decisions read it without
// locks; a reload builds a new one and swaps the pointer.
type snapshot struct {
	generation int64
	// workflows is keyed by the lower-cased name, as names are unique
	// ignoring case.
	workflows map[string]*model.Workflow
	// tokens holds only unrevoked tokens, keyed by SHA-256.
	tokens map[model.TokenHash]tokenEntry
}

// tokenEntry is what a valid token grants.
type tokenEntry struct {
	id     string
	userID string
	kind   model.CredentialKind
	// expires is the expiry in Unix nanoseconds, 0 for never; compared
	// with the clock at every decision, so a token stops working the
	// moment it expires, not at the next reload.
	expires int64
}

// newSnapshot indexes what the store read.
func newSnapshot(s store.Snapshot) *snapshot {
	snap := &snapshot{
		generation: s.Generation,
		workflows:  make(map[string]*model.Workflow, len(s.Workflows)),
		tokens:     make(map[model.TokenHash]tokenEntry, len(s.Tokens)),
	}
	for i := range s.Workflows {
		w := &s.Workflows[i]
		snap.workflows[model.NameKey(w.Name)] = w
	}
	for _, k := range s.Tokens {
		e := tokenEntry{id: k.ID, userID: k.UserID, kind: k.Kind.Credential()}
		if k.ExpiresAt != nil {
			e.expires = k.ExpiresAt.UnixNano()
		}
		snap.tokens[k.Hash] = e
	}
	return snap
}

// workflow looks a name up ignoring case, without allocating: the name is
// lower-cased into a stack buffer (names are ASCII and at most 100 bytes).
func (s *snapshot) workflow(name string) *model.Workflow {
	var buf [model.MaxNameLength]byte
	if len(name) > len(buf) {
		return nil
	}
	n := copy(buf[:], name)
	for i := 0; i < n; i++ {
		if c := buf[i]; c >= 'A' && c <= 'Z' {
			buf[i] = c + ('a' - 'A')
		}
	}
	return s.workflows[string(buf[:n])]
}
