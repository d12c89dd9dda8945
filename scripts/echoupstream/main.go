// Command echoupstream is the upstream app of the gateway end-to-end scripts
// (scripts/nginx-e2e.sh, scripts/caddy-e2e.sh): it answers every request
// with what it received, so a script can assert exactly which headers a
// gateway in front of flowgate let through.
//
// The first line keeps the short form the cases grep for:
//
//	auth=[…] user=[…] token=[…] method=[…] uri=[…] peer=[…]
//
// then one "header NAME=[VALUE]" line per header value, sorted, with names as
// Go's server canonicalises them (an underscore spelling stays visible:
// X_flowgate_auth). Every answer carries the weak caching, referrer and
// content policies of a careless file server (see laxHeaders), so a script
// can check that a gateway puts flowgate's link security headers in their
// place. A request carrying Upgrade is answered 101 Switching
// Protocols, as a careless app would: a gateway that forwards it has opened
// a tunnel past the checker, and the script sees the 101.
//
// Usage: echoupstream ADDR [ADDR_FILE]
//
// With ADDR 127.0.0.1:0 the system picks a free port; the address listened
// on is written to ADDR_FILE once the listener is open, so a script never
// races another process for a port.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: echoupstream ADDR [ADDR_FILE]")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", os.Args[1])
	if err == nil && len(os.Args) == 3 {
		err = writeAddr(os.Args[2], ln.Addr().String())
	}
	if err == nil {
		err = http.Serve(ln, http.HandlerFunc(echo))
	}
	fmt.Fprintln(os.Stderr, "echoupstream:", err)
	os.Exit(1)
}

// writeAddr publishes the address whole: written beside the file, then
// renamed over it, so a reader never sees half of it.
func writeAddr(file, addr string) error {
	if err := os.WriteFile(file+".tmp", []byte(addr+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(file+".tmp", file)
}

// laxHeaders are what a careless file server answers with: cacheable by
// anyone, the full URL (a share link included) sent on as Referer, and no
// limit on script. The gateway scripts expect them on answers a token
// opened, and flowgate's link security headers instead on answers a share
// link opened.
var laxHeaders = [...][2]string{
	{"Cache-Control", "public, max-age=86400"},
	{"Referrer-Policy", "unsafe-url"},
	{"Content-Security-Policy", "default-src *"},
}

// echo writes the description of r, after a 101 when r asks for an upgrade.
func echo(w http.ResponseWriter, r *http.Request) {
	text := describe(r)
	if r.Header.Get("Upgrade") != "" {
		switchProtocols(w, r, text)
		return
	}
	for _, h := range laxHeaders {
		w.Header().Set(h[0], h[1])
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, text)
}

// describe is the summary line and every header the request carried.
func describe(r *http.Request) string {
	var b strings.Builder
	peer, _, _ := net.SplitHostPort(r.RemoteAddr)
	fmt.Fprintf(&b, "auth=[%s] user=[%s] token=[%s] method=[%s] uri=[%s] peer=[%s]\n",
		r.Header.Get("X-Flowgate-Auth"), r.Header.Get("X-Flowgate-User"), r.Header.Get("X-Flowgate-Token"),
		r.Method, r.RequestURI, peer)
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range r.Header[name] {
			fmt.Fprintf(&b, "header %s=[%s]\n", name, v)
		}
	}
	return b.String()
}

// switchProtocols answers 101 on the raw connection and writes text into
// the "tunnel", as an app that accepts any upgrade would.
func switchProtocols(w http.ResponseWriter, r *http.Request, text string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot hijack: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: %s\r\n\r\n%s",
		r.Header.Get("Upgrade"), text)
	buf.Flush()
}
