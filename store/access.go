package store

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// access is how a database file is opened. A checker fed a read-only copy
// (baked into a container image, on a read-only mount, owned by another
// user) is a normal deployment, so a file that cannot be written is still
// opened for reading instead of failing with SQLite's "unable to open".
type access int

const (
	// readWrite is the normal mode: WAL journal, every command works.
	readWrite access = iota
	// readOnly (mode=ro) reads through the WAL: used when a non-empty
	// PATH-wal lies beside a file this process cannot write, because its
	// changes are part of the database.
	readOnly
	// immutable (immutable=1) reads the file alone and creates nothing
	// beside it; SQLite cannot otherwise open a WAL database in a directory
	// where it may not create PATH-shm.
	immutable
)

// chooseAccess decides how path can be opened: for writing when this
// process may write the file and the files SQLite keeps beside it, else
// read-only with the reason writing is impossible.
func chooseAccess(path string) (access, *ReadOnlyError) {
	why := whyNotWritable(path)
	if why == "" {
		return readWrite, nil
	}
	roErr := &ReadOnlyError{Path: path, Reason: why}
	if info, err := os.Stat(path + "-wal"); err == nil && info.Size() > 0 {
		return readOnly, roErr
	}
	return immutable, roErr
}

// whyNotWritable says why SQLite could not write the database at path,
// or "" when it can. It asks the kernel (access(2)) instead of opening the
// file: closing a descriptor on a database this process already has open
// would drop SQLite's locks on it.
func whyNotWritable(path string) string {
	const wOK = 0x2 // W_OK
	switch err := syscall.Access(path, wOK); {
	case errors.Is(err, syscall.EROFS):
		return "it is on a read-only file system"
	case err != nil:
		return "the file is not writable by this user"
	}
	if syscall.Access(filepath.Dir(path), wOK|0x1) == nil { // W_OK|X_OK
		return ""
	}
	// A directory that is not writable still works when both WAL files
	// already exist and may be written.
	if syscall.Access(path+"-wal", wOK) == nil && syscall.Access(path+"-shm", wOK) == nil {
		return ""
	}
	return fmt.Sprintf("SQLite must create %[1]s-wal and %[1]s-shm beside it and the directory is not writable", path)
}

// busyTimeout is how long a write waits for another process's write to
// finish before giving up with a "locked" error.
const busyTimeout = 5 * time.Second

// dsn builds the connection string. For writing: WAL so readers never
// block the writer, a busy timeout so concurrent writers wait instead of
// failing at once, and write transactions that take the lock up front (no
// deadlock when two read-then-write transactions race). Foreign keys are on
// in every mode.
func dsn(path string, a access) string {
	q := url.Values{}
	q.Set("_busy_timeout", strconv.Itoa(int(busyTimeout/time.Millisecond)))
	q.Set("_foreign_keys", "on")
	switch a {
	case readWrite:
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		q.Set("_txlock", "immediate")
	case readOnly:
		q.Set("mode", "ro")
	case immutable:
		q.Set("mode", "ro")
		q.Set("immutable", "1")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}
