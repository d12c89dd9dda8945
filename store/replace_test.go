package store

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// restore replaces the file at path with a copy of backup the way an
// operator does (`cp backup t && mv t path`): a new inode at the same path.
func restore(t *testing.T, backup, path string) {
	t.Helper()
	tmp := path + ".restoring"
	require.NoError(t, os.WriteFile(tmp, fileBytes(t, backup), 0o600))
	require.NoError(t, os.Rename(tmp, path))
}

// names lists the stored workflow names.
func names(t *testing.T, s *Store) []string {
	t.Helper()
	ws, err := s.ListWorkflows(ctx)
	require.NoError(t, err)
	var out []string
	for _, w := range ws {
		out = append(out, w.Name)
	}
	return out
}

// backupWithOneWorkflow makes a database holding "kept", copies it (closed,
// so complete) to backup, and reopens it as a long-running reader would.
func backupWithOneWorkflow(t *testing.T) (s *Store, path, backup string) {
	t.Helper()
	dir := t.TempDir()
	path, backup = filepath.Join(dir, "flowgate.db"), filepath.Join(dir, "backup.db")
	s, err := Open(path)
	require.NoError(t, err)
	_, err = s.CreateWorkflow(ctx, model.NewWorkflow("kept"), SourceCLI)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, os.WriteFile(backup, fileBytes(t, path), 0o600))
	s, err = Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path, backup
}

func TestReopenIfReplacedReadsTheRestoredFileNotTheOldWAL(t *testing.T) {
	s, path, backup := backupWithOneWorkflow(t)
	for _, n := range []string{"after-backup", "also-after"} {
		_, err := s.CreateWorkflow(ctx, model.NewWorkflow(n), SourceCLI)
		require.NoError(t, err)
	}
	wal, err := os.Stat(path + "-wal")
	require.NoError(t, err)
	require.Positive(t, wal.Size(), "the newer workflows are in the WAL")
	replaced, err := s.ReopenIfReplaced(ctx)
	require.NoError(t, err)
	assert.False(t, replaced, "nothing changed yet")

	restore(t, backup, path)
	replaced, err = s.ReopenIfReplaced(ctx)
	require.NoError(t, err)
	assert.True(t, replaced)
	assert.Equal(t, []string{"kept"}, names(t, s), "the old file's WAL did not merge into the restored one")
	_, err = s.CreateWorkflow(ctx, model.NewWorkflow("written-after"), SourceCLI)
	require.NoError(t, err, "the reopened store writes")
	replaced, err = s.ReopenIfReplaced(ctx)
	require.NoError(t, err)
	assert.False(t, replaced)

	other, err := OpenExisting(path)
	require.NoError(t, err)
	defer other.Close()
	assert.ElementsMatch(t, []string{"kept", "written-after"}, names(t, other), "and on disk")
}

func TestReopenWaitsWhileAnotherProcessHoldsTheOldWAL(t *testing.T) {
	s, path, backup := backupWithOneWorkflow(t)
	_, err := s.CreateWorkflow(ctx, model.NewWorkflow("after-backup"), SourceCLI)
	require.NoError(t, err)
	// Another process with the old file open holds a lock in its WAL index.
	// An open file description lock stands for it: unlike this process's
	// own POSIX locks, it conflicts with them.
	shm, err := os.OpenFile(path+"-shm", os.O_RDWR, 0)
	require.NoError(t, err)
	const fOFDSetLK = 37 // F_OFD_SETLK on Linux
	lk := syscall.Flock_t{Type: syscall.F_RDLCK, Whence: io.SeekStart, Start: shmLockStart + 8, Len: 1}
	require.NoError(t, syscall.FcntlFlock(shm.Fd(), fOFDSetLK, &lk))

	restore(t, backup, path)
	_, err = s.ReopenIfReplaced(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another process still has the old file open")
	_, err = s.ListWorkflows(ctx)
	assert.Error(t, err, "closed meanwhile: nothing is read from a mix of both files")

	require.NoError(t, shm.Close()) // the other process exits
	replaced, err := s.ReopenIfReplaced(ctx)
	require.NoError(t, err)
	assert.True(t, replaced)
	assert.Equal(t, []string{"kept"}, names(t, s))
}

func TestAClosedStoreIsNeverReopened(t *testing.T) {
	s, path, backup := backupWithOneWorkflow(t)
	require.NoError(t, s.Close())
	restore(t, backup, path)
	_, err := s.ReopenIfReplaced(ctx)
	assert.ErrorContains(t, err, "the store is closed")
	_, err = s.ListWorkflows(ctx)
	assert.Error(t, err)
}

func TestOpenExistingNeverCreates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "typo.db")
	_, err := OpenExisting(path)
	assert.ErrorIs(t, err, ErrNoDatabase)
	assert.Contains(t, err.Error(), path)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries)
}
