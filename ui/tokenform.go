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

// The token form's fields, top to bottom; every one but the kind is a
// text input (inputs[field-1]).
const (
	tokenFieldKind = iota
	tokenFieldName
	tokenFieldUser
	tokenFieldLifetime
	tokenFieldWorkflows
	tokenFieldFiles
	tokenFieldCount
)

// tokenForm asks what a new API token is for: kind, name, the user it acts
// as (user tokens only), an optional lifetime, and its scope: the workflows
// it may call and the private files it may read. The scope is checked as
// it is typed — errors inline, and how many of today's workflows the
// patterns reach — so nobody creates a token that grants other than they
// think. It stays open until the store accepts the token, so a refused
// value can be corrected in place.
type tokenForm struct {
	formCore // focus is a tokenField…
	kind     model.TokenKind
	inputs   [tokenFieldCount - 1]textinput.Model
	now      func() time.Time

	// names are the stored workflows' names and prefixes the protected
	// prefixes, read when the form opened: what the scope is measured
	// against.
	names, prefixes []string
	// scope is what the two scope fields say now; wfErr and filesErr
	// what is wrong with them (nil: the field parses).
	scope           model.Scope
	wfErr, filesErr error
	// matching counts the names the workflow patterns reach and outside
	// lists the file patterns under no prefix, kept so View stays cheap.
	matching int
	outside  []string
}

// tokenScopeHint is the placeholder of the files field.
const tokenScopeHint = "e.g. /fileupload/reports/ — empty: no private file"

func newTokenForm(st *Styles, km KeyMap, now func() time.Time, names, prefixes []string) tokenForm {
	f := tokenForm{formCore: formCore{st: st, km: km, focus: tokenFieldName}, kind: model.TokenAdmin, now: now,
		names: names, prefixes: prefixes}
	for i, ph := range []string{"who or what uses it, e.g. ci-deploy", "the user id it acts as",
		"e.g. 30d or 12h; empty: never expires", "e.g. send-*, login — empty: no workflow", tokenScopeHint} {
		f.inputs[i] = newFormInput(ph, 200)
	}
	// A scope may list up to model.MaxScopePatterns patterns.
	for _, i := range []int{tokenFieldWorkflows - 1, tokenFieldFiles - 1} {
		f.inputs[i].CharLimit = model.MaxScopePatterns * (model.MaxNameLength + 2)
	}
	// What `token create` grants without scope flags, spelled out.
	f.inputs[tokenFieldWorkflows-1].SetValue(strings.Join(model.DefaultScope().Workflows, ", "))
	f.inputs[0].Focus()
	f.checkScope()
	return f
}

// fieldShown skips the user id for admin tokens.
func (f tokenForm) fieldShown(i int) bool { return i != tokenFieldUser || f.kind == model.TokenUser }

func (f tokenForm) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	if !f.busy && f.focus == tokenFieldKind && key.Matches(msg, f.km.SwitchKind) {
		if f.kind == model.TokenAdmin {
			f.kind = model.TokenUser
		} else {
			f.kind = model.TokenAdmin
		}
		return f, nil
	}
	switch step, cmd := f.key(msg, tokenFieldCount, f.fieldShown, f.submit); step {
	case stepClose:
		return nil, cmd
	case stepDone:
		focusInput(f.inputs[:], f.focus-1)
		return f, cmd
	}
	if f.focus == tokenFieldKind {
		return f, nil
	}
	var cmd tea.Cmd
	f.inputs[f.focus-1], cmd = f.inputs[f.focus-1].Update(msg)
	f.checkScope()
	return f, cmd
}

// submit is what enter asks for.
func (f tokenForm) submit() (tea.Msg, error) {
	nt, err := f.request()
	return createTokenMsg{nt: nt}, err
}

// checkScope reads the two scope fields again, after every key: the form
// shows at once what they grant or what is wrong with them.
func (f *tokenForm) checkScope() {
	var wf, files []string
	wf, f.wfErr = model.ParseWorkflowPatterns(f.inputs[tokenFieldWorkflows-1].Value())
	files, f.filesErr = model.ParseFilePatterns(f.inputs[tokenFieldFiles-1].Value())
	f.scope = model.Scope{Workflows: wf, Files: files}
	f.matching = f.scope.MatchingWorkflows(f.names)
	f.outside = f.scope.FilePatternsOutside(f.prefixes)
}

