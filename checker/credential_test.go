package checker

import (
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

func TestStripQueryToken(t *testing.T) {
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
	} {
		assert.Equal(t, want, StripQueryToken(in), in)
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
// a spelling of api_token: any case, ' ', '.' or '[' for '_', leading
// spaces, and anything after a '[' or a NUL.
var referenceLookalike = regexp.MustCompile(`(?is)^ *api[_ .\[]token([\[\x00].*)?$`)

// FuzzQueryToken checks the api_token reader against net/url's decoding of
// each parameter: only a key spelled exactly api_token carries a token, a
// lookalike key makes the query malformed; and that stripping leaves no
// token or lookalike behind and the other parameters untouched.
func FuzzQueryToken(f *testing.F) {
	for _, s := range []string{"api_token=abc", "a=1&api_token=x&b=2", "api%5Ftoken=x", "api_token=a&api_token=b",
		"api_token=", "api_token=%zz", "&&api_token=x=y", "api+token=x", "API_TOKEN=x", "api_token[]=x",
		"api_token%00=x", "api_token%5B%5D=x", "a=1&Api_Token=x", "%20api.token=x", "api_token[=x", "api[token]=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		tok, p := parseQueryToken(q)
		var values []string
		var others []string
		undecodable, lookalike := false, false
		for _, param := range strings.Split(q, "&") {
			if q == "" {
				break
			}
			k, v, _ := strings.Cut(param, "=")
			dk, err := url.QueryUnescape(k)
			if err != nil {
				dk = k
			}
			switch {
			case k == "api_token":
			case referenceLookalike.MatchString(dk):
				lookalike = true
				continue
			default:
				others = append(others, param)
				continue
			}
			dv, err := url.QueryUnescape(v)
			if err != nil {
				undecodable = true
			}
			values = append(values, dv)
		}
		switch {
		case lookalike:
			if p != Malformed {
				t.Fatalf("%q: a lookalike key must be refused, got presence %v %q", q, p, tok)
			}
		case len(values) == 0:
			if p != NoToken {
				t.Fatalf("%q: no api_token, got presence %v", q, p)
			}
		case len(values) > 1 || undecodable || !isB64Token(values[0]):
			if p != Malformed {
				t.Fatalf("%q: want malformed, got %v %q", q, p, tok)
			}
		default:
			if p != TokenPresented || tok != values[0] {
				t.Fatalf("%q: want token %q, got %v %q", q, values[0], p, tok)
			}
		}
		stripped := StripQueryToken(q)
		if _, p := parseQueryToken(stripped); p != NoToken {
			t.Fatalf("StripQueryToken(%q) = %q still has a token or a lookalike", q, stripped)
		}
		tokenish := len(values) > 0 || lookalike
		if !tokenish && stripped != q {
			t.Fatalf("StripQueryToken(%q) = %q changed a query without a token", q, stripped)
		}
		if tokenish && stripped != strings.Join(others, "&") {
			t.Fatalf("StripQueryToken(%q) = %q, want the other parameters %q", q, stripped, strings.Join(others, "&"))
		}
	})
}
