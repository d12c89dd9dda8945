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
// once, and a column for each credential kind.
func TestDecideTable(t *testing.T) {
	table, err := decisiontable.Load(decisionsFile)
	require.NoError(t, err)
	kinds := credentialColumns(t, table.Credentials)
	seen := map[string]int{}
	for _, row := range table.Rows {
		where := fmt.Sprintf("%s:%d: %s, %s request", decisionsFile, row.Line, row.State, row.Request)
		key := row.State + " " + row.Request
		if first, dup := seen[key]; dup {
			t.Errorf("%s: already on line %d", where, first)
		}
		seen[key] = row.Line
		w := workflowOf(row.Workflow)
		for i, kind := range kinds {
			d := Decide(w, Credential{Kind: kind}, row.Request)
			assert.Equal(t, row.Cells[i].String(), outcome(d), "%s, %s credential", where, kind)
			assert.Equal(t, d.Allowed, d.Status == 200, "Allowed and Status agree (%s)", where)
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

// credentialColumns maps the table's columns to credential kinds and
// requires one column for every kind Decide knows.
func credentialColumns(t *testing.T, columns []string) []CredentialKind {
	byName := map[string]CredentialKind{}
	var all []CredentialKind
	for k := CredentialKind(0); k.String() != "unknown"; k++ {
		byName[k.String()] = k
		all = append(all, k)
	}
	var kinds []CredentialKind
	for _, c := range columns {
		k, ok := byName[c]
		require.True(t, ok, "column %q is not a credential kind", c)
		kinds = append(kinds, k)
	}
	require.ElementsMatch(t, all, kinds, "the table has one column for each credential kind")
	return kinds
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
