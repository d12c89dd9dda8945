package checker

import (
	"os"
	"sync"
)

// LogFile is an append-only log file that can be reopened by path, as
// logrotate expects: it renames the file, then signals the process, which
// reopens the path and carries on in a new file. Nothing is lost across a
// reopen: a line is written whole to the old file or the new one.
type LogFile struct {
	path string
	mu   sync.Mutex // a write never meets a half-swapped file
	f    *os.File
}

// logFileMode is the mode of a log file flowgate creates: lines name
// token ids and callers' addresses. A file that already exists keeps its
// own mode and owner, so logrotate's `create` or an operator's chmod
// decides who reads it.
const logFileMode = 0o600

// OpenLogFile opens (creating if needed) the file at path for appending.
func OpenLogFile(path string) (*LogFile, error) {
	f, err := openAppend(path)
	if err != nil {
		return nil, err
	}
	return &LogFile{path: path, f: f}, nil
}

// openAppend opens path for appending. A device or pipe such as
// /dev/stdout is accepted: reopening it is harmless.
func openAppend(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, logFileMode)
}

// Write appends p to the current file.
func (l *LogFile) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f.Write(p)
}

// Reopen opens the path again and writes there from now on. If it cannot
// be opened (a directory gone, a full disk), writing goes on to the old
// file and the error says why.
func (l *LogFile) Reopen() error {
	f, err := openAppend(l.path)
	if err != nil {
		return err
	}
	l.mu.Lock()
	old := l.f
	l.f = f
	l.mu.Unlock()
	return old.Close()
}

// Path is the file's path as given.
func (l *LogFile) Path() string { return l.path }

// Close closes the current file.
func (l *LogFile) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f.Close()
}
