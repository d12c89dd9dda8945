package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// bulkApp is four workflows: three for users (a, b, c) and a scheduled one
// (z), so a bulk edit of the first three can be told from the rest.
func bulkApp(t *testing.T, s *store.Store) {
	for _, name := range []string{"a", "b", "c"} {
		create(t, s, spec{name: name, public: true, auth: model.AuthUser, method: model.MethodGET, desc: "keeps " + name})
	}
	create(t, s, spec{name: "z"})
}

// markABC marks a, b and c: m marks and moves down.
func markABC(d *driver) *driver {
	return d.selectName("a").keys("m", "m", "m")
}

// chooseAdminOnly chooses Admin only in the panel's dropdown.
func chooseAdminOnly(d *driver) *driver {
	return d.keys("tab", "down", "enter", "down", "enter")
}

func TestMarkingShowsMarksCountAndEditsThemTogether(t *testing.T) {
	s := openStore(t)
	bulkApp(t, s)
	d := newDriver(t, s)
	assert.NotContains(t, d.view(), "marked", "no count while nothing is marked")
	assert.True(t, d.m.keys.Mark.Enabled(), "m is in the help")

	markABC(d)
	v := d.view()
	assert.Contains(t, v, "3 marked\n", "the header counts the marks")
	for _, name := range []string{"a", "b", "c"} {
		assert.Contains(t, v, "✓ "+name+" ", "a mark before %s", name)
	}
	assert.NotContains(t, v, "✓ z")
	assert.Contains(t, v, "3 marked workflows", "the panel says it edits all of them")
	assert.Contains(t, v, "M unmark all")
	assert.Equal(t, "z", d.m.selected().stored.Name, "marking moves down")

	d.keys("k", "m") // unmark c
	assert.Contains(t, d.view(), "2 marked workflows")
	d.keys("M")
	assert.NotContains(t, d.view(), "marked")
	assert.Contains(t, d.view(), "Description", "the panel shows one workflow again")
}

func TestBulkEditDraftsEveryMarkedWorkflowAndNothingElse(t *testing.T) {
	s := openStore(t)
	bulkApp(t, s)
	d := chooseAdminOnly(markABC(newDriver(t, s)))
	assert.Equal(t, []string{"a", "b", "c"}, d.m.ws.unsavedNames())
	for _, e := range d.m.ws.markedEntries() {
		assert.Equal(t, model.AuthAdmin, e.draft.Auth)
		assert.Equal(t, model.MethodGET, e.draft.Method, "the rest of %s is kept", e.draft.Name)
		assert.Equal(t, "keeps "+e.draft.Name, e.draft.Description)
	}
	assert.Contains(t, d.view(), "● 3 unsaved")
	assert.Contains(t, d.view(), "Authentication [Admin only ▾]")

	// Public is mixed once z is marked too; space makes every one public.
	d.keys("tab", "tab").selectName("z").keys("m", "tab") // back to the list, mark z, into the panel
	assert.Contains(t, d.view(), "[-] Expose as a public API workflow")
	d.keys("space")
	zID, _ := d.m.ws.byName("z")
	assert.True(t, d.m.ws.entries[zID].draft.Public)
	assert.Equal(t, model.AuthUser, d.m.ws.entries[zID].draft.Auth, "z keeps its own authentication")
	assert.Equal(t, model.AuthAdmin, d.workflows().panel.bulk.members[0].Auth, "a keeps Admin only")
}

func TestBulkSaveWritesAllInOneTransaction(t *testing.T) {
	s := openStore(t)
	bulkApp(t, s)
	d := chooseAdminOnly(markABC(newDriver(t, s)))
	d.keys("ctrl+s")
	assert.Contains(t, d.view(), "Saved 3 workflows in one transaction.")
	assert.Empty(t, d.m.ws.unsavedNames())
	for _, name := range []string{"a", "b", "c"} {
		w := get(t, s, name)
		assert.Equal(t, model.AuthAdmin, w.Auth, name)
		assert.Equal(t, int64(2), w.Version, name)
		changes, err := s.History(context.Background(), name)
		require.NoError(t, err)
		assert.Equal(t, "auth", changes[0].Field)
		assert.Equal(t, store.SourceEditor, changes[0].Source)
	}
	assert.Equal(t, int64(1), get(t, s, "z").Version, "the unmarked one is untouched")
}

// changeElsewhere saves a description on name as another process would.
func changeElsewhere(t *testing.T, s *store.Store, name string) {
	w := get(t, s, name)
	w.Description = "changed by the CLI"
	_, err := s.UpdateWorkflow(context.Background(), w, store.SourceCLI)
	require.NoError(t, err)
}

func TestBulkSaveWithOneConflictWritesNothing(t *testing.T) {
	s := openStore(t)
	bulkApp(t, s)
	d := chooseAdminOnly(markABC(newDriver(t, s)))
	changeElsewhere(t, s, "b")

	d.keys("ctrl+s")
	assert.Contains(t, d.view(), "Conflict: b was changed by someone else (now version 2)")
	for _, name := range []string{"a", "b", "c"} {
		assert.Equal(t, model.AuthUser, get(t, s, name).Auth, "%s not written: all or nothing", name)
	}
	assert.Equal(t, []string{"a", "b", "c"}, d.m.ws.unsavedNames(), "every draft is kept")

	d.keys("o") // keep mine: all three are saved, over their b
	for _, name := range []string{"a", "b", "c"} {
		assert.Equal(t, model.AuthAdmin, get(t, s, name).Auth, name)
	}
	assert.Equal(t, "keeps b", get(t, s, "b").Description, "overwrite saves the user's whole version")
	assert.Empty(t, d.m.ws.unsavedNames())
}

func TestBulkSaveConflictDialogListsEveryWorkflowChangedElsewhere(t *testing.T) {
	s := openStore(t)
	bulkApp(t, s)
	d := chooseAdminOnly(markABC(newDriver(t, s)))
	changeElsewhere(t, s, "a")
	require.NoError(t, s.DeleteWorkflow(context.Background(), get(t, s, "c"), store.SourceCLI))

	d.keys("ctrl+s")
	v := d.view()
	assert.Contains(t, v, "Conflict: 2 workflows were changed by someone else")
	assert.Regexp(t, `a\s+now version 2: Authentication, Description differ`, v)
	assert.Regexp(t, `c\s+deleted`, v)
	assert.NotRegexp(t, `\bb\s+(now|deleted)`, v, "b did not change elsewhere")
	assert.Equal(t, model.AuthUser, get(t, s, "b").Auth, "nothing written")

	d.keys("r") // take theirs for a and c; b's draft stays
	assert.Equal(t, []string{"b"}, d.m.ws.unsavedNames())
	assert.Equal(t, "changed by the CLI", get(t, s, "a").Description)
	d.keys("ctrl+s")
	assert.Equal(t, model.AuthAdmin, get(t, s, "b").Auth)
	assert.Equal(t, model.AuthUser, get(t, s, "a").Auth)
}

func TestDiscardOfMarkedWorkflowsAsksNamingThem(t *testing.T) {
	s := openStore(t)
	bulkApp(t, s)
	d := chooseAdminOnly(markABC(newDriver(t, s)))
	d.keys("esc")
	v := d.view()
	assert.Contains(t, v, "Discard the unsaved edits to 3 workflows?")
	assert.Contains(t, strings.Join(strings.Fields(v), " "), "a, b, c go back")
	d.keys("y")
	assert.Empty(t, d.m.ws.unsavedNames())
	assert.Contains(t, d.view(), "Discarded the unsaved edits to 3 workflows.")
}
