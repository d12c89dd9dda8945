package model

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/decisiontable"
)

// decisionsFile is the decision table, the product's core promise, as plain
// text that checker's tests also run over real HTTP.
var decisionsFile = filepath.Join("testdata", "decisions.txt")

// TestDecideTable holds Decide to every cell of the decision table, and the
// table to every case: each workflow state with each request method exactly
// once, and a column for each credential kind (two for a token kind: in and
// out of its scope).
func TestDecideTable(t *testing.T) {
	table, err := decisiontable.Load(decisionsFile)
	require.NoError(t, err)
	creds := credentialColumns(t, table.Credentials)
	seen := map[string]int{}
	for _, row := range table.Rows {
		where := fmt.Sprintf("%s:%d: %s, %s request", decisionsFile, row.Line, row.State, row.Request)
		key := row.State + " " + row.Request
		if first, dup := seen[key]; dup {
			t.Errorf("%s: already on line %d", where, first)
		}
		seen[key] = row.Line
		w := workflowOf(row.Workflow)
		for i, c := range creds {
			d := Decide(w, c, row.Request)
			column := table.Credentials[i]
			assert.Equal(t, row.Cells[i].String(), outcome(d), "%s, %s credential", where, column)
			assert.Equal(t, d.Allowed, d.Status == 200, "Allowed and Status agree (%s)", where)
			assert.Equal(t, row.Cells[i].Name == "noscope", d.NamesWorkflow,
				"only a noscope cell is the scope's denial, which names the workflow (%s, %s)", where, column)
			if !d.Allowed {
				assert.NotEmpty(t, d.Message, where)
			}
		}
	}
	var rows []string
	for key := range seen {
		rows = append(rows, key)
	}
	assert.ElementsMatch(t, everyStateAndRequest(), rows, "the table has every workflow state with every request method")
}

// outOfScope marks the column of a token whose workflows scope does not
// match the workflow ("user-out"); the plain column ("user") is a token
// whose scope matches it.
const outOfScope = "-out"

// Scopes of the table's token columns: the table's workflow is named "wf".
var (
	scopeIn  = &Scope{Workflows: []string{"*"}, Files: []string{}}
	scopeOut = &Scope{Workflows: []string{"other-*"}, Files: []string{"/files/"}}
)

// credentialColumns maps the table's columns to credentials and requires
// the table to be exhaustive: one column for every kind Decide knows, and
// for a token kind (user, admin) one in scope and one out of it.
func credentialColumns(t *testing.T, columns []string) []Credential {
	var want []string
	byName := map[string]Credential{}
	for k := CredentialKind(0); k.String() != "unknown"; k++ {
		name := k.String()
		switch k {
		case TokenUser.Credential(), TokenAdmin.Credential():
			byName[name] = Credential{Kind: k, TokenID: "tok_in", Scope: scopeIn}
			byName[name+outOfScope] = Credential{Kind: k, TokenID: "tok_out", Scope: scopeOut}
			want = append(want, name, name+outOfScope)
		case CredentialLink:
			byName[name] = Credential{Kind: k, TokenID: "lnk_1", LinkPath: "/files/report.pdf"}
			want = append(want, name)
		default:
			byName[name] = Credential{Kind: k}
			want = append(want, name)
		}
	}
	var creds []Credential
	for _, c := range columns {
		cred, ok := byName[c]
		require.True(t, ok, "column %q is not a credential kind (or a token kind with %s)", c, outOfScope)
		creds = append(creds, cred)
	}
	require.ElementsMatch(t, want, columns, "the table has one column for each credential kind and scope variant")
	return creds
}

// everyStateAndRequest lists what the table must cover: no workflow, or
// every exposure × auth × method, each called with both methods a workflow
// can have and one it never has.
func everyStateAndRequest() []string {
	states := []string{"unknown"}
	for _, exposure := range []string{"scheduled", "public"} {
		for _, a := range Auths {
			for _, m := range []Method{MethodPOST, MethodGET} {
				states = append(states, exposure+" "+string(a)+" "+string(m))
			}
		}
	}
	var out []string
	for _, s := range states {
		for _, request := range []string{"POST", "GET", "DELETE"} {
			out = append(out, s+" "+request)
		}
	}
	return out
}

// workflowOf builds the workflow a table row describes; nil when none has
// the name.
func workflowOf(s decisiontable.Workflow) *Workflow {
	if !s.Exists {
		return nil
	}
	w := NewWorkflow("wf")
	w.Public, w.Auth, w.Method = s.Public, Auth(s.Auth), Method(s.Method)
	return &w
}

// workflowFor builds the workflow a state such as "public admin GET" names.
func workflowFor(t *testing.T, state string) *Workflow {
	s, err := decisiontable.ParseState(state)
	require.NoError(t, err)
	return workflowOf(s)
}

// outcome prints a decision the way the table's outcomes print.
func outcome(d Decision) string {
	if d.Allowed {
		return fmt.Sprint(d.Status)
	}
	return fmt.Sprintf("%d %s", d.Status, d.Code)
}
