package ui

import (
	"fmt"
	"strings"

	"flowgate/model"
)

// bulkEdit is the panel's picture of the marked workflows: while any are
// marked the panel edits all of them at once. The panel's own copy (w)
// then holds their common settings — on when on for all, the shared
// Authentication or none when they differ — and the panel's keys change
// it exactly as for one workflow; the workflows page then applies each
// setting that changed to every marked workflow (applyBulk), so every
// marked workflow gets a draft and ctrl+s saves them together. Only the
// access settings are offered: a method or a description is one
// workflow's own.
type bulkEdit struct {
	// base is w as it was built from the marked workflows: what an edit is
	// compared with to find the setting that changed.
	base    model.Workflow
	members []model.Workflow
	// drafted[i]: members[i] has unsaved edits.
	drafted []bool
	unsaved int
	// Which settings differ among the members.
	mixedPublic, mixedAuth, mixedPrivacy bool
	anyPublic, anyMigrated               bool
}

// showBulk puts the marked workflows es in the panel. A refresh of the
// same marks keeps the open dropdown and the focused field.
func (p *panel) showBulk(es []*entry) {
	if p.bulk == nil {
		p.dropdown.open, p.editing = false, false
		p.desc.Blur()
	}
	b := &bulkEdit{members: make([]model.Workflow, len(es)), drafted: make([]bool, len(es))}
	allPublic, allPrivacy := true, true
	for i, e := range es {
		w := e.effective()
		b.members[i] = w
		if b.drafted[i] = e.draft != nil; b.drafted[i] {
			b.unsaved++
		}
		allPublic = allPublic && w.Public
		allPrivacy = allPrivacy && w.IgnorePrivacyRules
		b.anyPublic = b.anyPublic || w.Public
		b.mixedPrivacy = b.mixedPrivacy || w.IgnorePrivacyRules != b.members[0].IgnorePrivacyRules
		b.mixedAuth = b.mixedAuth || w.Auth != b.members[0].Auth
		b.anyMigrated = b.anyMigrated || w.AuthMigrated
	}
	b.mixedPublic = b.anyPublic && !allPublic
	w := model.Workflow{Public: allPublic, IgnorePrivacyRules: allPrivacy, AuthMigrated: b.anyMigrated}
	if len(es) > 0 && !b.mixedAuth {
		w.Auth = b.members[0].Auth
	}
	b.base = w
	p.has, p.w, p.bulk = len(es) > 0, w, b
	p.unsaved, p.stale, p.gone = b.unsaved > 0, false, false
	p.clampField()
	p.countCallers() // none for marked workflows: drop the single one's
}

// bulkChange applies to w the settings the user changed in the panel
// (b.base to now): only those, so a marked workflow keeps whatever else
// it had. Choosing an Authentication, even the one it has, confirms it.
func (b *bulkEdit) bulkChange(now, w model.Workflow) model.Workflow {
	if now.Public != b.base.Public {
		w.Public = now.Public
	}
	if now.Auth != b.base.Auth || now.AuthMigrated != b.base.AuthMigrated {
		w.Auth, w.AuthMigrated = now.Auth, now.AuthMigrated
	}
	if now.IgnorePrivacyRules != b.base.IgnorePrivacyRules {
		w.IgnorePrivacyRules = now.IgnorePrivacyRules
	}
	return w
}

// bulkHint says what the panel does while workflows are marked.
const bulkHint = "Changes here apply to every marked workflow, as drafts; ctrl+s saves them all in one go."

// bulkView draws the marked workflows' common settings and lists them.
func (p panel) bulkView(focused bool) string {
	st, w, b := p.st, p.w, p.bulk
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }

	state := ""
	if b.unsaved > 0 {
		state = st.Unsaved.Render(fmt.Sprintf("● %d unsaved", b.unsaved))
	}
	add(joinLR(st.Heading.Render(plural(len(b.members), "marked workflow")), state, p.width))
	add(wrapIndented(bulkHint, 0, p.width, st.Dim)...)
	add("")
	add(p.tristate(focused, fieldPublic, w.Public, b.mixedPublic, "Expose as a public API workflow"))
	if p.visible(fieldAuth) {
		if p.dropdown.open {
			add(p.label(focused, fieldAuth, "Authentication"))
			for _, l := range p.dropdown.openLines(w.Auth, p.width-labelIndent, st) {
				add(strings.Repeat(" ", labelIndent-2) + l)
			}
		} else if w.Auth == "" {
			add(p.label(focused, fieldAuth, "Authentication") + st.Value.Render("[mixed ▾]"))
		} else {
			add(p.label(focused, fieldAuth, "Authentication") + p.dropdown.closedView(w.Auth, st))
		}
		if b.mixedPublic {
			add(wrapIndented("Scheduled-only ones keep it for when they are made public.", labelIndent, p.width, st.Dim)...)
		}
		if w.AuthMigrated {
			add(wrapIndented("? Some were migrated from the old checkbox: choosing confirms them all.",
				labelIndent, p.width, st.Warning)...)
		}
	} else {
		add(wrapIndented(scheduledHint, labelIndent, p.width, st.Dim)...)
	}
	add(p.tristate(focused, fieldPrivacy, w.IgnorePrivacyRules, b.mixedPrivacy, "Ignore privacy rules"))
	add("", st.Heading.Render("Marked"))
	add(p.memberLines()...)
	return fitLines(lines, p.width, p.height)
}

// tristate is a checkbox that may be mixed among the marked workflows:
// "[-]"; space turns it on for all.
func (p panel) tristate(focused bool, f field, on, mixed bool, label string) string {
	if !mixed {
		return p.checkbox(focused, f, on, label)
	}
	marker, style := p.marker(focused, f)
	return marker + style.Render("[-] "+label)
}

// memberLines lists the marked workflows with their exposure as edited.
func (p panel) memberLines() []string {
	nameWidth := 0
	for _, w := range p.bulk.members {
		nameWidth = max(nameWidth, len(w.Name))
	}
	nameWidth = min(nameWidth, max(8, p.width-4-badgeWidth-2))
	out := make([]string, len(p.bulk.members))
	for i, w := range p.bulk.members {
		name := w.Name
		if len(name) > nameWidth {
			name = name[:nameWidth-1] + "…"
		}
		mark := ""
		if p.bulk.drafted[i] {
			mark = " " + p.st.UnsavedMark
		}
		out[i] = fmt.Sprintf("  %-*s  %s%s", nameWidth, name, p.st.Badges[model.ExposureOf(w)], mark)
	}
	return out
}
