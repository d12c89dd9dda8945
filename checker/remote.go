package checker

import (
	"net/http"
	"net/netip"
	"strings"
)

// noValue stands in a log or the call log for a value that is missing or
// that cannot be trusted to be what it claims (an address that does not
// parse, a name too long to be one).
const noValue = "-"

// peerIP is the IP of the connection's peer (r.RemoteAddr without its
// port), or "-". Only this address is used outside the forward-auth
// endpoints: no client header can plant another one.
func peerIP(r *http.Request) string {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ipText(ap.Addr(), hostOf(r.RemoteAddr))
	}
	return ipOrDash(r.RemoteAddr)
}

// forwardedClientIP is the caller's IP as the gateway saw it on the
// forward-auth endpoints: the last X-Forwarded-For entry (the one the
// gateway itself appended) when it is an IP (a port, as some proxies add,
// is dropped), else the gateway's own address. The header is only scanned
// for its last comma, however long it is.
func forwardedClientIP(r *http.Request) string {
	xff := r.Header["X-Forwarded-For"]
	if len(xff) == 0 {
		return peerIP(r)
	}
	value := xff[len(xff)-1]
	last := value
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	last = strings.Trim(last, " \t")
	ip, err := netip.ParseAddr(last)
	host := last
	if err != nil {
		ap, err := netip.ParseAddrPort(last)
		if err != nil {
			return peerIP(r)
		}
		ip, host = ap.Addr(), hostOf(last)
	}
	if len(value) > maxLoggedAddr+len("[]:65535") {
		// A slice of a long header would keep all of it alive in the call
		// log queue: take a copy.
		host = ""
	}
	return ipText(ip, host)
}

// ipOrDash is s when it is an IP, else "-".
func ipOrDash(s string) string {
	if ip, err := netip.ParseAddr(s); err == nil {
		return ipText(ip, s)
	}
	return noValue
}

// ipText is ip in its canonical form, without zone and with an IPv4-mapped
// address as plain IPv4. It returns asSent (a slice of a short request
// string, so no allocation) when that already is the canonical form, which
// it is for every address the kernel reports.
func ipText(ip netip.Addr, asSent string) string {
	ip = ip.WithZone("").Unmap()
	var buf [64]byte
	if canonical := ip.AppendTo(buf[:0]); string(canonical) == asSent {
		return asSent
	}
	return ip.String()
}

// hostOf is the host part of "host:port" or "[v6]:port", unbracketed.
func hostOf(hostport string) string {
	host := hostport
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}
