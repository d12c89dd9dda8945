package model

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenerateLinkHasTheTokenFormatUnderItsOwnPrefix(t *testing.T) {
	link, err := GenerateLink(rand.Reader)
	require.NoError(t, err)
	assert.Regexp(t, `^fgl_[0-9A-Za-z]{36}$`, link)
	assert.Len(t, link, TokenLength)
	assert.True(t, WellFormedLink(link))
	assert.Equal(t, "fgl_", TokenDisplayPrefix(link)[:4])

	fixed, err := GenerateLink(bytes.NewReader(bytes.Repeat([]byte{0xff, 0}, 1000)))
	require.NoError(t, err)
	assert.Equal(t, "fgl_"+strings.Repeat("0", 30), fixed[:34])
	_, err = GenerateLink(bytes.NewReader(nil))
	assert.ErrorContains(t, err, "read randomness")
}

// TestLinksAndTokensAreNeverConfused: the same random body and checksum
// under another prefix is refused by the other check, so a link presented
// as a bearer token (or a token as fg_link) is never well-formed.
func TestLinksAndTokensAreNeverConfused(t *testing.T) {
	link, err := GenerateLink(rand.Reader)
	require.NoError(t, err)
	assert.False(t, WellFormedToken(link), "a link is not a token")
	for _, prefix := range []string{TokenPrefixAdmin, TokenPrefixUser} {
		asToken := prefix + link[4:]
		assert.True(t, WellFormedToken(asToken), "same body, token prefix")
		assert.False(t, WellFormedLink(asToken), "a token is not a link")
	}
	for _, kind := range []TokenKind{TokenAdmin, TokenUser} {
		tok, err := GenerateToken(kind, rand.Reader)
		require.NoError(t, err)
		assert.False(t, WellFormedLink(tok), kind)
	}
}

func TestWellFormedLinkRejectsEverySingleCharacterChange(t *testing.T) {
	link, err := GenerateLink(rand.Reader)
	require.NoError(t, err)
	for i := 0; i < len(link); i++ {
		for _, c := range []byte("0aZ_-%") {
			if link[i] != c {
				assert.False(t, WellFormedLink(link[:i]+string(c)+link[i+1:]), "position %d to %q", i, c)
			}
		}
	}
	for _, bad := range []string{"", "fgl_", link + "0", link[:39], "FGL_" + link[4:], " " + link[1:]} {
		assert.False(t, WellFormedLink(bad), bad)
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { WellFormedLink(link) }))
}

func TestNewLinkID(t *testing.T) {
	id, err := NewLinkID(rand.Reader)
	require.NoError(t, err)
	assert.Regexp(t, `^lnk_[0-9A-Za-z]{12}$`, id)
	_, err = NewLinkID(bytes.NewReader(nil))
	assert.ErrorContains(t, err, "read randomness")
}

func TestParseLinkLifetime(t *testing.T) {
	for in, want := range map[string]time.Duration{"1h": time.Hour, "90m": 90 * time.Minute, "7d": 7 * 24 * time.Hour, "168h": 168 * time.Hour} {
		got, err := ParseLinkLifetime(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for in, wantErr := range map[string]string{
		"8d":      `invalid lifetime "8d": a share link lasts at most 7d`,
		"168h1s":  "a share link lasts at most 7d",
		"36500d":  "a share link lasts at most 7d",
		"":        "invalid lifetime",
		"0h":      "it must be positive",
		"-1h":     "it must be positive",
		"forever": "invalid lifetime",
	} {
		_, err := ParseLinkLifetime(in)
		assert.ErrorContains(t, err, wantErr, in)
	}
	assert.Equal(t, time.Hour, DefaultLinkLifetime)
}

func TestTokenStatus(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	before, after := now.Add(-time.Second), now.Add(time.Second)
	for _, c := range []struct {
		expires, revoked *time.Time
		want             TokenState
	}{
		{nil, nil, TokenActive},
		{&after, nil, TokenActive},
		{&now, nil, TokenExpired}, // at the expiry instant the checker already refuses it
		{&before, nil, TokenExpired},
		{nil, &before, TokenRevoked},
		{&before, &before, TokenRevoked},
		{&after, &after, TokenRevoked}, // revoked is revoked, even if recorded "later"
	} {
		assert.Equal(t, c.want, TokenStatus(c.expires, c.revoked, now), "expires %v revoked %v", c.expires, c.revoked)
	}
	inOtherZone := now.In(time.FixedZone("X", 5*3600))
	assert.Equal(t, TokenExpired, TokenStatus(&inOtherZone, nil, now))
	assert.Equal(t, []string{"active", "expired", "revoked", "unknown"},
		[]string{TokenActive.String(), TokenExpired.String(), TokenRevoked.String(), TokenState(9).String()})
}
