package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"flowgate/internal/tcpcut"
)

// fleetMember is one `flowgate serve` of a fleet: its proxying listener
// and its gateway listener, where /_flowgate/healthz tells its state.
type fleetMember struct {
	name string
	srv  *server
	gw   string
}

// startFleet starts one `flowgate serve` per entry of staleness (its
// --max-staleness, "" for the default) on the PostgreSQL database db,
// each reaching it through the returned proxy, proxying to upstream and
// with a gateway listener, and checks that each reports itself healthy on
// the postgres backend.
func startFleet(t *testing.T, db, upstream string, staleness ...string) (*tcpcut.Proxy, []fleetMember) {
	t.Helper()
	u, err := url.Parse(db)
	require.NoError(t, err)
	proxy := tcpcut.Start(t, u.Host)
	shared := viaProxy(t, db, proxy.Addr())
	fleet := make([]fleetMember, len(staleness))
	for i, limit := range staleness {
		args := []string{"--upstream", upstream, "--gateway-listen", "127.0.0.1:0"}
		name := fmt.Sprintf("checker %d", i+1)
		if limit != "" {
			args = append(args, "--max-staleness", limit)
			name += " (--max-staleness " + limit + ")"
		}
		srv := startServe(t, shared, args...)
		fleet[i] = fleetMember{name: name, srv: srv, gw: srv.gatewayAddr(t)}
		status, h := fleet[i].health(t)
		require.Equal(t, 200, status, name)
		require.Equal(t, "ok", h["status"], name)
		require.Equal(t, "postgres", h["backend"], name)
		require.Positive(t, h["generation"], name)
	}
	return proxy, fleet
}

// fleetClient gives up on a call rather than hang a test; it is safe to
// use from the goroutines that watch several checkers at once.
var fleetClient = &http.Client{Timeout: 5 * time.Second}

// try makes one call to a workflow through m and answers its status and
// body, or the error; unlike server.post it can run outside the test's
// goroutine.
func (m fleetMember) try(workflow, token string) (int, string, error) {
	req, err := http.NewRequest("POST", "http://"+m.srv.addr+"/api/1.1/wf/"+workflow, strings.NewReader("{}"))
	if err != nil {
		return 0, "", err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := fleetClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// call is try for the test's goroutine: an error fails the test.
func (m fleetMember) call(t *testing.T, workflow, token string) (int, string) {
	t.Helper()
	status, body, err := m.try(workflow, token)
	require.NoError(t, err, "%s: %s", m.name, m.srv.log())
	return status, body
}

// health reads m's /_flowgate/healthz.
func (m fleetMember) health(t *testing.T) (int, map[string]any) {
	t.Helper()
	return gatewayHealth(t, m.gw)
}

// waitForHealth polls m's healthz until its status is want, fails the test
// after patience, and returns the last report and how long it took.
func (m fleetMember) waitForHealth(t *testing.T, want string) (map[string]any, time.Duration) {
	t.Helper()
	start := time.Now()
	for {
		_, h := m.health(t)
		if h["status"] == want {
			return h, time.Since(start)
		}
		if time.Since(start) > patience {
			t.Fatalf("%s: healthz never said %q (last %v): %s", m.name, want, h, m.srv.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// enforcement is how long after a change one checker first answered as
// the change demands.
type enforcement struct {
	name  string
	after time.Duration
	err   error
}

// changeEnforcedByAll runs one CLI command that changes the settings
// through db while every member is asked, every few milliseconds from
// before the command starts, for workflow with token; it waits until every
// member answers want or patience runs out, then logs and returns how long
// after the command returned each member first did (a member can answer
// before the process that committed the change has exited: then the
// latency is negative). Nothing is asserted about the latencies: they are
// a benchmark figure.
func changeEnforcedByAll(t *testing.T, fleet []fleetMember, db, workflow, token string, want int, change ...string) []enforcement {
	t.Helper()
	var returned time.Time
	var mu sync.Mutex // guards returned
	started := make(chan struct{})
	results := make([]enforcement, len(fleet))
	var wg sync.WaitGroup
	for i, m := range fleet {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = firstAnswer(m, workflow, token, want, started, &mu, &returned)
		}()
	}
	close(started)
	begin := time.Now()
	mustRun(t, db, change...)
	mu.Lock()
	returned = time.Now()
	mu.Unlock()
	wg.Wait()
	for _, r := range results {
		require.NoError(t, r.err)
		t.Logf("%s enforced `%s` %s after the command returned (the command took %s)",
			r.name, strings.Join(change, " "), r.after.Round(time.Millisecond), returned.Sub(begin).Round(time.Millisecond))
	}
	return results
}

// firstAnswer asks m until it answers want, and reports when that was
// relative to *returned (set under mu once the change's command exits).
func firstAnswer(m fleetMember, workflow, token string, want int, started <-chan struct{}, mu *sync.Mutex, returned *time.Time) enforcement {
	<-started
	deadline := time.Now().Add(patience)
	for {
		status, body, err := m.try(workflow, token)
		seen := time.Now()
		if err == nil && status == want {
			for { // the command may still be exiting
				mu.Lock()
				r := *returned
				mu.Unlock()
				if !r.IsZero() {
					return enforcement{name: m.name, after: seen.Sub(r)}
				}
				time.Sleep(time.Millisecond)
			}
		}
		if seen.After(deadline) {
			return enforcement{name: m.name, err: fmt.Errorf("%s still answered %d (%v) %s after the change, want %d: %s %s",
				m.name, status, err, patience, want, body, m.srv.log())}
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// viaProxy is db, a PostgreSQL URL, with its host and port replaced by
// proxy's address. A password kept in $PGPASSFILE is matched by host and
// port, so the test gets a password file of its own that also gives it for
// the proxy's address.
func viaProxy(t *testing.T, db, proxy string) string {
	t.Helper()
	u, err := url.Parse(db)
	require.NoError(t, err)
	target := u.Host
	u.Host = proxy
	if file := os.Getenv("PGPASSFILE"); file != "" {
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		host, port, err := net.SplitHostPort(target)
		require.NoError(t, err)
		pHost, pPort, err := net.SplitHostPort(proxy)
		require.NoError(t, err)
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		for _, line := range lines {
			if rest, ok := strings.CutPrefix(line, host+":"+port+":"); ok {
				lines = append(lines, pHost+":"+pPort+":"+rest)
			}
		}
		own := filepath.Join(t.TempDir(), "pgpass")
		require.NoError(t, os.WriteFile(own, []byte(strings.Join(lines, "\n")+"\n"), 0o600))
		t.Setenv("PGPASSFILE", own)
	}
	return u.String()
}
