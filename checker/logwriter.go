package checker

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// LogWriter buffers log output and flushes it every interval, so a busy
// gateway pays one write system call per interval instead of one per
// access line. Lines are written whole and in order; at most one interval
// of lines is lost if the process is killed outright (Close flushes on a
// normal shutdown).
type LogWriter struct {
	mu   sync.Mutex
	buf  *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

// NewLogWriter starts a LogWriter over w.
func NewLogWriter(w io.Writer, interval time.Duration) *LogWriter {
	l := &LogWriter{buf: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				l.Flush()
			case <-l.stop:
				return
			}
		}
	}()
	return l
}

// Write buffers p (one log line, as slog handlers write them).
func (l *LogWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Flush writes out what is buffered.
func (l *LogWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Flush()
}

// Close stops the periodic flush and flushes what is left.
func (l *LogWriter) Close() error {
	close(l.stop)
	<-l.done
	return l.Flush()
}