// request checks the form and builds the store request. The store checks
// again; this only catches what can be said before asking it.
func (f tokenForm) request() (store.NewToken, error) {
	nt := store.NewToken{Kind: f.kind, Name: strings.TrimSpace(f.inputs[tokenFieldName-1].Value())}
	if nt.Name == "" {
		return nt, errors.New("give the token a name saying who or what uses it")
	}
	if f.kind == model.TokenUser {
		nt.UserID = strings.TrimSpace(f.inputs[tokenFieldUser-1].Value())
		if nt.UserID == "" {
			return nt, errors.New("a user token needs the id of the user it acts as")
		}
	}
	if s := strings.TrimSpace(f.inputs[tokenFieldLifetime-1].Value()); s != "" {
		d, err := model.ParseTokenLifetime(s)
		if err != nil {
			return nt, err
		}
		at := f.now().Add(d)
		nt.ExpiresAt = &at
	}
	if err := errors.Join(f.wfErr, f.filesErr); err != nil {
		return nt, err
	}
	scope := f.scope
	nt.Scope = &scope
	return nt, nil
}

// failed shows the store's refusal and lets the user correct the form
// (refusable).
func (f tokenForm) failed(err error) dialog {
	f.refused(err)
	return f
}

func (f tokenForm) View(width int) string {
	st := f.st
	var b strings.Builder
	b.WriteString(st.DialogTitle.Render("New API token") + "\n\n")
	kind := "(•) admin  ( ) user"
	if f.kind == model.TokenUser {
		kind = "( ) admin  (•) user"
	}
	b.WriteString(formRow(st, f.focus == tokenFieldKind, "Kind", kind))
	for i := tokenFieldName; i < tokenFieldCount; i++ {
		if f.fieldShown(i) {
			b.WriteString(formRow(st, f.focus == i, tokenFieldLabels[i], f.inputs[i-1].View()))
		}
		switch i {
		case tokenFieldWorkflows:
			b.WriteString(f.workflowsNote(width))
		case tokenFieldFiles:
			b.WriteString(f.filesNote(width))
		}
	}
	b.WriteString("\n" + f.footer("Admin tokens may call Admin only workflows; user tokens call as that user. "+
		"Either only within its scope.", width))
	return b.String()
}

// tokenFieldLabels name the text fields.
var tokenFieldLabels = [tokenFieldCount]string{tokenFieldName: "Name", tokenFieldUser: "User id",
	tokenFieldLifetime: "Expires in", tokenFieldWorkflows: "Workflows", tokenFieldFiles: "Files"}

// workflowsNote says how many of today's workflows the patterns reach, or
// what is wrong with them.
func (f tokenForm) workflowsNote(width int) string {
	st := f.st
	switch n := f.matching; {
	case f.wfErr != nil:
		return formNote(st.StatusError, f.wfErr.Error(), width)
	case len(f.scope.Workflows) == 0:
		return formNote(st.Dim, "none: the token may call no workflow", width)
	case n == 0:
		return formNote(st.Warning, "matches no workflow today (allowed: it may match one created later)", width)
	default:
		return formNote(st.Dim, fmt.Sprintf("matches %s (of %d today)", plural(n, "workflow"), len(f.names)), width)
	}
}

// filesNote says what the file patterns reach, or what is wrong with them.
func (f tokenForm) filesNote(width int) string {
	st := f.st
	outside := f.outside
	switch {
	case f.filesErr != nil:
		return formNote(st.StatusError, f.filesErr.Error(), width)
	case len(f.scope.Files) == 0:
		return formNote(st.Dim, "none: the token may read no private file", width)
	case len(outside) > 0:
		return formNote(st.Warning, strings.Join(outside, ", ")+" is under no protected prefix, so flowgate "+
			"never checks it: it grants nothing", width)
	}
	return formNote(st.Dim, plural(len(f.scope.Files), "pattern")+" under the protected prefixes", width)
}

func (f tokenForm) ShortHelp() []key.Binding {
	sw := f.km.SwitchKind
	sw.SetEnabled(f.focus == tokenFieldKind)
	return []key.Binding{f.km.NextInput, sw, withHelp(f.km.Accept, "create"), f.km.Cancel}
}
