package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// The link form's fields, top to bottom (inputs[field]).
const (
	linkFieldPath = iota
	linkFieldName
	linkFieldLifetime
	linkFieldCount
)

// linkFieldLabels name the link form's fields.
var linkFieldLabels = [linkFieldCount]string{"Path", "Name", "Expires in"}

// linkForm asks what a new share link opens: the one file (a path under a
// protected prefix), a name saying who it is for, and how long it lasts
// (an hour unless asked, a week at most). Path and lifetime are checked as
// they are typed; the form stays open until the store accepts the link.
type linkForm struct {
	formCore
	inputs   [linkFieldCount]textinput.Model
	prefixes []string
	now      func() time.Time
	// pathNote and lifeNote say what the path and lifetime fields mean
	// now, or what is wrong with them (pathErr, lifeErr).
	pathNote, lifeNote string
	pathErr, lifeErr   error
	// pathUnfinished: the path is still only a prefix (or empty), which
	// is not shown as a mistake.
	pathUnfinished bool
}

func newLinkForm(st *Styles, km KeyMap, now func() time.Time, prefixes []string) linkForm {
	f := linkForm{formCore: formCore{st: st, km: km}, prefixes: prefixes, now: now}
	for i, ph := range []string{"the one file it opens, e.g. /fileupload/report.pdf",
		"who or what it is for, e.g. ocr-service", "e.g. 30m or 2d; empty: 1h; at most 7d"} {
		f.inputs[i] = newFormInput(ph, 200)
	}
	f.inputs[linkFieldPath].CharLimit = model.MaxPathLength
	if len(prefixes) > 0 {
		// Most links are to files under the first (often the only) prefix.
		f.inputs[linkFieldPath].SetValue(prefixes[0])
		f.inputs[linkFieldPath].CursorEnd()
	}
	f.inputs[linkFieldPath].Focus()
	f.check()
	return f
}

func (f linkForm) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	switch step, cmd := f.key(msg, linkFieldCount, func(int) bool { return true }, f.submit); step {
	case stepClose:
		return nil, cmd
	case stepDone:
		focusInput(f.inputs[:], f.focus)
		return f, cmd
	}
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	f.check()
	return f, cmd
}

// submit is what enter asks for.
func (f linkForm) submit() (tea.Msg, error) {
	nl, err := f.request()
	return createLinkMsg{nl: nl}, err
}

// check reads the path and the lifetime again, after every key.
func (f *linkForm) check() {
	path := f.inputs[linkFieldPath].Value()
	f.pathErr = linkPathProblem(path, f.prefixes)
	f.pathUnfinished = path == "" || slices.Contains(f.prefixes, path)
	switch {
	case f.pathErr == nil:
		prefix, _ := model.PrefixFor(f.prefixes, path)
		f.pathNote = "under the protected prefix " + prefix
	case f.pathUnfinished && len(f.prefixes) > 0:
		f.pathNote = "the one file it opens, under " + strings.Join(f.prefixes, " or ")
	default:
		f.pathNote = f.pathErr.Error()
	}
	var d time.Duration
	if d, f.lifeErr = f.lifetime(); f.lifeErr == nil {
		f.lifeNote = "until " + f.now().Add(d).Local().Format(timeLayout) + " (in " + countdown(d) + ")"
	}
}

// linkPathProblem says why path cannot be shared, or nil: it must name
// one file strictly inside a protected prefix, as the store will insist.
func linkPathProblem(path string, prefixes []string) error {
	if len(prefixes) == 0 {
		return errors.New("no protected prefixes: add one with `flowgate files add PREFIX` first")
	}
	if err := model.ValidateLinkPath(path); err != nil {
		return err
	}
	if p, ok := model.PrefixFor(prefixes, path); !ok || len(path) <= len(p) {
		return fmt.Errorf("path %s is not under a protected prefix (%s)", path, strings.Join(prefixes, ", "))
	}
	return nil
}

// lifetime is how long the link lasts: the default when the field is empty.
func (f linkForm) lifetime() (time.Duration, error) {
	s := strings.TrimSpace(f.inputs[linkFieldLifetime].Value())
	if s == "" {
		return model.DefaultLinkLifetime, nil
	}
	return model.ParseLinkLifetime(s)
}

// request checks the form and builds the store request; the store checks
// again.
func (f linkForm) request() (store.NewLink, error) {
	nl := store.NewLink{Path: f.inputs[linkFieldPath].Value(), Name: strings.TrimSpace(f.inputs[linkFieldName].Value())}
	if err := errors.Join(f.pathErr, f.lifeErr); err != nil {
		return nl, err
	}
	d, _ := f.lifetime()
	nl.ExpiresAt = f.now().Add(d)
	return nl, nil
}

// failed shows the store's refusal and lets the user correct the form
// (refusable).
func (f linkForm) failed(err error) dialog {
	f.refused(err)
	return f
}

func (f linkForm) View(width int) string {
	st := f.st
	var b strings.Builder
	b.WriteString(st.DialogTitle.Render("New share link") + "\n\n")
	for i := range linkFieldCount {
		b.WriteString(formRow(st, f.focus == i, linkFieldLabels[i], f.inputs[i].View()))
		switch {
		case i == linkFieldPath && f.pathErr != nil && !f.pathUnfinished:
			b.WriteString(formNote(st.StatusError, f.pathNote, width))
		case i == linkFieldPath:
			b.WriteString(formNote(st.Dim, f.pathNote, width))
		case i == linkFieldLifetime && f.lifeErr != nil:
			b.WriteString(formNote(st.StatusError, f.lifeErr.Error(), width))
		case i == linkFieldLifetime:
			b.WriteString(formNote(st.Dim, f.lifeNote, width))
		}
	}
	b.WriteString("\n" + f.footer("Anyone holding the link can read that one file (GET and HEAD) "+
		"until it expires or is revoked.", width))
	return b.String()
}

func (f linkForm) ShortHelp() []key.Binding {
	return []key.Binding{f.km.NextInput, withHelp(f.km.Accept, "create"), f.km.Cancel}
}
