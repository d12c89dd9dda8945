package checker

import (
	"encoding/hex"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestExtractToken(t *testing.T) {
	const tok = "fga_abc"
	for _, c := range []struct {
		name      string
		headers   []string
		query     string
		allowQ    bool
		want      string
		presence  Presence
		fromQuery bool
	}{
		{"nothing", nil, "", true, "", NoToken, false},
		{"bearer", []string{"Bearer " + tok}, "", true, tok, TokenPresented, false},
		{"scheme in any case", []string{"bEaReR " + tok}, "", true, tok, TokenPresented, false},
		{"several spaces and surrounding whitespace", []string{" \tBearer   " + tok + " \t"}, "", true, tok, TokenPresented, false},
		{"b64token padding", []string{"Bearer abc+/-._~=="}, "", true, "abc+/-._~==", TokenPresented, false},
		{"basic scheme", []string{"Basic dXNlcjpwYXNz"}, "", true, "", Malformed, false},
		{"no token", []string{"Bearer"}, "", true, "", Malformed, false},
		{"blank token", []string{"Bearer    "}, "", true, "", Malformed, false},
		{"tab after scheme", []string{"Bearer\t" + tok}, "", true, "", Malformed, false},
		{"no space", []string{"Bearer" + tok}, "", true, "", Malformed, false},
		{"two tokens", []string{"Bearer a b"}, "", true, "", Malformed, false},
		{"comma list", []string{"Bearer a, Bearer b"}, "", true, "", Malformed, false},
		{"padding inside", []string{"Bearer a=b"}, "", true, "", Malformed, false},
		{"only padding", []string{"Bearer =="}, "", true, "", Malformed, false},
		{"empty header", []string{""}, "", true, "", Malformed, false},
		{"two headers", []string{"Bearer a", "Bearer a"}, "", true, "", Malformed, false},
		{"non-ASCII", []string{"Bearer tök"}, "", true, "", Malformed, false},
		{"query", nil, "a=1&api_token=" + tok + "&b=2", true, tok, TokenPresented, true},
		{"encoded query value", nil, "api_token=fga%5Fabc", true, tok, TokenPresented, true},
		{"encoded query key", nil, "api%5Ftoken=" + tok, true, "", Malformed, false},
		{"key in capitals", nil, "API_TOKEN=" + tok, true, "", Malformed, false},
		{"key with array suffix", nil, "api_token[]=" + tok, true, "", Malformed, false},
		{"key with index", nil, "api_token[0]=" + tok, true, "", Malformed, false},
		{"key with NUL", nil, "api_token%00=" + tok, true, "", Malformed, false},
		{"key with dot", nil, "api.token=" + tok, true, "", Malformed, false},
		{"key with plus", nil, "api+token=" + tok, true, "", Malformed, false},
		{"key with leading space", nil, "%20api_token=" + tok, true, "", Malformed, false},
		{"key with Kelvin sign", nil, "api_to%E2%84%AAen=" + tok, true, "", Malformed, false},
		{"lookalike beside the real key", nil, "api_token=" + tok + "&Api_Token=" + tok, true, "", Malformed, false},
		{"lookalike when query tokens are off", []string{"Bearer " + tok}, "API_TOKEN=x", false, "", Malformed, false},
		{"empty query token", nil, "api_token=", true, "", Malformed, false},
		{"bare query key", nil, "api_token", true, "", Malformed, false},
		{"two query tokens", nil, "api_token=a&api_token=a", true, "", Malformed, false},
		{"bad escape", nil, "api_token=%zz", true, "", Malformed, false},
		{"space in query token", nil, "api_token=a+b", true, "", Malformed, false},
		{"header and query", []string{"Bearer " + tok}, "api_token=" + tok, true, "", Malformed, false},
		{"query refused", nil, "api_token=" + tok, false, "", Malformed, false},
		{"header with query refused", []string{"Bearer " + tok}, "x=1", false, tok, TokenPresented, false},
		{"similar keys are not tokens", nil, "api_tokens=x&xapi_token=z&api-token=y&api_token_=w&apitoken=v", true, "", NoToken, false},
	} {
		got, p, fromQuery := ExtractToken(c.headers, c.query, c.allowQ)
		assert.Equal(t, c.presence, p, c.name)
		assert.Equal(t, c.want, got, c.name)
		assert.Equal(t, c.fromQuery, fromQuery, c.name)
	}
}

func TestExtractTokenDoesNotAllocate(t *testing.T) {
	h := []string{"Bearer fga_abcdefghijklmnopqrstuvwxyz0123456789"}
	assert.Zero(t, testing.AllocsPerRun(100, func() { ExtractToken(h, "a=1&b=2", true) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { ExtractToken(nil, "a=1&api_token=fga_x", true) }))
}

func TestExtractLink(t *testing.T) {
	const link = "fgl_abc"
	for _, c := range []struct {
		name     string
		query    string
		want     string
		presence Presence
	}{
		{"nothing", "a=1", "", NoToken},
		{"link", "a=1&fg_link=" + link, link, TokenPresented},
		{"encoded value", "fg_link=fgl%5Fabc", link, TokenPresented},
		{"beside api_token", "api_token=x&fg_link=" + link, link, TokenPresented},
		{"two links", "fg_link=a&fg_link=a", "", Malformed},
		{"empty", "fg_link=", "", Malformed},
		{"bare key", "fg_link", "", Malformed},
		{"bad escape", "fg_link=%zz", "", Malformed},
		{"space in value", "fg_link=a+b", "", Malformed},
		{"key in capitals", "FG_LINK=" + link, "", Malformed},
		{"encoded key", "fg%5Flink=" + link, "", Malformed},
		{"key with dot", "fg.link=" + link, "", Malformed},
		{"key with space", "fg+link=" + link, "", Malformed},
		{"key with array suffix", "fg_link[]=" + link, "", Malformed},
		{"key with NUL", "fg_link%00=" + link, "", Malformed},
		{"lookalike beside the real key", "fg_link=" + link + "&Fg_Link=" + link, "", Malformed},
		{"similar keys are not links", "fg_links=x&xfg_link=y&fg-link=z&fglink=w", "", NoToken},
	} {
		got, p := ExtractLink(c.query)
		assert.Equal(t, c.presence, p, c.name)
		assert.Equal(t, c.want, got, c.name)
	}
}

func TestStripQueryCredentials(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"a=1&b=2":                        "a=1&b=2",
		"api_token=x":                    "",
		"a=1&api_token=x&b=%20":          "a=1&b=%20",
		"api%5ftoken=x&a=1":              "a=1",
		"API_TOKEN=x&a=1&api_token[]=y":  "a=1",
		"&a=1&&api_token=x&b":            "&a=1&&b",
		"api_token=x&api_token=y&c=3":    "c=3",
		"api_tokens=1&x_api_token=2&q=3": "api_tokens=1&x_api_token=2&q=3",
		"fg_link=fgl_x":                  "",
		"a=1&fg_link=fgl_x&b=2":          "a=1&b=2",
		"FG.LINK=x&a=1&fg_link[]=y":      "a=1",
		"fg_link=x&api_token=y&z":        "z",
		"fg_links=1&fglink=2":            "fg_links=1&fglink=2",
	} {
		assert.Equal(t, want, StripQueryCredentials(in), in)
	}
}

// referenceBearer is RFC 6750's credentials grammar, for the fuzz oracle.
var referenceBearer = regexp.MustCompile(`^(?i:bearer) +([A-Za-z0-9\-._~+/]+=*)$`)

// FuzzParseBearer checks the header parser against the RFC 6750 grammar.
func FuzzParseBearer(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer  a==", "Basic x", "Bearer", "Bearer a b", " Bearer x\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		tok, ok := ParseBearer(v)
		m := referenceBearer.FindStringSubmatch(strings.Trim(v, " \t"))
		if ok != (m != nil) {
			t.Fatalf("ParseBearer(%q) ok=%v, grammar says %v", v, ok, m != nil)
		}
		if ok && tok != m[1] {
			t.Fatalf("ParseBearer(%q) = %q, grammar says %q", v, tok, m[1])
		}
	})
}

