package checker

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// backupAtGeneration writes a database at path whose only workflow is an
// admin-only public-user-post and whose generation equals gen: a restored
// backup that a generation check alone cannot tell from the running file.
func backupAtGeneration(t *testing.T, path string, gen int64) {
	t.Helper()
	s, err := store.Open(path)
	require.NoError(t, err)
	defer s.Close()
	w := model.NewWorkflow("public-user-post")
	w.Public, w.Auth = true, model.AuthAdmin
	_, err = s.CreateWorkflow(ctx, w, store.SourceCLI)
	require.NoError(t, err)
	for i := 0; ; i++ {
		g, err := s.Generation(ctx)
		require.NoError(t, err)
		if g == gen {
			return
		}
		require.Less(t, g, gen)
		_, err = s.CreateWorkflow(ctx, model.NewWorkflow(fmt.Sprintf("filler-%d", i)), store.SourceCLI)
		require.NoError(t, err)
	}
}

func TestWatchReloadsFromARestoredBackupWithTheSameGeneration(t *testing.T) {
	f := newFixture(t)
	c, logs, url := watchedCall(t, f)
	user := http.Header{"Authorization": {"Bearer " + f.user}}
	require.Equal(t, "200", call(t, "POST", url, user, "").outcome)

	backup := filepath.Join(t.TempDir(), "backup.db")
	backupAtGeneration(t, backup, c.Generation())
	tmp := f.path + ".restoring"
	data, err := os.ReadFile(backup)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(tmp, data, 0o600))
	require.NoError(t, os.Rename(tmp, f.path))

	eventually(t, "the restored settings being enforced", func() bool {
		return call(t, "POST", url, user, "").outcome == "401 invalid_token"
	})
	assert.Contains(t, logs.String(), "database file replaced; reloaded from "+f.path)
	res := c.Check(&Request{Method: "POST", Path: "/api/1.1/wf/public-none-post"})
	assert.False(t, res.Allowed, "nothing of the replaced file is left")
}
