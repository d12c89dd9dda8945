package ui

import (
	"slices"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stretchr/testify/assert"

	"flowgate/model"
)

// Editor bugs found by hand (issue 12), one test each.

// filterApp has two workflows matching "inv" and two more matching "in".
func filterApp(t *testing.T, d func(spec)) {
	for _, name := range []string{"get-invoice", "login", "send-invoice", "sign-in"} {
		d(spec{name: name, public: true, auth: model.AuthUser})
	}
}

// messagesOf runs cmd and returns the messages it yields, batches
// flattened, in order.
func messagesOf(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, messagesOf(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

// The runtime runs a batch's commands concurrently, so the filter answers
// for "i", "in" and "inv" of one burst come back in any order: the latest
// query wins whatever the order.
func TestFilterShowsTheWholeQueryWhateverOrderItsAnswersArriveIn(t *testing.T) {
	s := openStore(t)
	filterApp(t, func(sp spec) { create(t, s, sp) })
	d := newDriver(t, s)
	next, cmd := d.m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/inv")})
	d.m = next.(Model)
	answers := messagesOf(cmd)
	slices.Reverse(answers) // the answer for "inv" first, the older ones after it
	d.send(answers...)
	d.keys("enter")
	v := d.view()
	assert.Contains(t, v, `1/2 matching "inv"`)
	assert.NotContains(t, v, "login")
	assert.NotContains(t, v, "sign-in")
}

// The same through the real program: "/inv" typed in one burst.
func TestFilterBurstThroughTheProgramShowsTheWholeQuery(t *testing.T) {
	s := openStore(t)
	filterApp(t, func(sp spec) { create(t, s, sp) })
	out := screen(t, s, func(tm *teatest.TestModel) {
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/inv")})
		press(tm, "enter")
		waitFor(t, tm, `1/2 matching "inv"`)
	})
	assert.Contains(t, out, `1/2 matching "inv"`)
	assert.NotContains(t, out, "login")
	assert.NotContains(t, out, "sign-in")
}

func TestStatusGoesWhenTheDraftsItDescribesChange(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf"})
	d := newDriver(t, s).selectName("wf")
	d.keys("tab", "space", "ctrl+s")
	assert.Contains(t, d.view(), "Saved wf (version 2).")

	d.keys("space")
	assert.Contains(t, d.view(), "● 1 unsaved")
	assert.NotContains(t, d.view(), "Saved wf", "the save no longer describes what is on screen")

	d.keys("r", "backspace", "backspace").typeText("new").keys("enter")
	assert.Contains(t, d.view(), "Renamed wf to new (unsaved: ctrl+s saves).", "a message about the edit itself stays")
	d.keys("space")
	assert.NotContains(t, d.view(), "Renamed wf")
}

func TestNewNamePromptShowsNoErrorBeforeTyping(t *testing.T) {
	s := openStore(t)
	d := newDriver(t, s)
	d.keys("n")
	assert.Contains(t, d.view(), "New workflow")
	assert.NotContains(t, d.view(), "it is empty", "nothing typed yet is no error")

	d.keys("enter")
	assert.NotNil(t, d.m.dialog, "an empty name is still refused")
	assert.Contains(t, d.view(), "it is empty", "and now says why")

	d.keys("esc", "n").typeText("a")
	assert.Contains(t, d.view(), "✓ available")
	d.keys("backspace")
	assert.Contains(t, d.view(), "it is empty", "typed, then emptied")
}
