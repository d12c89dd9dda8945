package main

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"

	"github.com/spf13/cobra"

	"flowgate/checker"
)

// addListenerFlags declares where serve listens and with which certificate.
func addListenerFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String("gateway-listen", "", "serve the forward-auth endpoints and the health details on `ADDR`, and only there (for gateways and monitoring)")
	f.String("tls-cert", "", "serve HTTPS on every listener with the certificate chain in `FILE` (PEM; reloaded when it changes); needs --tls-key")
	f.String("tls-key", "", "the private key of --tls-cert, in `FILE` (PEM)")
}

// listenerFlags is what the listener flags say.
type listenerFlags struct {
	listen, gateway   string
	certFile, keyFile string
}

func readListenerFlags(cmd *cobra.Command) (listenerFlags, error) {
	f := cmd.Flags()
	var l listenerFlags
	l.listen, _ = f.GetString("listen")
	l.gateway, _ = f.GetString("gateway-listen")
	l.certFile, _ = f.GetString("tls-cert")
	l.keyFile, _ = f.GetString("tls-key")
	if (l.certFile == "") != (l.keyFile == "") {
		return l, fail(2, "--tls-cert and --tls-key go together: give both files or neither")
	}
	if l.gateway != "" && sameAddress(l.listen, l.gateway) {
		return l, fail(2, "--gateway-listen: same address as --listen (%s): give the gateway listener its own port", l.listen)
	}
	return l, nil
}

// sameAddress reports whether a and b name one TCP address, so that the
// second listener could never bind it: equal strings, or the same port
// (not 0, which picks a free one) on the same IP once resolved
// (localhost:80 and 127.0.0.1:80; :80 and 0.0.0.0:80).
func sameAddress(a, b string) bool {
	if a == b {
		_, port, err := net.SplitHostPort(a)
		return err != nil || port != "0"
	}
	ta, errA := net.ResolveTCPAddr("tcp", a)
	tb, errB := net.ResolveTCPAddr("tcp", b)
	if errA != nil || errB != nil || ta.Port == 0 || ta.Port != tb.Port {
		return false
	}
	unspecified := func(ip net.IP) bool { return ip == nil || ip.IsUnspecified() }
	return ta.IP.Equal(tb.IP) || unspecified(ta.IP) && unspecified(tb.IP)
}

// listener is one address serve answers on and the server behind it.
type listener struct {
	ln  net.Listener
	srv *http.Server
}

// listeners are serve's: the one callers reach first, then the gateway
// listener when there is one.
type listeners []listener

// openListeners listens on every address, each with the limits and the
// certificate, and with its handler: with a gateway listener, callers'
// listener has no forward-auth endpoints (see checker.PublicHandler).
// Nothing stays open on error.
func openListeners(lf listenerFlags, c *checker.Checker, proxy http.Handler, limits serveLimits, logger *slog.Logger) (listeners, error) {
	var tlsConfig *tls.Config
	if lf.certFile != "" {
		certs, err := checker.NewCertReloader(lf.certFile, lf.keyFile, logger)
		if err != nil {
			return nil, fail(2, "--tls-cert/--tls-key: %v", err)
		}
		tlsConfig = certs.TLSConfig()
	}
	if proxy != nil {
		proxy = checker.GuardBody(proxy, limits.maxBody)
	}
	conns := checker.NewConnLimit(limits.maxConns, logger)
	main := c.Handler(proxy)
	if lf.gateway != "" {
		main = c.PublicHandler(proxy)
	}
	var ls listeners
	for _, l := range []struct {
		flag, addr string
		h          http.Handler
		gateway    bool
	}{
		{"--listen", lf.listen, main, false},
		{"--gateway-listen", lf.gateway, c.GatewayHandler(), true},
	} {
		if l.addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			ls.close()
			return nil, fail(2, "%s: %v", l.flag, err)
		}
		srv := checker.NewHTTPServer(l.h, logger, limits.http)
		srv.TLSConfig = tlsConfig
		ls = append(ls, listener{conns.Listener(ln, l.gateway), srv})
	}
	return ls, nil
}

// serve runs every server; each sends what its Serve returned.
func (ls listeners) serve(served chan<- error) {
	for _, l := range ls {
		go func() {
			if l.srv.TLSConfig != nil {
				served <- l.srv.ServeTLS(l.ln, "", "")
			} else {
				served <- l.srv.Serve(l.ln)
			}
		}()
	}
}

// shutdown stops every server, letting calls in flight finish until ctx ends.
func (ls listeners) shutdown(ctx context.Context) error {
	var errs []error
	for _, l := range ls {
		errs = append(errs, l.srv.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

func (ls listeners) close() {
	for _, l := range ls {
		l.ln.Close()
	}
}

// gatewayAddr is the gateway listener's address for the log, or "none".
func (ls listeners) gatewayAddr() string {
	if len(ls) < 2 {
		return "none"
	}
	return ls[1].ln.Addr().String()
}

// warnIfClear logs one line when a listener without TLS accepts more than
// loopback connections: bearer tokens would cross the network readable.
func (ls listeners) warnIfClear(logger *slog.Logger) {
	var exposed []string
	for _, l := range ls {
		a, ok := l.ln.Addr().(*net.TCPAddr)
		if l.srv.TLSConfig == nil && (!ok || !a.IP.IsLoopback()) {
			exposed = append(exposed, l.ln.Addr().String())
		}
	}
	if len(exposed) > 0 {
		logger.Warn("listening beyond loopback without TLS: bearer tokens cross the network in clear; "+
			"give --tls-cert and --tls-key, or listen on 127.0.0.1 behind a gateway that terminates TLS",
			"addrs", exposed)
	}
}
