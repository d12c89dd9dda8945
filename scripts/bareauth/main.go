// Command bareauth is a baseline of scripts/bench-gateway.sh: the smallest
// net/http server, answering every request 200 with one header
// (X-Flowgate-Auth: admin) and no body. The script measures flowgate's
// forward-auth endpoints against it, uses it as nginx's auth_request server
// for the nginx baseline, and as the upstream app of every proxied path, so
// that what each ratio compares is flowgate's own work.
//
// Usage: bareauth ADDR
package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bareauth ADDR")
		os.Exit(2)
	}
	err := http.ListenAndServe(os.Args[1], http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Flowgate-Auth", "admin")
		w.WriteHeader(http.StatusOK)
	}))
	fmt.Fprintln(os.Stderr, "bareauth:", err)
	os.Exit(1)
}
