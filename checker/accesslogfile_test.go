package checker

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fileText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestLogFileReopensItsPathAfterARotation(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	require.NoError(t, os.Mkdir(dir, 0o700))
	path := filepath.Join(dir, "access.log")
	require.NoError(t, os.WriteFile(path, []byte("kept\n"), 0o644))
	l, err := OpenLogFile(path)
	require.NoError(t, err)
	defer l.Close()
	_, err = l.Write([]byte("one\n"))
	require.NoError(t, err)

	require.NoError(t, os.Rename(path, path+".1"))
	_, err = l.Write([]byte("two\n"))
	require.NoError(t, err)
	require.NoError(t, l.Reopen())
	_, err = l.Write([]byte("three\n"))
	require.NoError(t, err)
	assert.Equal(t, "kept\none\ntwo\n", fileText(t, path+".1"), "appended, and written on until the reopen")
	assert.Equal(t, "three\n", fileText(t, path))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(logFileMode), fi.Mode().Perm(), "a new file is the owner's only")

	// The folder gone: the reopen fails and lines go on to the open file.
	require.NoError(t, os.Rename(dir, dir+".old"))
	assert.Error(t, l.Reopen())
	_, err = l.Write([]byte("four\n"))
	require.NoError(t, err)
	assert.Equal(t, "three\nfour\n", fileText(t, filepath.Join(dir+".old", "access.log")))
}

func TestOpenLogFileNamesWhatIsWrong(t *testing.T) {
	_, err := OpenLogFile(filepath.Join(t.TempDir(), "missing", "access.log"))
	assert.ErrorContains(t, err, "no such file or directory")
	_, err = OpenLogFile(t.TempDir())
	assert.ErrorContains(t, err, "is a directory")
}
