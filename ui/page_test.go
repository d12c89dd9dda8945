package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"flowgate/model"
	"flowgate/store"
)

// The root routes: a page's answers reach it whichever page is on screen,
// notices of a fresh read reach the page on screen, and each page drops
// answers to questions it has since asked again.

func TestSaveFromAnotherPageReachesTheWorkflowsPage(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf"})
	d := newDriver(t, s).selectName("wf")
	d.keys("tab", "space", "2") // a draft, then the review page
	assert.Equal(t, pageReview, d.m.active)
	assert.Contains(t, d.view(), "Unsaved edits are not reviewed until saved.")

	d.keys("ctrl+s")
	assert.Equal(t, pageReview, d.m.active, "saving does not leave the page")
	assert.Contains(t, d.view(), "Saved wf (version 2).")
	assert.True(t, get(t, s, "wf").Public)
	assert.NotContains(t, d.view(), "Unsaved edits are not reviewed", "the review read the saved workspace again")
	assert.Contains(t, d.view(), "1 workflow · 0 open · 1 users")
}

func TestStalePageAnswerIsDropped(t *testing.T) {
	s := openStore(t)
	d := newDriver(t, s)
	d.keys("4")
	assert.Contains(t, d.view(), "No API tokens yet")
	old := tokensLoadedMsg{seq: d.m.pages[pageTokens].(*tokensPage).seq - 1,
		tokens: []store.Token{{ID: "tok_old", Name: "from-an-old-read", Kind: model.TokenAdmin}}}
	d.send(old)
	assert.NotContains(t, d.view(), "from-an-old-read")
	assert.Contains(t, d.view(), "No API tokens yet")
}

func TestEscOnAGridPageGoesBackToTheWorkflows(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf", public: true, auth: model.AuthNone})
	d := newDriver(t, s)
	for _, tab := range []string{"2", "3", "4", "5", "6"} {
		d.keys(tab)
		assert.NotEqual(t, pageWorkflows, d.m.active)
		assert.True(t, d.m.keys.Back.Enabled(), "esc back is in the help")
		d.keys("esc")
		assert.Equal(t, pageWorkflows, d.m.active, "from page %s", tab)
	}
}
