package store

import (
	"net"
	"net/url"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// password is the secret the URLs of these tests carry: it must appear in
// no error.
const password = "hunter2-never-print-me"

// openers are every way a command reaches a PostgreSQL store.
var openers = map[string]func(url string) error{
	"Open":         func(u string) error { _, err := Open(u); return err },
	"OpenExisting": func(u string) error { _, err := OpenExisting(u); return err },
	"Migrate":      func(u string) error { _, _, err := Migrate(ctx, u); return err },
}

// closedPort is a local TCP port nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// silentServer accepts connections and never answers, like a server that
// hangs or a firewall that swallows the handshake; connections are closed
// when the test ends.
func silentServer(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return l.Addr().String()
}

func TestAnUnreachableDatabaseIsAClearErrorNamingTheRedactedURL(t *testing.T) {
	for name, addr := range map[string]string{"closed port": closedPort(t), "silent server": silentServer(t)} {
		for _, raw := range []string{
			"postgres://flowgate:" + password + "@" + addr + "/flowgate?sslmode=disable&connect_timeout=1",
			"postgresql://flowgate@" + addr + "/flowgate?sslmode=disable&connect_timeout=1&password=" + password,
		} {
			for how, open := range openers {
				err := open(raw)
				require.Error(t, err, "%s, %s", name, how)
				assert.Contains(t, err.Error(), "cannot reach PostgreSQL database "+Redact(raw), "%s, %s", name, how)
				assert.NotContains(t, err.Error(), password, "%s, %s", name, how)
			}
		}
	}
}

func TestAWrongPasswordIsRefusedWithoutPrintingIt(t *testing.T) {
	u, err := url.Parse(freshPostgres(t))
	require.NoError(t, err)
	u.User = url.UserPassword(u.User.Username(), password)
	for how, open := range openers {
		err := open(u.String())
		require.Error(t, err, how)
		assert.Contains(t, err.Error(), Redact(u.String()), how)
		assert.NotContains(t, err.Error(), password, how)
	}
}

func TestABadURLIsRefusedWithoutPrintingItsPassword(t *testing.T) {
	for _, raw := range []string{
		"postgres://flowgate:" + password + "@127.0.0.1:notaport/flowgate",
		"postgres://flowgate:" + password + "@127.0.0.1/flowgate?sslmode=sometimes",
		"postgres://flowgate@127.0.0.1/flowgate?connect_timeout=soon&password=" + password,
		"postgres://flowgate:%40" + password + "%2F@127.0.0.1:notaport/flowgate",
		"postgres://flowgate:%40" + password + "%2F@127.0.0.1/flowgate?sslmode=sometimes",
	} {
		for how, open := range openers {
			err := open(raw)
			require.Error(t, err, "%s: %s", how, raw)
			assert.NotContains(t, err.Error(), password, how)
			assert.Contains(t, err.Error(), "database URL ", how)
		}
	}
}

func TestAURLInAnyCaseOrWithoutItsSlashesIsNeverTakenForAFile(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, raw := range []string{
		"POSTGRES://flowgate:" + password + "@" + closedPort(t) + "/flowgate?connect_timeout=1",
		"PostgreSQL://flowgate:" + password + "@" + closedPort(t) + "/flowgate?connect_timeout=1",
		"postgres:/flowgate:" + password + "@db.internal/flowgate",
		"postgresql:db.internal",
	} {
		require.True(t, IsURL(raw), raw)
		for how, open := range openers {
			err := open(raw)
			require.Error(t, err, "%s: %s", how, raw)
			assert.NotContains(t, err.Error(), password, "%s: %s", how, raw)
			assert.NotContains(t, err.Error(), "create database", "%s: %s", how, raw)
		}
		entries, err := os.ReadDir(".")
		require.NoError(t, err)
		assert.Empty(t, entries, "no SQLite file named after %s", raw)
	}
	assert.False(t, IsURL("./postgres.db"))
	assert.False(t, IsURL("data/postgres:backup.db"))
}
