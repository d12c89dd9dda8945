package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// migrationCount counts a backend's migrations in the source tree, which
// the binary must report as its schema version.
func migrationCount(t *testing.T, backend string) int {
	files, err := filepath.Glob("../../store/migrations/" + backend + "/*.sql")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return len(files)
}

func TestVersionNamesTheBuildTheGoVersionAndEachSchema(t *testing.T) {
	db := filepath.Join(t.TempDir(), "never-created.db")
	out := mustRun(t, db, "version")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 5, out)
	assert.Regexp(t, `^flowgate  \S+`, lines[0])
	assert.Regexp(t, `^revision  ([0-9a-f]{40}( modified)?|unknown \(the build recorded none\))$`, lines[1])
	assert.Equal(t, "go        "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH, lines[2])
	assert.Equal(t, "sqlite    schema "+strconv.Itoa(migrationCount(t, "sqlite")), lines[3])
	assert.Equal(t, "postgres  schema "+strconv.Itoa(migrationCount(t, "postgres")), lines[4])
	assert.NoFileExists(t, db, "version never opens the database")

	assert.Equal(t, out, mustRun(t, db, "--version"), "--version prints the same")

	var v versionInfo
	decodeJSON(t, mustRun(t, db, "version", "--json"), &v)
	assert.Equal(t, migrationCount(t, "sqlite"), v.Schema.SQLite)
	require.NotNil(t, v.Schema.Postgres)
	assert.Equal(t, migrationCount(t, "postgres"), *v.Schema.Postgres)
	assert.Equal(t, runtime.Version(), v.Go)

	r := runCLI(t, db, "version", "now")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `unexpected argument "now"`)
}

// TestVersionReportsTheCommitItWasBuiltFrom builds the binary with VCS
// stamping forced on (this machine's go env turns it off) and compares the
// revision with git's. Go records none in a git worktree, where .git is a
// file: there the test is skipped; a clone (as CI uses) runs it.
func TestVersionReportsTheCommitItWasBuiltFrom(t *testing.T) {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("no git checkout here: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "flowgate")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	info, err := exec.Command("go", "version", "-m", bin).Output()
	require.NoError(t, err)
	if !strings.Contains(string(info), "vcs.revision=") {
		t.Skip("go build recorded no VCS revision in this checkout (a git worktree?)")
	}
	r := runCmd(t, exec.Command(bin, "version"), "")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Regexp(t, `(?m)^revision  `+strings.TrimSpace(string(head))+`( modified)?$`, r.Stdout)
}

func TestVersionFromBuildInfo(t *testing.T) {
	rev := "284e3c9abcde0123456789abcdef0123456789ab"
	settings := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, c := range []struct {
		name  string
		info  *debug.BuildInfo
		short string
	}{
		{"no build info", nil, "(devel)"},
		{"go test or -buildvcs=false", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)"},
		{"a tag", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: settings("false")}, "v1.4.0 284e3c9abcde"},
		{"a pseudo-version names the commit", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20251129162600-284e3c9abcde+dirty"},
			Settings: settings("true")}, "v0.0.0-20251129162600-284e3c9abcde+dirty"},
		{"devel with changes", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: settings("true")}, "(devel) 284e3c9abcde modified"},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.short, versionFrom(c.info).Short())
		})
	}
	v := versionFrom(&debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: settings("true")})
	var text strings.Builder
	require.NoError(t, v.write(&text))
	assert.Contains(t, text.String(), "revision  "+rev+" modified\n")
}