// referenceLookalike is, on a decoded key, what the checker must refuse as
// a spelling of api_token (or, with referenceLinkLookalike, fg_link): any
// case, ' ', '.' or '[' for '_', padding on either side (whitespace,
// control and format characters, '.'), and anything after a '[' or a
// NUL.
var (
	referenceLookalike     = regexp.MustCompile(`(?is)^` + keyPadding + `api[_ .\[]token` + keyPadding + `([\[\x00].*)?$`)
	referenceLinkLookalike = regexp.MustCompile(`(?is)^` + keyPadding + `fg[_ .\[]link` + keyPadding + `([\[\x00].*)?$`)
)

const keyPadding = `[\p{Z}\p{Cc}\p{Cf}.]*`

// referenceEscape is what a lenient decoder turns into one byte.
var referenceEscape = regexp.MustCompile(`\+|%[0-9A-Fa-f]{2}`)

// referenceDecodeKey decodes a key the way PHP's urldecode does: '+' and
// every valid escape; a stray '%' stays.
func referenceDecodeKey(k string) string {
	return referenceEscape.ReplaceAllStringFunc(k, func(e string) string {
		if e == "+" {
			return " "
		}
		b, _ := hex.DecodeString(e[1:])
		return string(b)
	})
}

// referenceParam reads a query the way net/url does, for one secret
// parameter: the decoded values under the exact key, whether one of them
// does not decode, whether a lookalike key is there, and the parameters
// that are neither.
type referenceParam struct {
	values                 []string
	undecodable, lookalike bool
}

