package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"flowgate/model"
)

// Panel geometry: "› [x] " before a label, and the width of a label column.
const (
	labelIndent = 6
	labelWidth  = 15
)

// scheduledHint replaces the Authentication row while a workflow is not
// public. The choice itself is kept and comes back with "public".
const scheduledHint = "Scheduled-only: not callable over HTTP, so authentication does not apply. " +
	"Its choice is kept for when you make the workflow public again."

// migratedHint sits under the Authentication row of a workflow whose value
// came from the legacy checkbox: it asks a person to confirm it, which
// clears the mark and the review's info finding.
const migratedHint = "? Migrated from the old checkbox: choose it again to confirm."

// View draws the panel's lines, cut to its size; focused marks the field
// with the cursor.
func (p panel) View(focused bool) string {
	if !p.has {
		return p.st.Dim.Render("No workflow selected.")
	}
	if p.bulk != nil {
		return p.bulkView(focused)
	}
	st, w := p.st, p.w
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }

	state := ""
	switch {
	case p.gone:
		state = st.Warning.Render("deleted elsewhere")
	case p.unsaved:
		state = st.Unsaved.Render("● unsaved")
	}
	add(joinLR(st.Heading.Render(w.Name), state, p.width))
	where := "scheduled-only, never called over HTTP"
	if w.Public {
		where = string(w.Method) + " /api/1.1/wf/" + w.Name
	}
	add(st.Dim.Render(fmt.Sprintf("%s · version %d", where, w.Version)), "")

	add(p.checkbox(focused, fieldPublic, w.Public, "Expose as a public API workflow"))
	if w.Public {
		if p.dropdown.open {
			add(p.label(focused, fieldAuth, "Authentication"))
			for _, l := range p.dropdown.openLines(w.Auth, p.width-labelIndent, st) {
				add(strings.Repeat(" ", labelIndent-2) + l)
			}
		} else {
			add(p.label(focused, fieldAuth, "Authentication") + p.dropdown.closedView(w.Auth, st))
		}
		if w.AuthMigrated {
			add(wrapIndented(migratedHint, labelIndent, p.width, st.Warning)...)
		}
	} else {
		add(wrapIndented(scheduledHint, labelIndent, p.width, st.Dim)...)
	}
	add(p.checkbox(focused, fieldPrivacy, w.IgnorePrivacyRules, "Ignore privacy rules"))
	add(p.label(focused, fieldMethod, "Method") + st.Value.Render(string(w.Method)))
	desc := st.Value.Render(w.Description)
	switch {
	case p.editing:
		desc = p.desc.View()
	case w.Description == "":
		desc = st.Dim.Render("(none)")
	}
	add(p.label(focused, fieldDescription, "Description") + desc)
	if p.stale && !p.gone {
		add(wrapIndented("! Changed outside the editor since you began: saving will show both versions.",
			labelIndent, p.width, st.Warning)...)
	}

	add("", st.Heading.Render("If called now"), "  "+previewLine(w, st))
	add(p.callers.lines(w, st, p.width)...)
	if p.impact.line != "" {
		style := st.Dim
		if p.impact.warn {
			style = st.Warning
		}
		add(wrapIndented(p.impact.line, 2, p.width, style)...)
	}
	add("")
	add(st.Heading.Render("Parameters"))
	add(parameterLines(w.Parameters, st)...)
	return fitLines(lines, p.width, p.height)
}

// checkbox draws a boolean field: "› [x] Label".
func (p panel) checkbox(focused bool, f field, on bool, label string) string {
	box := "[ ] "
	if on {
		box = "[x] "
	}
	marker, style := p.marker(focused, f)
	return marker + style.Render(box+label)
}

// label draws the start of a value field: marker, indent, padded label.
func (p panel) label(focused bool, f field, label string) string {
	marker, style := p.marker(focused, f)
	return marker + "    " + style.Render(fmt.Sprintf("%-*s", labelWidth, label))
}

func (p panel) marker(focused bool, f field) (string, lipgloss.Style) {
	if focused && p.field == f {
		return "› ", p.st.FocusLabel
	}
	return "  ", p.st.Label
}

// previewCallers are the three callers the preview asks Decide about.
var previewCallers = []struct {
	name string
	kind model.CredentialKind
}{{"anonymous", model.CredentialNone}, {"user", model.CredentialUser}, {"admin", model.CredentialAdmin}}

// previewLine is what each kind of caller would get right now, from the
// same model.Decide the checker enforces: "anonymous 401 · user 200 · admin 200".
func previewLine(w model.Workflow, st *Styles) string {
	parts := make([]string, 0, len(previewCallers))
	for _, c := range previewCallers {
		d := model.Decide(&w, model.Credential{Kind: c.kind}, string(w.Method))
		style := st.Deny
		if d.Allowed {
			style = st.Allow
		}
		parts = append(parts, c.name+" "+style.Render(strconv.Itoa(d.Status)))
	}
	return strings.Join(parts, " · ")
}

// parameterLines lists parameters read-only: key, type, where, flags.
func parameterLines(ps []model.Parameter, st *Styles) []string {
	if len(ps) == 0 {
		return []string{"  " + st.Dim.Render("none")}
	}
	keyWidth := 0
	for _, p := range ps {
		keyWidth = min(24, max(keyWidth, len(p.Key)))
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		typ := p.Type
		if p.IsList {
			typ = "list of " + typ
		}
		l := fmt.Sprintf("  %-*s  %-10s %-5s", keyWidth, p.Key, typ, p.In)
		if p.Optional {
			l += " optional"
		}
		out = append(out, strings.TrimRight(l, " "))
	}
	return out
}

// wrapIndented wraps text to width, indenting every line.
func wrapIndented(text string, indent, width int, style lipgloss.Style) []string {
	pad := strings.Repeat(" ", indent)
	var out []string
	for _, l := range strings.Split(ansi.Wrap(text, max(10, width-indent), ""), "\n") {
		out = append(out, pad+style.Render(l))
	}
	return out
}

// joinLR puts left and right on one line of the given width.
func joinLR(left, right string, width int) string {
	gap := width - lipgloss.Width(left) - lipgloss.Width(right)
	if right == "" || gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// fitLines cuts lines to width and height; cut lines end in "…".
func fitLines(lines []string, width, height int) string {
	if height > 0 && len(lines) > height {
		lines = append(lines[:height-1:height-1], "…")
	}
	for i, l := range lines {
		if lipgloss.Width(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	return strings.Join(lines, "\n")
}
