package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
)

// field is one editable row of the property panel.
type field int

// The panel's fields, top to bottom.
const (
	fieldPublic field = iota
	fieldAuth
	fieldPrivacy
	fieldMethod
	fieldDescription
	fieldCount
)

// panel is the right pane: the selected workflow's settings. It edits its
// own copy of the workflow; after each key the root compares that copy with
// the workspace and records a draft when they differ, so the panel never
// needs to know about saving.
type panel struct {
	st *Styles
	w  model.Workflow
	// has: a workflow is selected (an empty filter result has none).
	has                  bool
	unsaved, stale, gone bool
	// field has the cursor while the panel has focus (the workflows
	// page's focus says whether it has).
	field         field
	dropdown      authDropdown
	desc          textinput.Model
	editing       bool // typing into the description
	width, height int
	// callers is who can call the workflow as the panel shows it now
	// (panel_callers.go); now is the clock tokens expire by.
	callers callers
	now     func() time.Time
	// impact is what the unsaved edits would have done to the recorded
	// calls (panel_impact.go).
	impact draftImpact
	// bulk is set while workflows are marked: then w is their common
	// settings and an edit applies to all of them (panel_bulk.go).
	bulk *bulkEdit
}

func newPanel(st *Styles, now func() time.Time) panel {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = 1000
	staticCursor(&ti)
	return panel{st: st, desc: ti, now: now}
}

// countCallers asks again who can call the workflow shown: after it
// changed, when the tokens were read again, and as time passes.
func (p *panel) countCallers() {
	if !p.has || p.bulk != nil {
		p.callers.who = model.Callers{}
		return
	}
	p.callers.count(&p.w, p.now())
}

// setGrants takes a fresh read of the tokens and of the call record they
// made.
func (p *panel) setGrants(grants []model.TokenGrant, traffic *model.Traffic) {
	p.callers.grants, p.callers.loaded = grants, true
	p.impact.traffic = traffic
	p.countCallers()
}

// show puts entry e in the panel. Switching to another workflow closes the
// dropdown and stops typing; a refresh of the same one keeps them open.
func (p *panel) show(e *entry) {
	if e == nil {
		p.has, p.dropdown.open, p.editing, p.bulk = false, false, false, nil
		p.desc.Blur()
		p.countCallers()
		return
	}
	if !p.has || p.bulk != nil || p.w.ID != e.stored.ID {
		p.dropdown.open, p.editing = false, false
		p.desc.Blur()
	}
	p.has, p.w, p.bulk = true, e.effective(), nil
	p.unsaved, p.stale, p.gone = e.draft != nil, e.stale, e.gone
	p.clampField()
	p.countCallers()
	p.impact.update(e)
}

// visible reports whether f is drawn: Authentication only while public;
// for marked workflows only the three access settings (see bulkEdit).
func (p panel) visible(f field) bool {
	if p.bulk != nil {
		return f <= fieldPrivacy && (f != fieldAuth || p.w.Public || p.bulk.anyPublic)
	}
	return f != fieldAuth || p.w.Public
}

// clampField moves focus off a field that is no longer drawn.
func (p *panel) clampField() {
	if !p.visible(p.field) {
		p.field = fieldPublic
	}
}

// focusFirst and focusLast put the cursor on the first or last field, for
// entering the panel from the list with tab or shift+tab.
func (p *panel) focusFirst() { p.field = fieldPublic }
func (p *panel) focusLast() {
	p.field = fieldCount
	p.step(-1)
}

// step moves focus by dir among drawn fields; it reports false when that
// leaves the panel (tab past the last field goes back to the list).
func (p *panel) step(dir int) bool {
	for f := p.field + field(dir); f >= 0 && f < fieldCount; f += field(dir) {
		if p.visible(f) {
			p.field = f
			return true
		}
	}
	return false
}

// busy reports whether the panel owns every key: an open dropdown or text
// being typed.
func (p panel) busy() bool { return p.dropdown.open || p.editing }

// Update handles a key while the panel is focused.
func (p panel) Update(msg tea.Msg, km *KeyMap) (panel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || !p.has {
		if p.editing {
			var cmd tea.Cmd
			p.desc, cmd = p.desc.Update(msg)
			return p, cmd
		}
		return p, nil
	}
	switch {
	case p.editing:
		return p.updateEditing(k, km)
	case p.dropdown.open:
		var a model.Auth
		var chosen bool
		if p.dropdown, a, chosen = p.dropdown.Update(k, km); chosen {
			// Choosing, even the same value, is a person confirming it.
			p.w.Auth, p.w.AuthMigrated = a, false
		}
		return p, nil
	}
	switch {
	case key.Matches(k, km.Up):
		p.step(-1)
	case key.Matches(k, km.Down):
		p.step(1)
	case p.field == fieldAuth && key.Matches(k, km.OpenDropdown):
		p.dropdown = p.dropdown.openAt(p.w.Auth)
	case p.field == fieldDescription && key.Matches(k, km.EditText):
		p.editing = true
		p.desc.SetValue(p.w.Description)
		p.desc.CursorEnd()
		return p, p.desc.Focus()
	case key.Matches(k, km.Toggle):
		switch p.field {
		case fieldPublic:
			// Only the flag flips: Auth keeps its value while not public.
			p.w.Public = !p.w.Public
		case fieldPrivacy:
			p.w.IgnorePrivacyRules = !p.w.IgnorePrivacyRules
		case fieldMethod:
			if p.w.Method == model.MethodGET {
				p.w.Method = model.MethodPOST
			} else {
				p.w.Method = model.MethodGET
			}
		}
	}
	return p, nil
}

func (p panel) updateEditing(k tea.KeyMsg, km *KeyMap) (panel, tea.Cmd) {
	switch {
	case key.Matches(k, km.AcceptText):
		p.w.Description = p.desc.Value()
		p.editing = false
		p.desc.Blur()
		return p, nil
	case key.Matches(k, km.CancelText):
		p.editing = false
		p.desc.Blur()
		return p, nil
	}
	var cmd tea.Cmd
	p.desc, cmd = p.desc.Update(k)
	return p, cmd
}

// commitText ends typing and keeps what was typed; ctrl+s uses it so that
// saving mid-sentence saves the sentence.
func (p *panel) commitText() {
	if p.editing {
		p.w.Description = p.desc.Value()
		p.editing = false
		p.desc.Blur()
	}
}

func (p *panel) setSize(w, h int) {
	p.width, p.height = w, h
	p.desc.Width = max(1, w-labelIndent-labelWidth-1)
}
