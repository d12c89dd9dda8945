package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// waitSignal reports whether ch receives within a generous deadline.
func waitSignal(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	case <-time.After(10 * time.Second):
		return false
	}
}

// drain empties a pending signal, such as the one sent on (re)connecting.
func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		case <-time.After(300 * time.Millisecond):
			return
		}
	}
}

func TestChangesSignalsAnotherStoresCommitAndSurvivesQuietSpells(t *testing.T) {
	url := freshPostgres(t)
	// Quiet spells shorter than the test, so the listener pings in between.
	oldPing := listenPing
	listenPing = 50 * time.Millisecond
	t.Cleanup(func() { listenPing = oldPing })

	checker, writer := openAt(t, url), openAt(t, url)
	changes := checker.Changes()
	require.NotNil(t, changes)
	require.True(t, waitSignal(changes), "the listener signals once it listens")
	drain(changes)

	time.Sleep(4 * listenPing) // several pings with nothing to hear
	select {
	case <-changes:
		t.Fatal("a quiet spell must not signal a change")
	default:
	}

	_, err := writer.CreateWorkflow(ctx, model.NewWorkflow("signup"), SourceCLI)
	require.NoError(t, err)
	assert.True(t, waitSignal(changes), "a commit by another store is signalled")

	// Bookkeeping that does not bump the generation is not signalled.
	drain(changes)
	require.NoError(t, writer.RecordCalls(ctx, []Call{{At: time.Now(), Workflow: "signup", Via: "proxy", Status: 200}}))
	select {
	case <-changes:
		t.Fatal("logging a call is not a settings change")
	case <-time.After(time.Second):
	}
}

func TestChangesIsNilForSQLite(t *testing.T) {
	s, _ := openTemp(t)
	assert.Nil(t, s.Changes(), "readers of a file poll")
}
