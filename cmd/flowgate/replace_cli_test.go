package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitForStatus calls path until it answers want, and returns the last status.
func (s *server) waitForStatus(t *testing.T, path, token string, want int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, _ := s.post(t, path, token)
		if status == want || time.Now().After(deadline) {
			return status
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestServeNoticesARestoredBackupAndServesItsContent(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "fg.db")
	mustRun(t, db, "add", "pub", "--public", "--auth", "none")
	backup := filepath.Join(dir, "backup.db")
	require.NoError(t, os.WriteFile(backup, fileBytes(t, db), 0o600)) // no process has it open: complete
	srv := startServe(t, db)
	require.Equal(t, 200, srv.waitForStatus(t, "/api/1.1/wf/pub", "", 200))

	// A change after the backup, kept in the WAL that serve holds open.
	mustRun(t, db, "set", "pub", "--auth", "admin")
	require.Equal(t, 401, srv.waitForStatus(t, "/api/1.1/wf/pub", "", 401), srv.log())
	wal, err := os.Stat(db + "-wal")
	require.NoError(t, err)
	require.Positive(t, wal.Size())

	// Restore: cp backup.db t && mv t fg.db, while serve runs.
	tmp := filepath.Join(dir, "t")
	require.NoError(t, os.WriteFile(tmp, fileBytes(t, backup), 0o600))
	require.NoError(t, os.Rename(tmp, db))
	assert.Equal(t, 200, srv.waitForStatus(t, "/api/1.1/wf/pub", "", 200), "the backup's settings are served: %s", srv.log())
	assert.Equal(t, 0, srv.stop(t), srv.log())
	assert.Equal(t, 1, strings.Count(srv.log(), `"msg":"database file replaced; reloaded from `+db+`"`), srv.log())

	// The old file's WAL never merged into the restored file, and the call
	// log writes into it (calls still queued at the restore land there too).
	assert.Contains(t, mustRun(t, db, "show", "pub"), "Authentication:  None required")
	var calls []map[string]any
	decodeJSON(t, mustRun(t, db, "calls", "--json"), &calls)
	require.NotEmpty(t, calls, "calls after the restore are logged into the restored file")
	// Calls queued before the restore may be written after later ones, so
	// look for one answered from the backup's settings anywhere.
	answeredFromBackup := 0
	for _, c := range calls {
		if c["status"] == float64(200) {
			answeredFromBackup++
		}
	}
	assert.Positive(t, answeredFromBackup, "a call answered from the backup's settings is logged: %v", calls)
}
