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
	// tokens holds only unrevoked tokens, keyed by SHA-256. A rotated
	// token has two entries with the same id: the new secret, and the
	// previous one until its overlap ends.
	tokens map[model.TokenHash]tokenEntry
	// prefixes are the protected file prefixes (model.PrefixFor).
	prefixes []string
	// links holds only unrevoked share links, keyed by SHA-256.
	links map[model.TokenHash]linkEntry
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
	// scope is built once per load, so a decision passes a pointer and
	// never allocates.
	scope *model.Scope
}

// linkEntry is what a valid share link opens.
type linkEntry struct {
	id   string
	path string
	// expires is the expiry in Unix nanoseconds, compared with the clock
	// at every decision like a token's. Links always expire.
	expires int64
}

// newSnapshot indexes what the store read.
func newSnapshot(s store.Snapshot) *snapshot {
	snap := &snapshot{
		generation: s.Generation,
		workflows:  make(map[string]*model.Workflow, len(s.Workflows)),
		tokens:     make(map[model.TokenHash]tokenEntry, len(s.Tokens)),
		prefixes:   s.Prefixes,
		links:      make(map[model.TokenHash]linkEntry, len(s.Links)),
	}
	for i := range s.Workflows {
		w := &s.Workflows[i]
		snap.workflows[model.NameKey(w.Name)] = w
	}
	for _, k := range s.Tokens {
		e := tokenEntry{id: k.ID, userID: k.UserID, kind: k.Kind.Credential(), scope: k.Scope}
		if k.ExpiresAt != nil {
			e.expires = k.ExpiresAt.UnixNano()
		}
		snap.tokens[k.Hash] = e
	}
	for _, l := range s.Links {
		snap.links[l.Hash] = linkEntry{id: l.ID, path: l.Path, expires: l.ExpiresAt.UnixNano()}
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
