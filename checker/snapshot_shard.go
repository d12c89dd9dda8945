package checker

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"

	"flowgate/model"
)

// hashIndex maps SHA-256 hashes (of tokens or share links) to entries. It
// is split into shardCount shards by the first byte of the hash, each an
// immutable array sorted by hash: no map overhead (a million tokens cost a
// million entries, not twice that in empty slots), and a change copies
// only the shards it touches (with). A nil shard is empty.
type hashIndex[V any] [shardCount]*hashShard[V]

// hashShard is one shard: entries sorted by hash, and the first 8 bytes
// of each hash as a number in prefixes, which the lookup searches (8
// bytes an entry, so the search stays within a few cache lines).
type hashShard[V any] struct {
	prefixes []uint64
	entries  []hashed[V]
}

// hashed is an entry with its key.
type hashed[V any] struct {
	hash  model.TokenHash
	value V
}

func hashPrefix(h *model.TokenHash) uint64 { return binary.BigEndian.Uint64(h[:8]) }

// compareHashes orders hashes as their bytes; prefixes order the same way.
func compareHashes[V any](a, b hashed[V]) int { return bytes.Compare(a.hash[:], b.hash[:]) }

// get finds the entry of h without allocating: a binary search of the
// prefixes, then the whole hash is compared (two hashes can share a
// prefix, however unlikely).
func (x *hashIndex[V]) get(h *model.TokenHash) (V, bool) {
	var zero V
	s := x[h[0]]
	if s == nil {
		return zero, false
	}
	p := hashPrefix(h)
	for i := s.search(p); i < len(s.prefixes) && s.prefixes[i] == p; i++ {
		if s.entries[i].hash == *h {
			return s.entries[i].value, true
		}
	}
	return zero, false
}

// search is the position of the first prefix not below p. Hashes are
// uniform, so p's rank is guessed from its value (the first byte is the
// shard's, the same for all) and then found by galloping from the guess:
// the guess is off by about the square root of the shard's size, so a
// lookup reads a few neighbouring cache lines instead of the dozen far
// apart that a binary search of the whole shard would.
func (s *hashShard[V]) search(p uint64) int {
	ps := s.prefixes
	if len(ps) == 0 {
		return 0
	}
	guess, _ := bits.Mul64(p<<8, uint64(len(ps)))
	lo, hi := int(guess), int(guess)+1 // ps[lo] < p <= ps[hi] is sought
	for step := 1; lo >= 0 && ps[lo] >= p; step *= 2 {
		hi, lo = lo, lo-step
	}
	for step := 1; hi < len(ps) && ps[hi] < p; step *= 2 {
		lo, hi = hi, hi+step
	}
	lo, hi = max(lo+1, 0), min(hi, len(ps))
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ps[m] < p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// len counts the entries.
func (x *hashIndex[V]) len() int {
	n := 0
	for _, s := range x {
		if s != nil {
			n += len(s.entries)
		}
	}
	return n
}

// buildHashIndex indexes n entries: hashOf(i) is the hash of the i-th,
// valueOf(i) its value, called once each in order. The hashes must be
// distinct (the store's are unique).
func buildHashIndex[V any](n int, hashOf func(i int) model.TokenHash, valueOf func(i int) V) hashIndex[V] {
	var count [shardCount]int
	for i := range n {
		count[hashOf(i)[0]]++
	}
	var x hashIndex[V]
	for i, c := range count {
		if c > 0 {
			x[i] = &hashShard[V]{entries: make([]hashed[V], 0, c)}
		}
	}
	for i := range n {
		h := hashOf(i)
		s := x[h[0]]
		s.entries = append(s.entries, hashed[V]{hash: h, value: valueOf(i)})
	}
	for _, s := range x {
		if s != nil {
			slices.SortFunc(s.entries, compareHashes[V])
			s.index()
		}
	}
	return x
}

// index fills prefixes from entries.
func (s *hashShard[V]) index() {
	s.prefixes = make([]uint64, len(s.entries))
	for i := range s.entries {
		s.prefixes[i] = hashPrefix(&s.entries[i].hash)
	}
}

// with returns the index with removed taken out, then added put in (an
// added entry replaces one with the same hash). x is not modified: the
// shards neither list touches are shared, each touched one is rebuilt
// once, in one merge, however many of its entries change.
func (x hashIndex[V]) with(removed []model.TokenHash, added []hashed[V]) hashIndex[V] {
	var gone [shardCount]map[model.TokenHash]bool
	var come [shardCount][]hashed[V]
	for _, h := range removed {
		if _, ok := x.get(&h); !ok {
			continue // not held: nothing to copy for it
		}
		if gone[h[0]] == nil {
			gone[h[0]] = map[model.TokenHash]bool{}
		}
		gone[h[0]][h] = true
	}
	for _, e := range added {
		come[e.hash[0]] = append(come[e.hash[0]], e)
	}
	for i := range shardCount {
		if gone[i] != nil || come[i] != nil {
			x[i] = x[i].merged(gone[i], come[i])
		}
	}
	return x
}

// merged is a new shard holding s's entries but those in gone, and added
// (which replace entries with the same hash); nil when nothing is left.
func (s *hashShard[V]) merged(gone map[model.TokenHash]bool, added []hashed[V]) *hashShard[V] {
	var old []hashed[V]
	if s != nil {
		old = s.entries
	}
	slices.SortFunc(added, compareHashes[V])
	out := make([]hashed[V], 0, len(old)+len(added))
	i, j := 0, 0
	for i < len(old) || j < len(added) {
		c := 1 // which comes first: the old entry (-1), the added one (1), or both (0)
		if j == len(added) {
			c = -1
		} else if i < len(old) {
			c = compareHashes(old[i], added[j])
		}
		switch {
		case c < 0:
			if !gone[old[i].hash] {
				out = append(out, old[i])
			}
			i++
		case c == 0:
			out = append(out, added[j])
			i, j = i+1, j+1
		default:
			out = append(out, added[j])
			j++
		}
	}
	if len(out) == 0 {
		return nil
	}
	n := &hashShard[V]{entries: out}
	n.index()
	return n
}
