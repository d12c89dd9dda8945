package ui

import (
	"context"
	"net/url"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
	"flowgate/store"
)

// TestTheEditorOnPostgreSQL runs the editor's store-backed tests again on
// a migrated PostgreSQL database each: saving, conflicts with writes made
// elsewhere (which the editor learns of by polling the generation, as on
// SQLite), bulk saves, tokens, links, review, history and calls.
func TestTheEditorOnPostgreSQL(t *testing.T) {
	pgtest.URL(t) // skips, or fails in CI, without the test cluster
	onFile := newLocation
	t.Cleanup(func() { newLocation = onFile })
	newLocation = func(t testing.TB) string {
		url := pgtest.FreshDatabase(t)
		_, _, err := store.Migrate(context.Background(), url)
		require.NoError(t, err)
		return url
	}
	s := openStore(t)
	require.Equal(t, store.BackendPostgres, s.Backend(), "the tests below run on PostgreSQL")
	u, err := url.Parse(s.Path())
	require.NoError(t, err)
	d := newDriver(t, s).send(tea.WindowSizeMsg{Width: 200, Height: 30})
	assert.Contains(t, d.view(), " "+u.Host+u.Path+"\n", "the top bar names the server and database")
	for name, test := range map[string]func(*testing.T){
		"save":                   TestSaveWritesEditorChange,
		"conflict overwrite":     TestConflictOverwrite,
		"conflict reload theirs": TestConflictReloadTheirs,
		"deleted elsewhere":      TestConflictDeletedElsewhereRecreates,
		"refresh keeps drafts":   TestRefreshKeepsDrafts,
		"new rename delete":      TestNewRenameDelete,
		"bulk save":              TestBulkSaveWritesAllInOneTransaction,
		"bulk conflict":          TestBulkSaveWithOneConflictWritesNothing,
		"tokens":                 TestTokensCreateShowsSecretOnceAndRevoke,
		"links":                  TestCreatingALinkThroughTheFilesPageWritesItAndShowsTheURLOnce,
		"who can call":           TestThePanelSaysWhoCanCallTheWorkflow,
		"review":                 TestReviewPageWaivesDraftsTheFixAndConfirmsMigratedInBulk,
		"history":                TestHistoryShowsAllWorkflowsDeletedOnesIncludedAndWhoChangedThem,
		"calls":                  TestTheCallsPageShowsPerMinuteCountsNewestFirstWithTokenNames,
	} {
		t.Run(name, test)
	}
}
