package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// notifyChannel is the channel PostgreSQL's triggers notify on every
// committed change that decides requests (see migrations/postgres).
const notifyChannel = "flowgate_settings"

// listenRetry is the wait between attempts to reconnect the listener.
const listenRetry = 2 * time.Second

// listenPing is how long the listener waits for a notification before
// checking that the server still answers, and listenPingTimeout how long
// that check may take: a silent connection is replaced within about their
// sum. Variables so that a test can shorten them.
var (
	listenPing        = 15 * time.Second
	listenPingTimeout = 5 * time.Second
)

// changeListener holds one connection of its own LISTENing on
// notifyChannel, and signals every notification (and every reconnection,
// since notifications sent while disconnected are lost) on a channel.
type changeListener struct {
	signal chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// Changes returns a channel that receives a value soon after any process
// commits a change to the settings, so that a checker on PostgreSQL
// reloads at once instead of at its next poll; polling stays the safety
// net, since a notification can be lost with a connection. The channel
// holds at most one pending value. For SQLite it returns nil (a channel
// that never receives): readers of a file poll. The listener runs until
// Close.
func (s *Store) Changes() <-chan struct{} {
	if s.dialect.backend != BackendPostgres {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changes == nil {
		ctx, cancel := context.WithCancel(context.Background())
		s.changes = &changeListener{signal: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
		go s.changes.run(ctx, s.pgConfig)
	}
	return s.changes.signal
}

// run listens until ctx ends, reconnecting after failures.
func (l *changeListener) run(ctx context.Context, cfg *pgx.ConnConfig) {
	defer close(l.done)
	for ctx.Err() == nil {
		l.listenOnce(ctx, cfg)
		select {
		case <-ctx.Done():
		case <-time.After(listenRetry):
		}
	}
}

// listenOnce connects, listens and signals until the connection fails.
func (l *changeListener) listenOnce(ctx context.Context, cfg *pgx.ConnConfig) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return
	}
	l.notify() // anything committed while we were not listening
	for {
		wait, cancel := context.WithTimeout(ctx, listenPing)
		_, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case err == nil:
			l.notify()
		case ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded):
			return
		default:
			// Quiet for a while: make sure the server still answers, since a
			// partition leaves the connection open and silent for as long as
			// TCP takes to give up.
			ping, cancel := context.WithTimeout(ctx, listenPingTimeout)
			err := conn.Ping(ping)
			cancel()
			if err != nil {
				return
			}
		}
	}
}

// notify signals without ever blocking: one pending signal is enough.
func (l *changeListener) notify() {
	select {
	case l.signal <- struct{}{}:
	default:
	}
}

// stop ends the listener and waits for its connection to close.
func (l *changeListener) stop() {
	l.cancel()
	<-l.done
}
