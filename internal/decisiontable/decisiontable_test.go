package decisiontable

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const header = "outcome allow 200\noutcome notoken 401 missing_token # a comment\n\nworkflow request none user\n"

func TestParseReadsStatesRequestsAndCells(t *testing.T) {
	table, _, err := parse(header + "unknown GET allow notoken\npublic admin GET  POST  notoken allow\n")
	require.NoError(t, err)
	assert.Equal(t, []string{"none", "user"}, table.Credentials)
	require.Len(t, table.Rows, 2)
	assert.Equal(t, Row{Line: 5, State: "unknown", Request: "GET", Cells: []Outcome{{"allow", 200, ""}, {"notoken", 401, "missing_token"}}}, table.Rows[0])
	second := table.Rows[1]
	assert.Equal(t, Workflow{Exists: true, Public: true, Auth: "admin", Method: "GET"}, second.Workflow)
	assert.Equal(t, "POST", second.Request)
	assert.Equal(t, []string{"401 missing_token", "200"}, []string{second.Cells[0].String(), second.Cells[1].String()})
}

func TestParseRefusesWhatItWouldMisread(t *testing.T) {
	for text, want := range map[string]string{
		"unknown GET allow\n":                         "want a row after the header: STATE REQUEST and 0 outcomes",
		header + "unknown GET allow\n":                "want a row after the header: STATE REQUEST and 2 outcomes",
		header + "public none GET GET allow\n":        `state "public none": want "unknown" or "<public|scheduled> <auth> <method>"`,
		header + "unknown GET allow nottoken\n":       `unknown outcome "nottoken" (declare it with an outcome line)`,
		header + "private none GET GET allow allow\n": `state "private none GET": want "unknown" or "<public|scheduled> <auth> <method>"`,
		header + "workflow request admin\n":           "want one header: workflow request CREDENTIAL…",
		"outcome allow ok\n":                          `status "ok" is not a number`,
		"outcome allow 200\noutcome allow 201\n":      `outcome "allow" declared twice`,
		header:                                        "no rows",
	} {
		_, _, err := parse(text)
		assert.EqualError(t, err, want, text)
	}
}
