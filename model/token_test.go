package model

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenerateTokenFormat(t *testing.T) {
	for kind, prefix := range map[TokenKind]string{TokenAdmin: "fga_", TokenUser: "fgu_"} {
		tok, err := GenerateToken(kind, rand.Reader)
		require.NoError(t, err)
		assert.Len(t, tok, 40)
		assert.True(t, strings.HasPrefix(tok, prefix), tok)
		for _, c := range tok[4:] {
			assert.Contains(t, base62Alphabet, string(c))
		}
		assert.True(t, WellFormedToken(tok), tok)
		assert.Equal(t, tok[:8], TokenDisplayPrefix(tok))
	}
	_, err := GenerateToken("root", rand.Reader)
	assert.ErrorContains(t, err, `invalid token kind "root"`)
}

func TestGenerateTokenIsDeterministicForAFixedReaderAndUnbiased(t *testing.T) {
	// 0xff bytes are rejected (>= 248), so only the zero bytes count.
	src := bytes.Repeat([]byte{0xff, 0}, 1000)
	tok, err := GenerateToken(TokenUser, bytes.NewReader(src))
	require.NoError(t, err)
	assert.Equal(t, "fgu_"+strings.Repeat("0", 30), tok[:34])
	assert.True(t, WellFormedToken(tok))
	_, err = GenerateToken(TokenUser, bytes.NewReader(nil))
	assert.ErrorContains(t, err, "read randomness")
}

func TestWellFormedTokenRejectsEverySingleCharacterChange(t *testing.T) {
	tok, err := GenerateToken(TokenAdmin, rand.Reader)
	require.NoError(t, err)
	for i := 0; i < len(tok); i++ {
		for _, c := range []byte("0aZ_-") {
			if tok[i] == c {
				continue
			}
			bad := tok[:i] + string(c) + tok[i+1:]
			assert.False(t, WellFormedToken(bad), "changed position %d to %q", i, c)
		}
	}
	assert.False(t, WellFormedToken(""))
	assert.False(t, WellFormedToken(tok+"0"))
	assert.False(t, WellFormedToken(tok[:39]))
	assert.False(t, WellFormedToken("fgx_"+tok[4:]))
	assert.False(t, WellFormedToken(strings.ToUpper(tok[:4])+tok[4:]))
}

func TestHashTokenIsSHA256(t *testing.T) {
	tok, err := GenerateToken(TokenUser, rand.Reader)
	require.NoError(t, err)
	assert.Equal(t, TokenHash(sha256.Sum256([]byte(tok))), HashToken(tok))
	assert.Equal(t, TokenHash(sha256.Sum256([]byte("short"))), HashToken("short"))
}

func TestTokenKindCredential(t *testing.T) {
	assert.Equal(t, CredentialAdmin, TokenAdmin.Credential())
	assert.Equal(t, CredentialUser, TokenUser.Credential())
	assert.Equal(t, CredentialInvalid, TokenKind("superuser").Credential())
}

func TestNewTokenID(t *testing.T) {
	id, err := NewTokenID(rand.Reader)
	require.NoError(t, err)
	assert.Regexp(t, `^tok_[0-9A-Za-z]{12}$`, id)
}

func BenchmarkWellFormedAndHash(b *testing.B) {
	tok, _ := GenerateToken(TokenAdmin, rand.Reader)
	b.ReportAllocs()
	for b.Loop() {
		if !WellFormedToken(tok) {
			b.Fatal("not well-formed")
		}
		_ = HashToken(tok)
	}
}
