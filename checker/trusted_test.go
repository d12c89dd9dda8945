package checker

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testTrusted are the proxies the trusted-proxy tests believe.
var testTrusted = []string{"10.0.0.0/8", "192.0.2.1", "2001:db8:1::/48"}

// recordedRemote sends one call from peer with the given X-Forwarded-For
// lines through the checker's handler (forward-auth when gateway), and
// returns the address the access line recorded and the X-Real-IP the
// upstream got (empty for forward-auth).
func recordedRemote(t *testing.T, l *logged, gateway bool, peer string, xff ...string) (string, string) {
	t.Helper()
	var realIP string
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { realIP = r.Header.Get("X-Real-Ip") })
	h, path := l.Handler(up), "/api/1.1/wf/public-none-post"
	if gateway {
		h, path = l.GatewayHandler(), AuthPath+path
	}
	req := httptest.NewRequest("POST", path, nil)
	req.RemoteAddr = peer
	if len(xff) > 0 {
		req.Header["X-Forwarded-For"] = xff
	}
	before := strings.Count(l.access.String(), `"msg":"call"`)
	h.ServeHTTP(httptest.NewRecorder(), req)
	lines := l.accessLines(t)
	require.Len(t, lines, before+1)
	return lines[before]["remote"].(string), realIP
}

