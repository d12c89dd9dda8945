package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
)

// TestAFleetOfThreeCheckersSharesOnePostgreSQLAndRidesOutItsOutage is issue
// 13's fleet test: three real `flowgate serve` processes on one PostgreSQL
// database, reached through a TCP proxy the test can cut. A change made
// with the CLI is enforced by all three (the latencies are logged, not
// asserted), their call counts add up, and with the store cut off they
// keep deciding from their snapshot, say so in healthz and the log, fail
// closed after --max-staleness, and recover by themselves once it is back.
func TestAFleetOfThreeCheckersSharesOnePostgreSQLAndRidesOutItsOutage(t *testing.T) {
	db := pgtest.FreshDatabase(t)
	mustRun(t, db, "migrate")
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "user")
	mustRun(t, db, "add", "tally", "--public", "--auth", "user")
	user := newToken(t, db, "--user", "u-1", "--name", "app")
	admin := newToken(t, db, "--admin", "--name", "ci")
	doomed := newToken(t, db, "--user", "u-2", "--name", "leaked")
	up, hits := countingUpstream(t)

	proxy, fleet := startFleet(t, db, up.URL, "", "", "3s")

	t.Run("calls made through all three add up", func(t *testing.T) {
		want := map[string]int64{}
		for i, m := range fleet {
			for range 3 * (i + 1) {
				status, body := m.call(t, "tally", user)
				require.Equal(t, 200, status, body)
				want["tally app proxy 200 "]++
			}
			for range i + 1 {
				status, _ := m.call(t, "tally", "")
				require.Equal(t, 401, status)
				want["tally  proxy 401 missing_token"]++
			}
		}
		deadline := time.Now().Add(patience)
		_, got := callCounts(t, db, "--limit", "0", "--workflow", "tally")
		for !assert.ObjectsAreEqual(want, got) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
			_, got = callCounts(t, db, "--limit", "0", "--workflow", "tally")
		}
		assert.Equal(t, want, got, "18 allowed and 6 refused calls, counted by three checkers into the same minutes")
	})

	t.Run("a set and a token revoke through the CLI are enforced by all three", func(t *testing.T) {
		for _, m := range fleet {
			status, body := m.call(t, "tally", doomed)
			require.Equal(t, 200, status, "%s: the token works until revoked: %s", m.name, body)
		}
		changeEnforcedByAll(t, fleet, db, "send-invoice", user, 403, "set", "send-invoice", "--auth", "admin")
		var toks []struct{ ID, Name string }
		decodeJSON(t, mustRun(t, db, "token", "list", "--json"), &toks)
		doomedID := ""
		for _, tok := range toks {
			if tok.Name == "leaked" {
				doomedID = tok.ID
			}
		}
		require.NotEmpty(t, doomedID)
		changeEnforcedByAll(t, fleet, db, "tally", doomed, 401, "token", "revoke", doomedID)
		for _, m := range fleet {
			status, _ := m.call(t, "send-invoice", admin)
			assert.Equal(t, 200, status, m.name)
		}
	})

	proxy.Cut()
	cutAt := time.Now()
	t.Run("cut off, checkers decide from their snapshot and say they are stale", func(t *testing.T) {
		staleAt := map[string]map[string]any{}
		for _, m := range fleet[:2] {
			staleAt[m.name], _ = m.waitForHealth(t, "stale")
			t.Logf("%s: healthz said stale %s after the cut", m.name, time.Since(cutAt).Round(time.Millisecond))
			m.srv.waitForLog(t, "reload failed; keeping the last good settings")
		}

		limited := fleet[2]
		require.Equal(t, 503, limited.srv.waitForStatus(t, "/api/1.1/wf/send-invoice", admin, 503), limited.srv.log())
		t.Logf("%s: fails closed when asked %s after the cut", limited.name, time.Since(cutAt).Round(time.Millisecond))
		_, body := limited.call(t, "send-invoice", admin)
		assert.Contains(t, body, `"code":"unavailable"`)
		status, h := limited.health(t)
		assert.Equal(t, 503, status)
		assert.Equal(t, "unavailable", h["status"])
		assert.GreaterOrEqual(t, h["snapshot_age_seconds"], 3.0)
		limited.srv.waitForLog(t, "refusing every call with 503")
		t.Logf("%s: logged that it fails closed %s after the cut", limited.name, time.Since(cutAt).Round(time.Millisecond))

		// A second later, past the third's limit, the other two still
		// decide, and their snapshot has aged.
		time.Sleep(time.Second)
		for _, m := range fleet[:2] {
			before := hits.Load()
			status, body := m.call(t, "send-invoice", admin)
			assert.Equal(t, 200, status, "%s: an allowed call still reaches the upstream: %s", m.name, body)
			assert.Equal(t, before+1, hits.Load(), m.name)
			status, _ = m.call(t, "send-invoice", user)
			assert.Equal(t, 403, status, "%s: the change made before the cut holds", m.name)
			status, _ = m.call(t, "tally", doomed)
			assert.Equal(t, 401, status, "%s: the revocation made before the cut holds", m.name)
			status, later := m.health(t)
			assert.Equal(t, 200, status, "stale but working: %v", later)
			assert.Equal(t, "stale", later["status"], m.name)
			assert.Greater(t, later["snapshot_age_seconds"], staleAt[m.name]["snapshot_age_seconds"], "%s: the snapshot ages", m.name)
			assert.NotContains(t, m.srv.log(), "refusing every call with 503", m.name)
		}
	})

	proxy.Restore()
	restoredAt := time.Now()
	t.Run("restored, all recover without a restart", func(t *testing.T) {
		for _, m := range fleet {
			m.waitForHealth(t, "ok")
			t.Logf("%s: healthz back to ok %s after the restore", m.name, time.Since(restoredAt).Round(time.Millisecond))
			m.srv.waitForLog(t, "reload works again")
		}
		require.Equal(t, 200, fleet[2].srv.waitForStatus(t, "/api/1.1/wf/send-invoice", admin, 200), fleet[2].srv.log())
		changeEnforcedByAll(t, fleet, db, "send-invoice", user, 200, "set", "send-invoice", "--auth", "user")
	})

	for _, m := range fleet {
		assert.Equal(t, 0, m.srv.stop(t), m.srv.log())
		log := m.srv.log()
		for _, secret := range []string{user, admin, doomed} {
			assert.NotContains(t, log, secret[4:], "%s: no token in the log", m.name)
		}
	}
	assert.Greater(t, proxy.Connections(), 3, "the checkers reconnected through the proxy")
}
