package checker

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies are the peers whose X-Forwarded-For the checker believes:
// the load balancers and gateways in front of it, and nobody else. Behind
// them every call would otherwise be recorded under the balancer's
// address. The zero value trusts no one.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads the --trusted-proxy list: CIDRs such as
// 10.0.0.0/8 or fd00::/8, or single addresses. It refuses what would trust
// more than the operator meant: a prefix with host bits set (10.0.0.1/8
// reads like one address and would trust sixteen million), a prefix that
// matches every address (0.0.0.0/0, ::/0: every caller could then name
// itself in X-Forwarded-For), and an IPv4-mapped IPv6 prefix, which never
// matches: peers are compared as plain IPv4.
func ParseTrustedProxies(list []string) (TrustedProxies, error) {
	var t TrustedProxies
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, fmt.Errorf("an empty entry: give CIDRs such as 10.0.0.0/8 or addresses, separated by commas")
		}
		if !strings.Contains(s, "/") {
			ip, err := netip.ParseAddr(s)
			if err != nil || ip.Zone() != "" {
				return nil, fmt.Errorf("%q is not an IP address or a CIDR such as 10.0.0.0/8", s)
			}
			s = fmt.Sprintf("%s/%d", s, ip.BitLen())
		}
		p, err := netip.ParsePrefix(s)
		switch {
		case err != nil:
			return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or fd00::/8", s)
		case p.Bits() == 0:
			return nil, fmt.Errorf("%q trusts every address, so any caller could name itself in X-Forwarded-For: list your proxies' networks", s)
		case p.Addr().Is4In6():
			return nil, fmt.Errorf("%q is an IPv4-mapped prefix: write it as IPv4", s)
		case p.Masked() != p:
			return nil, fmt.Errorf("%q has host bits set: did you mean %s?", s, p.Masked())
		}
		t = append(t, p)
	}
	return t, nil
}

// contains reports whether ip (zone-less, unmapped) is a trusted proxy.
func (t TrustedProxies) contains(ip netip.Addr) bool {
	for _, p := range t {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// maxForwardedHops bounds the X-Forwarded-For entries a walk looks at: a
// real chain of proxies is a handful long. Past it the walk stops as at a
// malformed entry.
const maxForwardedHops = 32

// clientIP is the address a call is recorded under and, when proxied,
// sent upstream as X-Real-IP. Without trusted proxies it is the peer's, or
// on the forward-auth endpoints (gateway) the last X-Forwarded-For hop, as
// the gateway asking appended it (see forwardedClientIP). With trusted
// proxies it is trustedClientIP's on every entry point.
func (c *Checker) clientIP(r *http.Request, gateway bool) string {
	switch {
	case len(c.trusted) > 0:
		return c.trusted.clientIP(r)
	case gateway:
		return forwardedClientIP(r)
	}
	return peerIP(r)
}

// clientIP walks X-Forwarded-For from the right, as proxies append to it:
// a trusted peer's entries are skipped while they are trusted proxies
// too, and the first untrusted one is the client (whoever connected to
// our outermost proxy). Everything left of it was sent by that client and
// is never read. A peer that is not trusted has its X-Forwarded-For
// ignored altogether. An entry that is not an IP (optionally with a port)
// — "unknown", an empty one, garbage — or a chain longer than
// maxForwardedHops stops the walk: the call is recorded under the last
// trusted address reached (the peer itself at worst), never under
// something further left, which an attacker may have written. When every
// entry is trusted, the leftmost is the answer.
func (t TrustedProxies) clientIP(r *http.Request) string {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return peerIP(r)
	}
	peer := ap.Addr().WithZone("").Unmap()
	if !t.contains(peer) {
		return peerIP(r)
	}
	values := r.Header["X-Forwarded-For"]
	last, lastHost := peer, hostOf(r.RemoteAddr)
	hops := 0
	for i := len(values) - 1; i >= 0; i-- {
		rest, long := values[i], len(values[i]) > maxLoggedAddr+len("[]:65535")
		for {
			entry := rest
			comma := strings.LastIndexByte(rest, ',')
			if comma >= 0 {
				entry, rest = rest[comma+1:], rest[:comma]
			}
			ip, host, ok := parseHop(strings.Trim(entry, " \t"))
			if hops++; !ok || hops > maxForwardedHops {
				return ipText(last, lastHost)
			}
			if long {
				// A slice of a long header would keep all of it alive
				// in the call log queue: let ipText copy.
				host = ""
			}
			if !t.contains(ip) {
				return ipText(ip, host)
			}
			last, lastHost = ip, host
			if comma < 0 {
				break
			}
		}
	}
	return ipText(last, lastHost)
}

// parseHop reads one X-Forwarded-For entry: an IP, or an IP with a port
// ("198.51.100.7:5123", "[2001:db8::1]:443") as some proxies write it.
// The address comes back zone-less and unmapped, with the host as sent.
func parseHop(entry string) (netip.Addr, string, bool) {
	if ip, err := netip.ParseAddr(entry); err == nil {
		return ip.WithZone("").Unmap(), entry, true
	}
	if ap, err := netip.ParseAddrPort(entry); err == nil {
		return ap.Addr().WithZone("").Unmap(), hostOf(entry), true
	}
	return netip.Addr{}, "", false
}
