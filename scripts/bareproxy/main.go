// Command bareproxy is the baseline of `flowgate serve --upstream` in
// scripts/bench-gateway.sh: a bare httputil.ReverseProxy to the same
// upstream, with the same transport settings flowgate's proxy uses (the
// default transport with 256 idle connections per host, and the
// X-Forwarded-* headers set), and nothing else: no decision, no headers
// cleaned, no logs.
//
// Usage: bareproxy ADDR UPSTREAM_URL
package main

import (
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: bareproxy ADDR UPSTREAM_URL")
		os.Exit(2)
	}
	upstream, err := url.Parse(os.Args[2])
	if err != nil || upstream.Host == "" {
		fmt.Fprintf(os.Stderr, "bareproxy: invalid upstream URL %q\n", os.Args[2])
		os.Exit(2)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 256
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(upstream)
			pr.SetXForwarded()
		},
		Transport: transport,
	}
	err = http.ListenAndServe(os.Args[1], proxy)
	fmt.Fprintln(os.Stderr, "bareproxy:", err)
	os.Exit(1)
}