func readReference(q, key string, lookalikeKey *regexp.Regexp) (r referenceParam, others []string) {
	for _, param := range strings.Split(q, "&") {
		if q == "" {
			break
		}
		k, v, _ := strings.Cut(param, "=")
		dk := referenceDecodeKey(k)
		switch {
		case k == key:
		case lookalikeKey.MatchString(dk):
			r.lookalike = true
			continue
		default:
			others = append(others, param)
			continue
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			r.undecodable = true
		}
		r.values = append(r.values, dv)
	}
	return r, others
}

// check holds one parameter's reading to the reference.
func (r referenceParam) check(t *testing.T, q, secret string, p Presence) {
	switch {
	case r.lookalike:
		if p != Malformed {
			t.Fatalf("%q: a lookalike key must be refused, got presence %v %q", q, p, secret)
		}
	case len(r.values) == 0:
		if p != NoToken {
			t.Fatalf("%q: no such parameter, got presence %v", q, p)
		}
	case len(r.values) > 1 || r.undecodable || !isB64Token(r.values[0]):
		if p != Malformed {
			t.Fatalf("%q: want malformed, got %v %q", q, p, secret)
		}
	default:
		if p != TokenPresented || secret != r.values[0] {
			t.Fatalf("%q: want %q, got %v %q", q, r.values[0], p, secret)
		}
	}
}

// FuzzQueryToken checks the api_token and fg_link readers against net/url's
// decoding of each parameter: only a key spelled exactly api_token (fg_link)
// carries a secret, a lookalike key makes the query malformed; and that
// stripping leaves no secret or lookalike behind and the other parameters
// untouched.
func FuzzQueryToken(f *testing.F) {
	for _, s := range []string{"api_token=abc", "a=1&api_token=x&b=2", "api%5Ftoken=x", "api_token=a&api_token=b",
		"api_token=", "api_token=%zz", "&&api_token=x=y", "api+token=x", "API_TOKEN=x", "api_token[]=x",
		"api_token%00=x", "api_token%5B%5D=x", "a=1&Api_Token=x", "%20api.token=x", "api_token[=x", "api[token]=x",
		"fg_link=fgl_x", "a=1&FG_LINK=x", "fg.link=x&api_token=y", "fg_link=a&fg_link=b",
		"api_token%20=x", "api_token+=x", "api_token.=x", "api_token_=x", "+api_token=x", "api_token%09=x",
		"api_token%C2%A0=x", "%EF%BB%BFapi_token=x", "api_token%E2%80%8B=x", "api_token%00%zz=x", "api_token%20[]=x",
		"fg_link%20=x", "fg_link+=x", "fg_link.=x", "fg.link.=x", "api_tokens=x", "api_token%zz=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		token, tokenOthers := readReference(q, "api_token", referenceLookalike)
		link, _ := readReference(q, "fg_link", referenceLinkLookalike)
		_, linkAndOthers := readReference(strings.Join(tokenOthers, "&"), "fg_link", referenceLinkLookalike)
		qc := readQueryCredentials(q)
		token.check(t, q, qc.token, qc.tokenP)
		link.check(t, q, qc.link, qc.linkP)

		stripped := StripQueryCredentials(q)
		if qc := readQueryCredentials(stripped); qc.tokenP != NoToken {
			t.Fatalf("StripQueryCredentials(%q) = %q still has a token or a lookalike", q, stripped)
		}
		if _, p := ExtractLink(stripped); p != NoToken {
			t.Fatalf("StripQueryCredentials(%q) = %q still has a link or a lookalike", q, stripped)
		}
		secretish := len(token.values) > 0 || token.lookalike || len(link.values) > 0 || link.lookalike
		if !secretish && stripped != q {
			t.Fatalf("StripQueryCredentials(%q) = %q changed a query without a secret", q, stripped)
		}
		if secretish && stripped != strings.Join(linkAndOthers, "&") {
			t.Fatalf("StripQueryCredentials(%q) = %q, want the other parameters %q", q, stripped, strings.Join(linkAndOthers, "&"))
		}
	})
}
