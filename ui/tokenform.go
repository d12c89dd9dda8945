package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// createTokenMsg is the token form's answer: what to create.
type createTokenMsg struct{ nt store.NewToken }

// tokenForm asks what a new API token is for: kind, name, the user it acts
// as (user tokens only) and an optional lifetime. It stays open until the
// store accepts the token, so a refused value can be corrected in place.
type tokenForm struct {
	st     *Styles
	km     KeyMap
	kind   model.TokenKind
	inputs [3]textinput.Model // name, user id, lifetime
	focus  int                // 0 kind, 1 name, 2 user id, 3 lifetime
	err    error
	busy   bool
	now    func() time.Time
}

func newTokenForm(st *Styles, km KeyMap, now func() time.Time) tokenForm {
	f := tokenForm{st: st, km: km, kind: model.TokenAdmin, focus: 1, now: now}
	for i, ph := range []string{"who or what uses it, e.g. ci-deploy", "the user id it acts as", "e.g. 30d or 12h; empty: never expires"} {
		ti := textinput.New()
		ti.Prompt = ""
		ti.Placeholder = ph
		ti.CharLimit = 200
		staticCursor(&ti)
		f.inputs[i] = ti
	}
	f.inputs[0].Focus()
	return f
}

// fieldShown skips the user id for admin tokens.
func (f tokenForm) fieldShown(i int) bool { return i != 2 || f.kind == model.TokenUser }

func (f tokenForm) move(dir int) tokenForm {
	for i := f.focus + dir; i >= 0 && i <= 3; i += dir {
		if f.fieldShown(i) {
			f.focus = i
			break
		}
	}
	for i := range f.inputs {
		if i+1 == f.focus {
			f.inputs[i].Focus()
		} else {
			f.inputs[i].Blur()
		}
	}
	return f
}

func (f tokenForm) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	if f.busy {
		return f, nil
	}
	switch {
	case key.Matches(msg, f.km.Cancel):
		return nil, msgCmd(closeDialogMsg{})
	case key.Matches(msg, f.km.Accept):
		nt, err := f.request()
		if err != nil {
			f.err = err
			return f, nil
		}
		f.err, f.busy = nil, true
		return f, msgCmd(createTokenMsg{nt: nt})
	case key.Matches(msg, f.km.NextInput):
		return f.move(1), nil
	case key.Matches(msg, f.km.PrevInput):
		return f.move(-1), nil
	case f.focus == 0 && key.Matches(msg, f.km.SwitchKind):
		if f.kind == model.TokenAdmin {
			f.kind = model.TokenUser
		} else {
			f.kind = model.TokenAdmin
		}
		return f, nil
	}
	if f.focus == 0 {
		return f, nil
	}
	var cmd tea.Cmd
	f.inputs[f.focus-1], cmd = f.inputs[f.focus-1].Update(msg)
	return f, cmd
}

// request checks the form and builds the store request. The store checks
// again; this only catches what can be said before asking it.
func (f tokenForm) request() (store.NewToken, error) {
	nt := store.NewToken{Kind: f.kind, Name: strings.TrimSpace(f.inputs[0].Value())}
	if nt.Name == "" {
		return nt, errors.New("give the token a name saying who or what uses it")
	}
	if f.kind == model.TokenUser {
		nt.UserID = strings.TrimSpace(f.inputs[1].Value())
		if nt.UserID == "" {
			return nt, errors.New("a user token needs the id of the user it acts as")
		}
	}
	if s := strings.TrimSpace(f.inputs[2].Value()); s != "" {
		d, err := model.ParseTokenLifetime(s)
		if err != nil {
			return nt, err
		}
		at := f.now().Add(d)
		nt.ExpiresAt = &at
	}
	return nt, nil
}

// failed shows the store's refusal and lets the user correct the form.
func (f tokenForm) failed(err error) tokenForm {
	f.err, f.busy = err, false
	return f
}

func (f tokenForm) View(width int) string {
	st := f.st
	var b strings.Builder
	b.WriteString(st.DialogTitle.Render("New API token") + "\n\n")
	row := func(i int, label, value string) {
		marker, style := "  ", st.Label
		if f.focus == i {
			marker, style = "› ", st.FocusLabel
		}
		fmt.Fprintf(&b, "%s%s %s\n", marker, style.Render(fmt.Sprintf("%-10s", label)), value)
	}
	kind := "(•) admin  ( ) user"
	if f.kind == model.TokenUser {
		kind = "( ) admin  (•) user"
	}
	row(0, "Kind", kind)
	row(1, "Name", f.inputs[0].View())
	if f.fieldShown(2) {
		row(2, "User id", f.inputs[1].View())
	}
	row(3, "Expires in", f.inputs[2].View())
	b.WriteString("\n")
	switch {
	case f.busy:
		b.WriteString(st.Dim.Render("Creating…"))
	case f.err != nil:
		b.WriteString(st.StatusError.Render(ansiWrap(f.err.Error(), width)))
	default:
		b.WriteString(st.Dim.Render(ansiWrap("Admin tokens may call Admin only workflows; user tokens call as that user.", width)))
	}
	return b.String()
}

func (f tokenForm) ShortHelp() []key.Binding {
	sw := f.km.SwitchKind
	sw.SetEnabled(f.focus == 0)
	return []key.Binding{f.km.NextInput, sw, withHelp(f.km.Accept, "create"), f.km.Cancel}
}

// secretDialog shows a new token's secret, the only time it can be seen:
// the database keeps just its hash. The secret lives in this dialog alone
// and is gone when it closes.
type secretDialog struct {
	st     *Styles
	km     KeyMap
	secret string
	tok    store.Token
}

func (d secretDialog) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	if key.Matches(msg, d.km.Accept) || key.Matches(msg, d.km.Cancel) {
		return nil, msgCmd(closeDialogMsg{})
	}
	return d, nil
}

func (d secretDialog) View(width int) string {
	st := d.st
	who := "admin token"
	if d.tok.Kind == model.TokenUser {
		who = "user token for " + d.tok.UserID
	}
	return st.DialogTitle.Render(fmt.Sprintf("New %s %q (%s)", who, d.tok.Name, d.tok.ID)) + "\n\n" +
		"  " + st.Secret.Render(d.secret) + "\n\n" +
		st.Warning.Render(ansiWrap("Copy it now: this is the only time it is shown. flowgate keeps only its hash, "+
			"so it cannot be shown again; if it is lost, revoke it and create another.", width))
}

func (d secretDialog) ShortHelp() []key.Binding {
	return []key.Binding{withHelp(d.km.Accept, "I have copied it")}
}
