package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/checker"
)

// gatewayHealth fetches the health details from the gateway listener.
func gatewayHealth(t *testing.T, gw string) (int, map[string]any) {
	t.Helper()
	status, body := get(t, patientClient, "GET", "http://"+gw+"/_flowgate/healthz", nil)
	var h map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &h), body)
	return status, h
}

func TestServeFailsClosedWhenTheStoreStaysUnreadableAndRecoversByItself(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "settings")
	require.NoError(t, os.Mkdir(dir, 0o700))
	db := filepath.Join(dir, "fg.db")
	mustRun(t, db, "add", "pub", "--public", "--auth", "none")
	srv := startServe(t, db, "--gateway-listen", "127.0.0.1:0", "--max-staleness", "500ms")
	gw := srv.gatewayAddr(t)
	require.Equal(t, 200, srv.waitForStatus(t, "/api/1.1/wf/pub", "", 200), srv.log())
	status, h := gatewayHealth(t, gw)
	assert.Equal(t, 200, status)
	assert.Equal(t, "ok", h["status"])
	assert.Equal(t, "sqlite", h["backend"])
	assert.Equal(t, readVersion().Short(), h["version"], "the version `flowgate version` reports")
	assert.EqualValues(t, 0.5, h["max_staleness_seconds"])
	assert.Positive(t, h["generation"])
	assert.Contains(t, h, "snapshot_age_seconds")
	assert.Contains(t, h, "last_check")

	// Cut the store off: its folder moves away, so the file cannot be read
	// (nor a new one created in its place).
	require.NoError(t, os.Rename(dir, dir+"-away"))
	restored := false
	t.Cleanup(func() {
		if !restored {
			os.Rename(dir+"-away", dir)
		}
	})
	assert.Equal(t, 503, srv.waitForStatus(t, "/api/1.1/wf/pub", "", 503), srv.log())
	_, body := srv.post(t, "/api/1.1/wf/pub", "")
	assert.Contains(t, body, `"code":"unavailable"`)
	status, h = gatewayHealth(t, gw)
	assert.Equal(t, 503, status)
	assert.Equal(t, "unavailable", h["status"])
	assert.GreaterOrEqual(t, h["snapshot_age_seconds"], 0.5)
	srv.waitForLog(t, "refusing every call with 503")

	require.NoError(t, os.Rename(dir+"-away", dir))
	restored = true
	assert.Equal(t, 200, srv.waitForStatus(t, "/api/1.1/wf/pub", "", 200), "recovered without a restart: %s", srv.log())
	srv.waitForLog(t, "reload works again")
	assert.Equal(t, 0, srv.stop(t), srv.log())
	log := srv.log()
	assert.Equal(t, 1, strings.Count(log, "reload failed; keeping the last good settings"), log)
	assert.Equal(t, 1, strings.Count(log, "refusing every call with 503"), log)
	assert.Equal(t, 1, strings.Count(log, "reload works again"), log)
}

func TestServeRefusesAMaxStalenessThatCannotWork(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "x")
	floor := 2 * checker.PollInterval
	for _, c := range []struct{ value, want string }{
		{floor.String(), "--max-staleness: " + floor.String() + " is too short: the store is checked every " +
			checker.PollInterval.String() + ", so use more than " + floor.String() + " (the default is 5m0s)"},
		{"0s", "--max-staleness: 0s is too short"},
		{"-5m", "--max-staleness: -5m0s is too short"},
		{"soon", `invalid argument "soon" for "--max-staleness"`},
	} {
		r := runCLI(t, db, "serve", "--listen", "127.0.0.1:0", "--max-staleness", c.value)
		assert.Equal(t, 2, r.Code, c.value)
		assert.Contains(t, r.Stderr, c.want, c.value)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
	}
	assert.Contains(t, mustRun(t, db, "serve", "--help"), "--max-staleness duration")
}
