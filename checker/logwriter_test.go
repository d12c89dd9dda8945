package checker

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// lockedBuffer is a destination that can be read while being written.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestLogWriterFlushesPeriodicallyAndOnClose(t *testing.T) {
	var out lockedBuffer
	w := NewLogWriter(&out, 10*time.Millisecond)
	w.Write([]byte("one\n"))
	eventually(t, "a periodic flush", func() bool { return out.String() == "one\n" })

	slow := NewLogWriter(&out, time.Hour)
	slow.Write([]byte("two\n"))
	assert.Equal(t, "one\n", out.String(), "buffered until the next flush")
	assert.NoError(t, slow.Close())
	assert.Equal(t, "one\ntwo\n", out.String(), "Close writes what is left")
	assert.NoError(t, w.Close())
}
