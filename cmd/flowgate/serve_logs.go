package main

import (
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"flowgate/checker"
	"flowgate/store"
)

// addRecordFlags declares how serve records calls: where the access log
// goes and whose X-Forwarded-For names the caller.
func addRecordFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String("access-log", "stderr", "where the access log (one JSON line per call) goes, `DEST`: stderr, off, or a file path, appended to and reopened on SIGHUP (for logrotate)")
	f.StringSlice("trusted-proxy", nil, "believe X-Forwarded-For only from peers in `CIDR[,CIDR]` (your load balancers and gateways): the last untrusted hop is recorded as the client")
}

// recordFlags is what the record flags say.
type recordFlags struct {
	accessLog string
	trusted   checker.TrustedProxies
}

func readRecordFlags(cmd *cobra.Command) (recordFlags, error) {
	f := cmd.Flags()
	var r recordFlags
	r.accessLog, _ = f.GetString("access-log")
	if strings.TrimSpace(r.accessLog) == "" {
		return r, fail(2, "--access-log: empty: give stderr, off or the path of a file")
	}
	list, _ := f.GetStringSlice("trusted-proxy")
	trusted, err := checker.ParseTrustedProxies(list)
	if err != nil {
		return r, fail(2, "--trusted-proxy: %v", err)
	}
	r.trusted = trusted
	return r, nil
}

// accessLog is where serve writes its access lines: the buffered stderr it
// shares with its other messages, nothing, or a file of its own.
type accessLog struct {
	out  io.Writer // nil: off
	file *checker.LogFile
	buf  *checker.LogWriter // over file
	hup  chan os.Signal
}

// openAccessLog opens what --access-log names ("stderr", "off" or a
// path); stderr is serve's buffered stderr. A file that cannot be opened
// stops serve before it listens, and so does the database file (or its
// -wal or -shm), which log lines would corrupt.
func openAccessLog(spec string, stderr *checker.LogWriter, dbPath string) (*accessLog, error) {
	switch spec {
	case "off":
		return &accessLog{}, nil
	case "stderr":
		return &accessLog{out: stderr}, nil
	}
	if isDatabaseFile(spec, dbPath) {
		return nil, fail(2, "--access-log: %s is the settings database: give the path of a log file", spec)
	}
	file, err := checker.OpenLogFile(spec)
	if err != nil {
		return nil, fail(2, "--access-log: %v", err)
	}
	buf := checker.NewLogWriter(file, logFlushInterval)
	return &accessLog{out: buf, file: file, buf: buf}, nil
}

// isDatabaseFile reports whether path names the database at dbPath or one
// of SQLite's files beside it (-wal, -shm, -journal), by name or, for one
// that exists, as the same file under another name. A PostgreSQL store
// has no such file.
func isDatabaseFile(path, dbPath string) bool {
	if store.IsURL(dbPath) {
		return false // the settings live on a server, not in a file here
	}
	target, _ := filepath.Abs(path)
	fi, statErr := os.Stat(path)
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		db, _ := filepath.Abs(dbPath + suffix)
		if db == target {
			return true
		}
		if other, err := os.Stat(dbPath + suffix); statErr == nil && err == nil && os.SameFile(fi, other) {
			return true
		}
	}
	return false
}

// writer is the checker's AccessLog: nil when off.
func (a *accessLog) writer() io.Writer {
	if a.out == nil {
		return nil // not a nil *LogWriter in an interface
	}
	return a.out
}

// reopenOnHangup reopens a log file at every SIGHUP, as logrotate asks
// after renaming it: buffered lines go to the old file first. SIGHUP is
// caught from the moment this returns (otherwise it would end serve); with
// no file it is left alone.
func (a *accessLog) reopenOnHangup(logger *slog.Logger) {
	if a.file == nil {
		return
	}
	a.hup = make(chan os.Signal, 1)
	signal.Notify(a.hup, syscall.SIGHUP)
	go func() {
		for range a.hup {
			a.buf.Flush()
			if err := a.file.Reopen(); err != nil {
				logger.Error("access log reopen failed; writing on to the old file", "path", a.file.Path(), "error", err.Error())
				continue
			}
			logger.Info("access log reopened", "path", a.file.Path())
		}
	}()
}

// Close flushes and closes a log file.
func (a *accessLog) Close() {
	if a.file == nil {
		return
	}
	if a.hup != nil {
		signal.Stop(a.hup)
	}
	a.buf.Close()
	a.file.Close()
}

// newMetricsRegistry is what /_flowgate/metrics serves: the checker's
// metrics (registered by checker.New) with the Go runtime's and the
// process's, which show a leak or a descriptor shortage before it bites.
func newMetricsRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}
