package checker

import (
	"strings"

	"flowgate/model"
	"flowgate/store"
)

// snapshot is one immutable view of the settings. Decisions read it without
// locks; a reload builds a new one and swaps the pointer. The indexes are
// split into shards so that a reload applying a few changes (applyDelta)
// copies only the shards it touches and shares every other one with the
// previous snapshot: a revocation among a million tokens copies a few
// thousand entries, not a million.
type snapshot struct {
	generation int64
	// workflows is keyed by the lower-cased name (names are unique
	// ignoring case), sharded by workflowShard of that key.
	workflows [shardCount]map[string]*model.Workflow
	// tokens holds only unrevoked tokens, keyed by SHA-256. A rotated
	// token has two entries with the same id: the new secret, and the
	// previous one until its overlap ends.
	tokens hashIndex[tokenEntry]
	// prefixes are the protected file prefixes (model.PrefixFor).
	prefixes []string
	// links holds only unrevoked share links, keyed by SHA-256.
	links hashIndex[linkEntry]
}

// shardCount is how many shards each index has. A shard of tokens or links
// is picked by the first byte of a SHA-256, which is uniform.
const shardCount = 256

// workflowShard picks the shard of a lower-cased workflow name from its
// length and its first and last four bytes: a handful of instructions on
// the decision path (hashing every byte cost a decision a tenth of its
// time). Names that agree in all three share a shard, which only makes a
// reload that changes one of them copy a larger shard. It reads a byte
// slice so that the decision path can hash its stack buffer in place.
func workflowShard[K string | []byte](key K) uint8 {
	n := len(key)
	var w uint64
	if n >= 4 {
		w = uint64(key[0]) | uint64(key[1])<<8 | uint64(key[2])<<16 | uint64(key[3])<<24 |
			uint64(key[n-4])<<32 | uint64(key[n-3])<<40 | uint64(key[n-2])<<48 | uint64(key[n-1])<<56
	} else {
		for i := 0; i < n; i++ {
			w |= uint64(key[i]) << (8 * i)
		}
	}
	return uint8((w ^ uint64(n)) * 0x9e3779b97f4a7c15 >> 56)
}

// tokenEntry is what a valid token grants. It is kept small, since a
// checker may hold millions: the token id and the user id share one
// string, and tokens with the same scope share one *model.Scope.
type tokenEntry struct {
	// expires is the expiry in Unix nanoseconds, 0 for never; compared
	// with the clock at every decision, so a token stops working the
	// moment it expires, not at the next reload.
	expires int64
	// ids is the token id followed by the user id; idLen splits them.
	ids string
	// scope is shared and read-only, so a decision passes a pointer and
	// never allocates.
	scope *model.Scope
	idLen uint32
	kind  model.CredentialKind
}

// id is the token's public id.
func (e *tokenEntry) id() string { return e.ids[:e.idLen] }

// userID is the user a user token acts as, "" for an admin token.
func (e *tokenEntry) userID() string { return e.ids[e.idLen:] }

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
	snap := &snapshot{generation: s.Generation, prefixes: s.Prefixes}
	for i := range snap.workflows {
		snap.workflows[i] = make(map[string]*model.Workflow, len(s.Workflows)/shardCount+1)
	}
	for i := range s.Workflows {
		snap.addWorkflow(&s.Workflows[i])
	}
	// Every id of the load is written into one string, which each entry
	// slices: a million tokens cost one allocation for their ids.
	var ids strings.Builder
	n := 0
	for i := range s.Tokens {
		n += len(s.Tokens[i].ID) + len(s.Tokens[i].UserID)
	}
	ids.Grow(n)
	for i := range s.Tokens {
		ids.WriteString(s.Tokens[i].ID)
		ids.WriteString(s.Tokens[i].UserID)
	}
	all, at := ids.String(), 0
	snap.tokens = buildHashIndex(len(s.Tokens), func(i int) model.TokenHash { return s.Tokens[i].Hash },
		func(i int) tokenEntry {
			k := &s.Tokens[i]
			end := at + len(k.ID) + len(k.UserID)
			e := newTokenEntry(k, all[at:end])
			at = end
			return e
		})
	snap.links = buildHashIndex(len(s.Links), func(i int) model.TokenHash { return s.Links[i].Hash },
		func(i int) linkEntry { return newLinkEntry(s.Links[i]) })
	return snap
}

// newTokenEntry makes the entry of k, whose id and user id ids holds.
func newTokenEntry(k *store.TokenKey, ids string) tokenEntry {
	e := tokenEntry{ids: ids, idLen: uint32(len(k.ID)), kind: k.Kind.Credential(), scope: k.Scope}
	if k.ExpiresAt != nil {
		e.expires = k.ExpiresAt.UnixNano()
	}
	return e
}

func newLinkEntry(l store.LinkKey) linkEntry {
	return linkEntry{id: l.ID, path: l.Path, expires: l.ExpiresAt.UnixNano()}
}

// addWorkflow indexes w under its name; the shard must be writable.
func (s *snapshot) addWorkflow(w *model.Workflow) {
	key := model.NameKey(w.Name)
	s.workflows[workflowShard(key)][key] = w
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
	return s.workflows[workflowShard(buf[:n])][string(buf[:n])]
}

// token is the entry of an unrevoked token's hash.
func (s *snapshot) token(h model.TokenHash) (tokenEntry, bool) { return s.tokens.get(&h) }

// link is the entry of an unrevoked share link's hash.
func (s *snapshot) link(h model.TokenHash) (linkEntry, bool) { return s.links.get(&h) }

// sizes counts the workflows, token keys and links, for the log.
func (s *snapshot) sizes() (workflows, tokens, links int) {
	for i := range shardCount {
		workflows += len(s.workflows[i])
	}
	return workflows, s.tokens.len(), s.links.len()
}
