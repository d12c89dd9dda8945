package checker

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// randomHashes are n random hashes, the last few sharing their first 8
// bytes with another (as two SHA-256 hashes might), so that a lookup must
// compare whole hashes.
func randomHashes(n int) []model.TokenHash {
	hs := make([]model.TokenHash, n)
	for i := range hs {
		rand.Read(hs[i][:])
	}
	for i := n - 5; i < n; i++ {
		copy(hs[i][:8], hs[i-n/2][:8])
	}
	return hs
}

func TestAHashIndexFindsEveryHashItHoldsAndNoOther(t *testing.T) {
	hs := randomHashes(20_000)
	x := buildHashIndex(len(hs), func(i int) model.TokenHash { return hs[i] }, func(i int) int { return i })
	assert.Equal(t, len(hs), x.len())
	for i := range hs {
		v, ok := x.get(&hs[i])
		require.True(t, ok, "hash %d", i)
		require.Equal(t, i, v)
		miss := hs[i]
		miss[31] ^= 1
		_, ok = x.get(&miss)
		require.False(t, ok, "a hash differing in its last bit")
	}
	var empty hashIndex[int]
	_, ok := empty.get(&hs[0])
	assert.False(t, ok)
}

func TestAHashIndexWithChangesIsANewIndexAndTheOldOneStays(t *testing.T) {
	hs := randomHashes(5_000)
	x := buildHashIndex(4_000, func(i int) model.TokenHash { return hs[i] }, func(i int) int { return i })
	// Remove the first 1,000, replace the next 1,000, add 1,000 new ones
	// (among them the ones that share a prefix with a held hash), and
	// remove one that is not held.
	var added []hashed[int]
	for i := 1_000; i < 2_000; i++ {
		added = append(added, hashed[int]{hash: hs[i], value: -i})
	}
	for i := 4_000; i < 5_000; i++ {
		added = append(added, hashed[int]{hash: hs[i], value: i})
	}
	y := x.with(append(hs[:1_000:1_000], hs[4_999]), added)
	assert.Equal(t, 4_000, y.len())
	for i := range hs {
		v, ok := y.get(&hs[i])
		switch {
		case i < 1_000:
			assert.False(t, ok, "removed %d", i)
		case i < 2_000:
			assert.Equal(t, -i, v, "replaced %d", i)
		default:
			assert.Equal(t, i, v, "kept or added %d", i)
		}
		v, ok = x.get(&hs[i])
		if i < 4_000 {
			assert.Equal(t, i, v, "the old index is untouched")
		} else {
			assert.False(t, ok)
		}
	}
	z := y.with(hs, nil)
	assert.Equal(t, 0, z.len())
	for i := range z {
		assert.Nil(t, z[i], "an emptied shard is nil")
	}
}
