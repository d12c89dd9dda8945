package tcpcut

import (
	"bufio"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoServer answers every line with the same line until the test ends.
func echoServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					c.Write([]byte(line))
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends one line on c and returns what came back, or the error
// once a short deadline passes.
func roundTrip(c net.Conn, line string) (string, error) {
	c.SetDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := c.Write([]byte(line + "\n")); err != nil {
		return "", err
	}
	got, err := bufio.NewReader(c).ReadString('\n')
	return got, err
}

func TestACutEndsOpenConnectionsSilencesNewOnesAndRestoreForwardsAgain(t *testing.T) {
	p := Start(t, echoServer(t))
	before, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	defer before.Close()
	got, err := roundTrip(before, "hello")
	require.NoError(t, err)
	assert.Equal(t, "hello\n", got)

	p.Cut()
	_, err = roundTrip(before, "after the cut")
	assert.Error(t, err, "an open connection ends at the cut")
	during, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err, "a new connection is accepted...")
	defer during.Close()
	_, err = roundTrip(during, "anyone?")
	var netErr net.Error
	require.ErrorAs(t, err, &netErr)
	assert.True(t, netErr.Timeout(), "...but never answered: %v", err)

	p.Restore()
	assertEnds(t, during)
	after, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	defer after.Close()
	got, err = roundTrip(after, "back")
	require.NoError(t, err)
	assert.Equal(t, "back\n", got)
	assert.Equal(t, 3, p.Connections())
}

func TestSilenceKeepsOpenConnectionsOpenButDropsTheirBytesUntilRestore(t *testing.T) {
	p := Start(t, echoServer(t))
	open, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	defer open.Close()
	_, err = roundTrip(open, "hello")
	require.NoError(t, err)

	p.Silence()
	_, err = roundTrip(open, "anyone?")
	var netErr net.Error
	require.ErrorAs(t, err, &netErr)
	assert.True(t, netErr.Timeout(), "the connection neither answers nor ends: %v", err)
	during, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	defer during.Close()
	_, err = roundTrip(during, "anyone?")
	require.ErrorAs(t, err, &netErr)
	assert.True(t, netErr.Timeout(), "nor does a new one: %v", err)

	p.Restore()
	assertEnds(t, open)
	assertEnds(t, during)
	after, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	defer after.Close()
	got, err := roundTrip(after, "back")
	require.NoError(t, err)
	assert.Equal(t, "back\n", got)
}

// assertEnds checks that c is ended by the proxy (rather than left silent).
func assertEnds(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	assert.False(t, err == nil || errors.As(err, &ne) && ne.Timeout(), "a connection held silent ends at the restore: %v", err)
}