func TestTrustedProxiesNameTheClientAndNothingAnAttackerWrote(t *testing.T) {
	f := newFixture(t)
	trusted, err := ParseTrustedProxies(testTrusted)
	require.NoError(t, err)
	l := f.loggedChecker(t, Options{TrustedProxies: trusted})
	longChain := strings.Repeat("10.7.7.7, ", maxForwardedHops+5) + "10.8.8.8"
	for _, c := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no header from a trusted peer", "10.0.0.5:4000", nil, "10.0.0.5"},
		{"an untrusted peer's header is ignored", "198.51.100.1:4000", []string{"203.0.113.9"}, "198.51.100.1"},
		{"an untrusted peer cannot name a trusted proxy either", "198.51.100.1:4000", []string{"203.0.113.9, 10.0.0.1"}, "198.51.100.1"},
		{"a trusted peer names the client", "10.0.0.5:4000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"a single trusted address", "192.0.2.1:80", []string{"203.0.113.9"}, "203.0.113.9"},
		{"entries left of the client are the client's own", "10.0.0.5:4000", []string{"198.51.100.7, 203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"a forged trusted entry on the left is never reached", "10.0.0.5:4000", []string{"10.9.9.9, 203.0.113.9"}, "203.0.113.9"},
		{"across header lines, last line last", "10.0.0.5:4000", []string{"198.51.100.7, 203.0.113.9", "10.1.2.3"}, "203.0.113.9"},
		{"a malformed entry stops at the last trusted hop", "10.0.0.5:4000", []string{"198.51.100.7, junk, 10.1.2.3"}, "10.1.2.3"},
		{"unknown stops at the peer", "10.0.0.5:4000", []string{"198.51.100.7, unknown"}, "10.0.0.5"},
		{"an empty entry stops the walk", "10.0.0.5:4000", []string{"203.0.113.9,,10.1.2.3"}, "10.1.2.3"},
		{"an empty header stops at the peer", "10.0.0.5:4000", []string{""}, "10.0.0.5"},
		{"a malformed line stops the walk across lines", "10.0.0.5:4000", []string{"203.0.113.9", "bad"}, "10.0.0.5"},
		{"every entry trusted: the leftmost", "10.0.0.5:4000", []string{"10.1.1.1, 10.2.2.2"}, "10.1.1.1"},
		{"a port is dropped", "10.0.0.5:4000", []string{"203.0.113.9:5123"}, "203.0.113.9"},
		{"a bracketed IPv6 with port", "10.0.0.5:4000", []string{"[2001:db8:2::9]:443"}, "2001:db8:2::9"},
		{"IPv6 peers and hops", "[2001:db8:1::1]:4000", []string{"2001:db8:2::9, 2001:db8:1::2"}, "2001:db8:2::9"},
		{"an IPv4-mapped hop is IPv4 and can be trusted", "10.0.0.5:4000", []string{"198.51.100.7, ::ffff:10.1.2.3"}, "198.51.100.7"},
		{"an IPv4-mapped peer is IPv4", "[::ffff:10.0.0.5]:4000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"a zone is dropped", "10.0.0.5:4000", []string{"fe80::1%eth0"}, "fe80::1"},
		{"a chain past the hop limit stops at the last trusted hop", "10.0.0.5:4000", []string{"203.0.113.9, " + longChain}, "10.7.7.7"},
		{"a long header's client is still read", "10.0.0.5:4000", []string{strings.Repeat("198.51.100.7, ", 200) + "203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
	} {
		got, realIP := recordedRemote(t, l, false, c.peer, c.xff...)
		assert.Equal(t, c.want, got, c.name)
		assert.Equal(t, c.want, realIP, "%s: X-Real-IP", c.name)
		got, _ = recordedRemote(t, l, true, c.peer, c.xff...)
		assert.Equal(t, c.want, got, "%s: forward-auth", c.name)
	}
}

func TestWithoutTrustedProxiesOnlyForwardAuthReadsTheLastHop(t *testing.T) {
	f := newFixture(t)
	l := f.loggedChecker(t, Options{})
	got, realIP := recordedRemote(t, l, false, "198.51.100.1:4000", "203.0.113.9")
	assert.Equal(t, "198.51.100.1", got, "callers' listener: the peer")
	assert.Equal(t, "198.51.100.1", realIP)
	got, _ = recordedRemote(t, l, true, "127.0.0.1:4000", "198.51.100.7, 203.0.113.9")
	assert.Equal(t, "203.0.113.9", got, "forward-auth: the hop the gateway appended")
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies([]string{" 10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "::1"})
	require.NoError(t, err)
	assert.Equal(t, TrustedProxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32"),
		netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("::1/128")}, got)
	for in, want := range map[string]string{
		"":                    "an empty entry",
		"10.0.0.0/33":         "is not a CIDR",
		"ten":                 "is not an IP address or a CIDR",
		"10.0.0.1/8":          "host bits set: did you mean 10.0.0.0/8?",
		"0.0.0.0/0":           "trusts every address",
		"::/0":                "trusts every address",
		"::ffff:10.0.0.0/104": "IPv4-mapped",
		"fe80::1%eth0":        "is not an IP address",
	} {
		_, err := ParseTrustedProxies([]string{"10.0.0.0/8", in})
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
}

// FuzzTrustedClientIP checks the walk against a plain reference: split
// every line on commas, walk from the right, stop at the first untrusted
// entry (the answer) or the first malformed one (the last trusted address
// so far). Whatever the header holds, the two agree.
func FuzzTrustedClientIP(f *testing.F) {
	for _, seed := range []string{"203.0.113.9", "198.51.100.7, 203.0.113.9, 10.1.2.3", "junk, 10.1.2.3",
		",", " 10.1.1.1 ,10.2.2.2", "[2001:db8::1]:80, 10.0.0.1:1", "::ffff:10.1.2.3", "fe80::1%x, 10.1.1.1"} {
		f.Add(seed, "10.1.1.9")
	}
	trusted, err := ParseTrustedProxies(testTrusted)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, xff, second string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.5:4000"
		r.Header["X-Forwarded-For"] = []string{xff, second}
		got := trusted.clientIP(r)
		want := referenceClientIP(trusted, "10.0.0.5", xff+","+second)
		if got != want {
			t.Fatalf("X-Forwarded-For %q, %q: got %q, want %q", xff, second, got, want)
		}
	})
}

func referenceClientIP(trusted TrustedProxies, peer, xff string) string {
	last := peer
	entries := strings.Split(xff, ",")
	for i := len(entries) - 1; i >= 0; i-- {
		if len(entries)-i > maxForwardedHops {
			return last
		}
		ip, _, ok := parseHop(strings.Trim(entries[i], " \t"))
		if !ok {
			return last
		}
		if !trusted.contains(ip) {
			return ip.String()
		}
		last = ip.String()
	}
	return last
}
