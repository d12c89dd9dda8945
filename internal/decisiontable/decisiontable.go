// Package decisiontable reads model/testdata/decisions.txt, the decision
// table that is flowgate's core promise, for the tests that hold the code to
// it: model's (model.Decide, cell by cell) and checker's (every cell over
// real HTTP).
//
// It exists so that the table is typed once and its grammar is read once: a
// test file cannot import another package's test file, and two copies of a
// parser would drift apart like two copies of a table. Only tests import it
// (nothing here reaches the binary), and it imports nothing of flowgate, so
// model's own tests can use it without a cycle and the arrows still point
// model ← store ← checker.
//
// The file is plain text: "#" starts a comment, blank lines are ignored.
//
//	outcome  NAME  STATUS  [CODE]      names an answer, e.g. notoken 401 missing_token
//	workflow request CRED…             the header: one column per credential
//	                                   (a credential kind, or a kind and a variant: user-out)
//	STATE…   METHOD  NAME…             a row: the workflow state, the request method,
//	                                   then one outcome name per credential column
//
// A state is one word ("unknown") or several ("public admin GET"): the last
// columns are the cells, the one before them the request method.
package decisiontable

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Outcome is what a caller observes: the HTTP status and, for a denial, the
// machine-readable code.
type Outcome struct {
	// Name is the table's word for it ("noscope"): two names may share a
	// status and code when the reason differs, and a test may tell them
	// apart by the message.
	Name   string
	Status int
	Code   string // "" for an allowed call
}

// String reads "200" or "401 missing_token", the way the tests print what
// they observed.
func (o Outcome) String() string {
	if o.Code == "" {
		return strconv.Itoa(o.Status)
	}
	return strconv.Itoa(o.Status) + " " + o.Code
}

// Row is one line of the table.
type Row struct {
	Line int // in the file, for failure messages
	// State is the row's first column as written, e.g. "public admin GET".
	State    string
	Workflow Workflow
	// Request is the HTTP method of the call.
	Request string
	// Cells holds one outcome per credential, in Table.Credentials order.
	Cells []Outcome
}

// Workflow is the workflow a row is about, read from its state.
type Workflow struct {
	Exists bool   // false for "unknown": no workflow has the name
	Public bool   // "public", or "scheduled" (scheduled-only)
	Auth   string // as model.Auth spells it: none, user or admin
	Method string // as model.Method spells it: POST or GET
}

// ParseState reads a state: "unknown", or "<public|scheduled> <auth>
// <method>". Whether auth and method are valid is for model's test to say,
// against model's own lists.
func ParseState(state string) (Workflow, error) {
	f := strings.Fields(state)
	switch {
	case len(f) == 1 && f[0] == "unknown":
		return Workflow{}, nil
	case len(f) == 3 && (f[0] == "public" || f[0] == "scheduled"):
		return Workflow{Exists: true, Public: f[0] == "public", Auth: f[1], Method: f[2]}, nil
	}
	return Workflow{}, fmt.Errorf(`state %q: want "unknown" or "<public|scheduled> <auth> <method>"`, state)
}

// Table is the whole file.
type Table struct {
	// Credentials names the columns, as model.CredentialKind spells them.
	Credentials []string
	Rows        []Row
}

// Load reads and parses the table at path. Every mistake in the file is an
// error naming its line: a test must not pass on a table it misread.
func Load(path string) (Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Table{}, err
	}
	t, line, err := parse(string(data))
	if err != nil {
		return Table{}, fmt.Errorf("%s:%d: %w", path, line, err)
	}
	return t, nil
}

func parse(text string) (t Table, line int, err error) {
	outcomes := map[string]Outcome{}
	for i, raw := range strings.Split(text, "\n") {
		line = i + 1
		raw, _, _ = strings.Cut(raw, "#")
		f := strings.Fields(raw)
		switch {
		case len(f) == 0:
		case f[0] == "outcome":
			if len(f) < 3 || len(f) > 4 {
				return t, line, fmt.Errorf("want: outcome NAME STATUS [CODE]")
			}
			o := Outcome{Name: f[1]}
			if o.Status, err = strconv.Atoi(f[2]); err != nil {
				return t, line, fmt.Errorf("status %q is not a number", f[2])
			}
			if len(f) == 4 {
				o.Code = f[3]
			}
			if _, dup := outcomes[f[1]]; dup {
				return t, line, fmt.Errorf("outcome %q declared twice", f[1])
			}
			outcomes[f[1]] = o
		case f[0] == "workflow":
			if len(f) < 3 || f[1] != "request" || t.Credentials != nil {
				return t, line, fmt.Errorf("want one header: workflow request CREDENTIAL…")
			}
			t.Credentials = f[2:]
		default:
			n := len(t.Credentials)
			if n == 0 || len(f) < n+2 {
				return t, line, fmt.Errorf("want a row after the header: STATE REQUEST and %d outcomes", n)
			}
			row := Row{Line: line, State: strings.Join(f[:len(f)-n-1], " "), Request: f[len(f)-n-1]}
			if row.Workflow, err = ParseState(row.State); err != nil {
				return t, line, err
			}
			for _, name := range f[len(f)-n:] {
				o, ok := outcomes[name]
				if !ok {
					return t, line, fmt.Errorf("unknown outcome %q (declare it with an outcome line)", name)
				}
				row.Cells = append(row.Cells, o)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	if len(t.Rows) == 0 {
		return t, line, fmt.Errorf("no rows")
	}
	return t, 0, nil
}
