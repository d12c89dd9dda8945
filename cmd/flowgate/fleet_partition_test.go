package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
)

// TestACheckerPartitionedFromPostgreSQLSaysSoAndRecovers cuts the network
// rather than the server: the checkers' open connections to PostgreSQL
// neither answer nor end, and new ones are never answered, as in a network
// partition (where TCP gives up only after about a quarter of an hour).
// Each poll of the store must give up by itself, so that healthz and the
// log say the checker is stale, and the fail-closed line is logged, while
// decisions go on from the snapshot.
func TestACheckerPartitionedFromPostgreSQLSaysSoAndRecovers(t *testing.T) {
	db := pgtest.FreshDatabase(t)
	mustRun(t, db, "migrate")
	mustRun(t, db, "add", "pub", "--public", "--auth", "none")
	up, hits := countingUpstream(t)
	proxy, fleet := startFleet(t, db, up.URL, "", "3s")
	plain, limited := fleet[0], fleet[1]
	for _, m := range fleet {
		status, _ := m.call(t, "pub", "")
		require.Equal(t, 200, status, m.name)
	}

	proxy.Silence()
	at := time.Now()
	_, took := plain.waitForHealth(t, "stale")
	t.Logf("%s: healthz said stale %s after the partition", plain.name, took.Round(time.Millisecond))
	plain.srv.waitForLog(t, "reload failed; keeping the last good settings")
	before := hits.Load()
	status, body := plain.call(t, "pub", "")
	assert.Equal(t, 200, status, body)
	assert.Equal(t, before+1, hits.Load(), "decided from the snapshot and proxied")
	require.Equal(t, 503, limited.srv.waitForStatus(t, "/api/1.1/wf/pub", "", 503), limited.srv.log())
	limited.srv.waitForLog(t, "refusing every call with 503")
	t.Logf("%s: logged that it fails closed %s after the partition", limited.name, time.Since(at).Round(time.Millisecond))

	proxy.Restore()
	for _, m := range fleet {
		_, took := m.waitForHealth(t, "ok")
		t.Logf("%s: healthz back to ok %s after the restore", m.name, took.Round(time.Millisecond))
		m.srv.waitForLog(t, "reload works again")
		status, body := m.call(t, "pub", "")
		assert.Equal(t, 200, status, "%s: %s", m.name, body)
		assert.Equal(t, 0, m.srv.stop(t), m.srv.log())
	}
}
