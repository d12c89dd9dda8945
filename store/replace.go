package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// fileID identifies the file at a path. Device and inode change when the
// file is replaced (a backup restored with `mv`); size and modification
// time are compared too for an immutable open, which SQLite assumes nobody
// changes in place.
type fileID struct {
	dev, ino      uint64
	size, mtimeNs int64
}

func statFile(path string) (fileID, error) {
	info, err := os.Stat(path)
	if err != nil {
		return fileID{}, err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, fmt.Errorf("%s: no device and inode on this system", path)
	}
	return fileID{dev: uint64(st.Dev), ino: st.Ino, size: info.Size(), mtimeNs: info.ModTime().UnixNano()}, nil
}

func (a fileID) sameFile(b fileID) bool { return a.dev == b.dev && a.ino == b.ino }

// ReopenIfReplaced notices that the file at the store's path is no longer
// the one it opened (a backup was restored over it) and opens the new one,
// reporting true; it is cheap (one stat) when nothing changed. A long-running
// reader such as the checker calls it on every poll: without it, it would
// keep reading the old file forever.
//
// The old file's connections are closed first. SQLite then leaves the old
// file's PATH-wal beside the new file (it cannot tell it apart from the new
// file's), and would replay those pages over the restored content; that
// WAL is removed before the new file is opened, unless another process
// still uses it, which is an error retried at the next call. On error the
// store stays closed until a later call succeeds.
//
// A PostgreSQL store has no file to replace: it always reports false.
func (s *Store) ReopenIfReplaced(_ context.Context) (bool, error) {
	if s.dialect.backend != BackendSQLite {
		return false, nil
	}
	cur, err := statFile(s.path)
	if err != nil {
		return false, fmt.Errorf("database %s: %w", s.path, err)
	}
	s.mu.RLock()
	unchanged := !s.closed && s.id.sameFile(cur) && (s.access != immutable || s.id == cur)
	s.mu.RUnlock()
	if unchanged {
		return false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shut {
		return false, fmt.Errorf("database %s: the store is closed", s.path)
	}
	if !s.closed {
		if s.access == readWrite {
			// While our connections are open, PATH-wal is the old file's.
			if wal, err := statFile(s.path + "-wal"); err == nil {
				s.oldWAL = &wal
			}
		}
		s.db.Close()
		s.closed = true
	}
	if s.oldWAL != nil {
		if err := removeOldWAL(s.path, *s.oldWAL); err != nil {
			return false, err
		}
		s.oldWAL = nil
	}
	if err := s.openFile(false); err != nil {
		return false, err
	}
	return true, nil
}

// removeOldWAL removes PATH-wal and PATH-shm when PATH-wal is still the
// replaced file's (old) and no other process has it open.
func removeOldWAL(path string, old fileID) error {
	wal, err := statFile(path + "-wal")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("database %s was replaced: %w", path, err)
	}
	if !wal.sameFile(old) {
		return nil // created since, for the new file
	}
	busy, err := walInUse(path + "-shm")
	if err != nil {
		return fmt.Errorf("database %s was replaced: %w", path, err)
	}
	if busy {
		return fmt.Errorf("database %[1]s was replaced but another process still has the old file open (it holds %[1]s-shm): "+
			"close it, so that the old file's %[1]s-wal cannot mix into the new one", path)
	}
	for _, f := range []string{path + "-wal", path + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("database %s was replaced: remove the old file's %s: %w", path, f, err)
		}
	}
	return nil
}

// SQLite's unix VFS locks bytes 120 to 128 of PATH-shm (eight WAL locks and
// the "a connection is using this" byte) while a connection has the WAL open.
const (
	shmLockStart = 120
	shmLockBytes = 9
)

// walInUse reports whether another process holds a lock in the WAL index at
// shmPath, that is, has the WAL open. Locks of this process are not seen,
// which is why the store closes its own connections first.
func walInUse(shmPath string) (bool, error) {
	f, err := os.Open(shmPath)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart, Start: shmLockStart, Len: shmLockBytes}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return false, err
	}
	return lk.Type != syscall.F_UNLCK, nil
}
