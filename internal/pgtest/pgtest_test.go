package pgtest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFreshDatabaseIsEmptyPrivateAndDroppedAfterTheTest(t *testing.T) {
	cluster := URL(t)
	var names [2]string
	for i := range names {
		t.Run("one test", func(t *testing.T) {
			conn, err := pgx.Connect(context.Background(), FreshDatabase(t))
			require.NoError(t, err)
			defer conn.Close(context.Background())
			var tables int
			require.NoError(t, conn.QueryRow(context.Background(),
				"SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')").Scan(&names[i], &tables))
			assert.Zero(t, tables, "a fresh database is empty")
			_, err = conn.Exec(context.Background(), "CREATE TABLE left_behind (id int)")
			require.NoError(t, err)
		})
	}
	assert.NotEqual(t, names[0], names[1], "each test gets its own database")
	assert.True(t, strings.HasPrefix(names[0], "fgt_testfreshdatabase"), "the name says which test made it: %s", names[0])

	conn, err := pgx.Connect(context.Background(), cluster)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var left int
	require.NoError(t, conn.QueryRow(context.Background(),
		"SELECT count(*) FROM pg_database WHERE datname = ANY($1)", names[:]).Scan(&left))
	assert.Zero(t, left, "both databases were dropped when their tests ended")
}

// TestURLWithoutTheVariableSkipsExceptInCI runs this test binary again
// without $FLOWGATE_TEST_POSTGRES, once as a developer and once as CI.
func TestURLWithoutTheVariableSkipsExceptInCI(t *testing.T) {
	if os.Getenv("PGTEST_CALL_URL") == "1" {
		URL(t)
		return
	}
	for _, c := range []struct {
		ci       string
		failed   bool
		expected string
	}{
		{"", false, "--- SKIP"},
		{"true", true, "--- FAIL"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestURLWithoutTheVariableSkipsExceptInCI$", "-test.v")
		cmd.Env = append(withoutVar(os.Environ(), EnvURL), "PGTEST_CALL_URL=1", "CI="+c.ci)
		out, err := cmd.CombinedOutput()
		assert.Equal(t, c.failed, err != nil, "CI=%q: %s", c.ci, out)
		assert.Contains(t, string(out), c.expected, "CI=%q", c.ci)
		assert.Contains(t, string(out), "FLOWGATE_TEST_POSTGRES is unset", "the message says why")
		assert.Contains(t, string(out), "scripts/pg-test-cluster.sh start", "and how to run them")
	}
}

func withoutVar(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}
