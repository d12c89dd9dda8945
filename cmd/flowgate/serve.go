package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"flowgate/checker"
)

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve [--listen ADDR] [--upstream URL] [--gateway-listen ADDR] [--tls-cert FILE --tls-key FILE] [flags]",
		Short: "Enforce the settings on live calls: reverse proxy and forward-auth",
		Long: "Run the runtime checker. Workflow calls are decided from the settings database, which is\n" +
			"watched and reloaded when it changes. Several checkers can share one PostgreSQL --db URL\n" +
			"(see docs/operations.md). With --upstream, allowed calls are proxied there;\n" +
			"without it they are answered 200 with the decision. Gateways can ask instead:\n" +
			"  /_flowgate/auth        Traefik, Caddy (X-Forwarded-Method/-Uri), Envoy (/_flowgate/auth/<path>)\n" +
			"  /_flowgate/nginx-auth  nginx auth_request (X-Original-Method/-URI)\n" +
			"  /_flowgate/healthz     status, version, backend, settings generation and age, calls dropped\n" +
			"  /_flowgate/metrics     Prometheus metrics\n" +
			"With --gateway-listen ADDR these are served there, and only there. Without it they\n" +
			"are served on --listen, unless --upstream is given: a listener that proxies faces callers,\n" +
			"so its /_flowgate/healthz answers only {\"status\":\"ok\"} (or 503) and the forward-auth\n" +
			"paths get 404. The limits and TLS below apply to every listener.\n" +
			"Logs (JSON, one line per call, never a token) go to stderr, or the calls' to --access-log.\n" +
			"See docs/gateways.md.",
		Args: noArgs,
		RunE: runServe,
	}
	cmd.Flags().String("listen", "127.0.0.1:8420", "address to listen on")
	cmd.Flags().String("upstream", "", "forward allowed calls to this URL (http or https)")
	cmd.Flags().Bool("no-query-token", false, "refuse tokens in the api_token query parameter")
	addListenerFlags(cmd)
	addLimitFlags(cmd)
	addRecordFlags(cmd)
	addStalenessFlag(cmd)
	cmd.Flags().Bool("forward-authorization", false, "forward the caller's Authorization header to the upstream (removed by default when it carried a flowgate token)")
	cmd.Flags().Duration("upstream-timeout", 60*time.Second, "how long to wait for the upstream's response headers (504 after)")
	cmd.Flags().String("calls-retention", "30d", "keep the call log's per-minute counts this long (such as 30d or 12h); older minutes are pruned")
	return cmd
}

// logFlushInterval bounds how late a log line reaches stderr.
const logFlushInterval = 100 * time.Millisecond

// shutdownGrace is how long in-flight calls get to finish after a signal.
const shutdownGrace = 10 * time.Second

func runServe(cmd *cobra.Command, _ []string) error {
	noQuery, _ := cmd.Flags().GetBool("no-query-token")
	var upstream *url.URL
	if raw, _ := cmd.Flags().GetString("upstream"); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fail(2, "--upstream: invalid URL %q: use http://host:port or https://host", raw)
		}
		upstream = u
	}
	lf, err := readListenerFlags(cmd)
	if err != nil {
		return err
	}
	limits, err := readLimitFlags(cmd)
	if err != nil {
		return err
	}
	rawRetention, _ := cmd.Flags().GetString("calls-retention")
	retention, err := parseAge("--calls-retention", rawRetention)
	if err != nil {
		return err
	}
	records, err := readRecordFlags(cmd)
	if err != nil {
		return err
	}
	maxStale, err := readStalenessFlag(cmd)
	if err != nil {
		return err
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()

	logOut := checker.NewLogWriter(cmd.ErrOrStderr(), logFlushInterval)
	defer logOut.Close()
	logger := slog.New(slog.NewJSONHandler(logOut, nil))
	access, err := openAccessLog(records.accessLog, logOut, s.Path())
	if err != nil {
		return err
	}
	defer access.Close()
	var proxy http.Handler // nil: answer allowed calls with the decision
	if upstream != nil {
		forwardAuthz, _ := cmd.Flags().GetBool("forward-authorization")
		timeout, _ := cmd.Flags().GetDuration("upstream-timeout")
		if timeout < 0 {
			return fail(2, "--upstream-timeout: %s is negative: use 0 for no limit or a duration such as 60s", timeout)
		}
		proxy = checker.NewProxy(checker.ProxyOptions{Upstream: upstream, Logger: logger,
			ForwardAuthorization: forwardAuthz, ResponseHeaderTimeout: timeout})
	}
	calls := checker.NewCallLog(s, logger, checker.DefaultCallQueue)
	if !s.ReadOnly() { // else there is no call log to prune
		calls.SetRetention(retention)
	}
	opts := checker.Options{AllowQueryToken: !noQuery, Logger: logger, AccessLog: access.writer(), Calls: calls,
		TrustedProxies: records.trusted, Metrics: newMetricsRegistry()}
	opts.MaxStaleness, opts.Version, opts.Backend = maxStale, readVersion().Short(), string(s.Backend())
	if s.ReadOnly() {
		opts.Calls = nil
		logger.Warn("database is read-only: call log disabled", "db", s.Path())
	}
	c := checker.New(opts)
	if err := c.Load(cmd.Context(), s); err != nil {
		return fail(2, "cannot start: %v", err)
	}
	ls, err := openListeners(lf, c, proxy, limits, logger)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bg, cancelBG := context.WithCancel(context.Background())
	callsDone := make(chan struct{})
	go func() { calls.Run(bg); close(callsDone) }()
	go c.Watch(bg, s, checker.PollInterval)
	access.reopenOnHangup(logger)
	served := make(chan error, len(ls))
	ls.serve(served)
	ls.warnIfClear(logger)
	logger.Info("listening", "addr", ls[0].ln.Addr().String(), "gateway", ls.gatewayAddr(),
		"upstream", upstreamName(upstream), "tls", lf.certFile != "", "max_conns", limits.maxConns,
		"db", s.Path(), "generation", c.Generation(), "query_tokens", !noQuery)

	var serveErr error
	select {
	case <-ctx.Done():
		logger.Info("shutting down", "grace", shutdownGrace.String())
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		serveErr = ls.shutdown(sctx)
		cancel()
	case serveErr = <-served:
	}
	cancelBG()
	<-callsDone
	logger.Info("stopped", "calls_logged", calls.Written(), "calls_dropped", calls.Dropped())
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fail(2, "serve: %v", serveErr)
	}
	return nil
}

// upstreamName is the upstream for the log, without credentials.
func upstreamName(u *url.URL) string {
	if u == nil {
		return "none"
	}
	return u.Redacted()
}
