package model

import (
	"crypto/sha256"
	"fmt"
	"hash/crc32"
	"io"
)

// TokenKind is what an API token may do. It is stored with the token's hash
// and is the only source of truth: a token's printed prefix is a hint for
// humans and secret scanners, never read to grant anything.
type TokenKind string

// The two kinds of API token.
const (
	TokenAdmin TokenKind = "admin"
	TokenUser  TokenKind = "user"
)

// Valid reports whether k is one of the two known kinds.
func (k TokenKind) Valid() bool { return k == TokenAdmin || k == TokenUser }

// Credential is the credential kind a valid token of this kind presents;
// an unknown kind is an invalid credential, so a bad row never grants access.
func (k TokenKind) Credential() CredentialKind {
	switch k {
	case TokenAdmin:
		return CredentialAdmin
	case TokenUser:
		return CredentialUser
	}
	return CredentialInvalid
}

// Token format: a kind prefix, TokenRandomLength random base62 characters,
// then a fixed-width base62 CRC32 of those characters. The checksum lets a
// secret scanner (or the checker) reject garbage offline, before any lookup.
const (
	TokenPrefixAdmin     = "fga_"
	TokenPrefixUser      = "fgu_"
	LinkPrefix           = "fgl_" // a share link: the same format, never a token
	TokenRandomLength    = 30
	TokenChecksumLength  = 6
	TokenLength          = len(TokenPrefixAdmin) + TokenRandomLength + TokenChecksumLength
	TokenDisplayLength   = 8 // characters shown in listings: the prefix and 4 random characters
	tokenBodyStart       = len(TokenPrefixAdmin)
	tokenChecksumStart   = tokenBodyStart + TokenRandomLength
	base62Alphabet       = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	base62RejectionLimit = 248 // largest multiple of 62 that fits a byte: keeps random characters unbiased
)

// TokenHash is the SHA-256 of a token: the only form in which a token is
// stored, and the key under which the checker looks it up.
type TokenHash [sha256.Size]byte

// GenerateToken makes a new token of the given kind, reading randomness from
// random (crypto/rand.Reader in production; a fixed reader in tests).
func GenerateToken(kind TokenKind, random io.Reader) (string, error) {
	switch kind {
	case TokenAdmin:
		return generateSecret(TokenPrefixAdmin, random)
	case TokenUser:
		return generateSecret(TokenPrefixUser, random)
	}
	return "", fmt.Errorf("invalid token kind %q: use admin or user", kind)
}

// GenerateLink makes a new share link secret (fgl_…): the token format under
// its own prefix, so that secret scanners recognise it and the checker never
// takes a link for a token or a token for a link.
func GenerateLink(random io.Reader) (string, error) {
	return generateSecret(LinkPrefix, random)
}

// generateSecret makes prefix, the random characters and their checksum.
func generateSecret(prefix string, random io.Reader) (string, error) {
	b := make([]byte, TokenLength)
	copy(b, prefix)
	if err := randomBase62(b[tokenBodyStart:tokenChecksumStart], random); err != nil {
		return "", err
	}
	putChecksum(b[tokenChecksumStart:], b[tokenBodyStart:tokenChecksumStart])
	return string(b), nil
}

// NewTokenID makes a public identifier for a token ("tok_" and 12 base62
// characters): safe to show, log and send upstream, unlike the token itself.
func NewTokenID(random io.Reader) (string, error) {
	return newPublicID("tok_", random)
}

// LinkIDPrefix starts every share link id, so a command taking an id can
// tell a link's from a token's ("tok_").
const LinkIDPrefix = "lnk_"

// NewLinkID makes a public identifier for a share link ("lnk_" and 12
// base62 characters): what link list shows, link revoke takes and the call
// log records, never the secret.
func NewLinkID(random io.Reader) (string, error) {
	return newPublicID(LinkIDPrefix, random)
}

// newPublicID makes prefix (4 bytes) and 12 random base62 characters.
func newPublicID(prefix string, random io.Reader) (string, error) {
	b := []byte(prefix + "            ")
	if err := randomBase62(b[len(prefix):], random); err != nil {
		return "", err
	}
	return string(b), nil
}

// randomBase62 fills dst with uniformly random base62 characters.
func randomBase62(dst []byte, random io.Reader) error {
	var buf [64]byte
	n := 0
	for n < len(dst) {
		if _, err := io.ReadFull(random, buf[:]); err != nil {
			return fmt.Errorf("read randomness: %w", err)
		}
		for _, c := range buf {
			if c < base62RejectionLimit && n < len(dst) {
				dst[n] = base62Alphabet[c%62]
				n++
			}
		}
	}
	return nil
}

// putChecksum writes the fixed-width base62 CRC32 (IEEE) of body into dst.
func putChecksum(dst []byte, body []byte) {
	sum := crc32.ChecksumIEEE(body)
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = base62Alphabet[sum%62]
		sum /= 62
	}
}

// base62Value maps a byte to its base62 digit, or 0xff for other bytes.
var base62Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(base62Alphabet); i++ {
		t[base62Alphabet[i]] = byte(i)
	}
	return t
}()

// WellFormedToken reports whether s has a token's exact shape (an admin or
// user prefix) and a correct checksum. It does not say the token exists: only
// a lookup of its hash can. A share link is not a token and is refused.
// It never allocates: the checker runs it per request.
func WellFormedToken(s string) bool {
	if len(s) != TokenLength {
		return false
	}
	if p := s[:tokenBodyStart]; p != TokenPrefixAdmin && p != TokenPrefixUser {
		return false
	}
	return checksumOK(s)
}

// WellFormedLink reports whether s has a share link's exact shape (fgl_) and
// a correct checksum; a token is refused. It never allocates.
func WellFormedLink(s string) bool {
	return len(s) == TokenLength && s[:tokenBodyStart] == LinkPrefix && checksumOK(s)
}

// checksumOK checks the random characters and checksum of a secret of
// TokenLength bytes. It computes the CRC byte by byte over s itself (the
// same IEEE CRC as putChecksum) so that it never allocates.
func checksumOK(s string) bool {
	crc := ^uint32(0)
	for i := tokenBodyStart; i < tokenChecksumStart; i++ {
		c := s[i]
		if base62Value[c] == 0xff {
			return false
		}
		crc = crc32.IEEETable[byte(crc)^c] ^ crc>>8
	}
	var sum uint64
	for i := tokenChecksumStart; i < TokenLength; i++ {
		v := base62Value[s[i]]
		if v == 0xff {
			return false
		}
		sum = sum*62 + uint64(v)
	}
	return sum == uint64(^crc)
}

// HashToken returns the SHA-256 of a token or a share link (links are stored
// the same way). It does not allocate for a well-formed secret.
func HashToken(token string) TokenHash {
	if len(token) == TokenLength {
		var b [TokenLength]byte
		copy(b[:], token)
		return sha256.Sum256(b[:])
	}
	return sha256.Sum256([]byte(token))
}

// TokenDisplayPrefix is the part of a token shown in listings so people can
// tell their tokens apart without the secret being displayed again.
func TokenDisplayPrefix(token string) string {
	if len(token) < TokenDisplayLength {
		return token
	}
	return token[:TokenDisplayLength]
}
