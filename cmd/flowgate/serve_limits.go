package main

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"flowgate/checker"
)

// fdReserve is how many file descriptors the connection cap leaves to the
// rest of the process: the database and its -wal/-shm files, the
// listeners, stderr, TLS files, DNS lookups.
const fdReserve = 64

// maxDefaultConns bounds the derived default when the descriptor limit is
// very large: each open connection also costs memory (a goroutine and
// buffers, ~10-20 KB), and a million of them is not a default.
const maxDefaultConns = 1 << 16

// defaultMaxConns derives --max-conns from the descriptor limit: of what
// is left after fdReserve, half for connections from callers and half for
// the connections the proxy opens upstream, less the gateway listener's
// own reserve.
func defaultMaxConns() int {
	var lim syscall.Rlimit
	nofile := uint64(1024)
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur > 0 {
		nofile = lim.Cur // RLIM_INFINITY too: the bound below applies
	}
	var callers uint64
	if nofile > fdReserve {
		callers = (nofile - fdReserve) / 2
	}
	callers = min(callers, maxDefaultConns+checker.GatewayReserve)
	if callers < checker.GatewayReserve+minDefaultConns {
		return minDefaultConns
	}
	return int(callers - checker.GatewayReserve)
}

// minDefaultConns is the default when the descriptor limit is tiny: too
// few to be useful otherwise.
const minDefaultConns = 16

// addLimitFlags declares serve's resource limits, with their defaults.
func addLimitFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Int("max-conns", defaultMaxConns(), "at most `N` open connections across the listeners, plus "+strconv.Itoa(checker.GatewayReserve)+
		" kept for --gateway-listen; more wait until one closes; derived from the open-files limit as (limit-64)/2-16")
	f.Duration("header-timeout", checker.DefaultHeaderTimeout, "the request headers (and TLS handshake) must arrive within `D`")
	f.Duration("body-timeout", checker.DefaultBodyTimeout, "the whole request body must arrive within `D` of the headers: a deadline, which a trickle does not extend")
	f.Duration("idle-timeout", checker.DefaultIdleTimeout, "close a keep-alive connection after `D` without a request")
	f.Var(new(byteSize), "max-body", "answer 413 to a forwarded request body over `SIZE`: 512k, 10MiB or 10m (binary), 10MB (decimal), or off")
}

// serveLimits is what the limit flags say.
type serveLimits struct {
	http     checker.Limits
	maxConns int
	maxBody  int64
}

func readLimitFlags(cmd *cobra.Command) (serveLimits, error) {
	f := cmd.Flags()
	var l serveLimits
	l.maxConns, _ = f.GetInt("max-conns")
	if l.maxConns < 1 {
		return l, fail(2, "--max-conns: %d is not a number of connections (at least 1)", l.maxConns)
	}
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{
		{"header-timeout", &l.http.HeaderTimeout},
		{"body-timeout", &l.http.BodyTimeout},
		{"idle-timeout", &l.http.IdleTimeout},
	} {
		*d.dst, _ = f.GetDuration(d.name)
		if *d.dst <= 0 {
			return l, fail(2, "--%s: %v is not a timeout (give a positive duration such as 30s or 2m)", d.name, *d.dst)
		}
	}
	l.maxBody = int64(*f.Lookup("max-body").Value.(*byteSize))
	return l, nil
}

// byteSize is a --max-body value: a number of bytes, 0 for no limit.
type byteSize int64

// sizeUnits are the suffixes byteSize accepts, in lower case: SI for
// kB/MB/GB, binary for KiB/MiB/GiB and for nginx's bare k/m/g.
var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"kb": 1e3, "mb": 1e6, "gb": 1e9,
	"k": 1 << 10, "m": 1 << 20, "g": 1 << 30,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
}

func (s *byteSize) Set(v string) error {
	t := strings.ToLower(strings.TrimSpace(v))
	if t == "off" {
		*s = 0
		return nil
	}
	digits := strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' })
	if digits < 0 {
		digits = len(t)
	}
	n, err := strconv.ParseInt(t[:digits], 10, 64)
	unit, ok := sizeUnits[strings.TrimSpace(t[digits:])]
	if err != nil || !ok || n > (1<<62)/unit {
		return fmt.Errorf("not a size: use bytes or a unit, such as 512k, 10MB or 1GiB, or off")
	}
	*s = byteSize(n * unit)
	return nil
}

func (s *byteSize) String() string {
	if *s == 0 {
		return "off"
	}
	return strconv.FormatInt(int64(*s), 10)
}

func (s *byteSize) Type() string { return "size" }
