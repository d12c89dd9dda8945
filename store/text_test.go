package store

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// Text no stored row can hold (a NUL byte, invalid UTF-8) is what
// PostgreSQL refuses even in a lookup; SQLite just finds nothing. Both
// answer alike: not found, nothing listed.
func TestLookingUpTextNoRowCanHoldFindsNothingOnEveryBackend(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		_, err := s.CreateWorkflow(ctx, model.NewWorkflow("kept"), SourceCLI)
		require.NoError(t, err)
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "ci"})
		require.NoError(t, err)
		_, err = s.AddPrefix(ctx, "/fileupload/", "")
		require.NoError(t, err)
		const bad = "\xff\x00\x1b[2J"

		_, err = s.GetWorkflow(ctx, "kept"+bad)
		assert.ErrorIs(t, err, ErrNotFound)
		for what, err := range map[string]error{
			"revoke":  s.RevokeToken(ctx, tok.ID+bad),
			"link":    s.RevokeLink(ctx, "lnk_"+bad),
			"prefix":  s.RemovePrefix(ctx, "/fileupload/"+bad),
			"unwaive": s.Unwaive(ctx, model.RuleOpen, "kept"+bad, ""),
		} {
			assert.ErrorIs(t, err, ErrNotFound, what)
			assert.NotContains(t, err.Error(), "\x1b", "%s: the error quotes what it was given", what)
		}
		_, err = s.SetTokenScope(ctx, bad, model.DefaultScope())
		assert.ErrorIs(t, err, ErrNotFound)
		_, _, err = s.RotateToken(ctx, bad, 0)
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = s.Waive(ctx, model.Waiver{Rule: model.RuleAdminTokenUnscoped, Token: bad, Reason: "x"})
		assert.ErrorIs(t, err, ErrNotFound)

		hist, err := s.History(ctx, bad)
		require.NoError(t, err)
		assert.Empty(t, hist)
		hist, err = s.HistoryOf(ctx, SubjectToken, bad)
		require.NoError(t, err)
		assert.Empty(t, hist)
		calls, err := s.ListCalls(ctx, CallFilter{Workflow: bad, TokenID: bad})
		require.NoError(t, err)
		assert.Empty(t, calls)
	})
}

// The file an import read goes into the trail's detail as it is named,
// and a file name may be any bytes: what PostgreSQL cannot hold is kept
// escaped, on both backends alike, instead of refusing the import.
func TestAnImportFromAFileNamedInAnyBytesIsRecorded(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		importFromOddlyNamedFile(t, s)
		hist, err := s.History(ctx, "imported")
		require.NoError(t, err)
		require.Len(t, hist, 1)
		assert.Equal(t, `/tmp/caf\xe9\x00.json`, hist[0].Detail)
	})
}

// importFromOddlyNamedFile creates workflow "imported" as an import of a
// file whose name PostgreSQL's text cannot hold.
func importFromOddlyNamedFile(t *testing.T, s *Store) {
	t.Helper()
	err := s.InTx(ctx, SourceImport, func(tx *Tx) error {
		tx.Detail = "/tmp/caf\xe9\x00.json"
		_, err := tx.CreateWorkflow(ctx, model.NewWorkflow("imported"))
		return err
	})
	require.NoError(t, err)
}

// A SQLite store whose trail names such a file moves into PostgreSQL like
// any other (it once failed: invalid byte sequence for encoding "UTF8").
func TestAStoreThatImportedAnOddlyNamedFileCopiesIntoPostgres(t *testing.T) {
	src, _ := openTemp(t)
	importFromOddlyNamedFile(t, src)
	pg := openAt(t, testBackends[1].fresh(t))
	_, err := Copy(ctx, src, pg, false)
	require.NoError(t, err)
	assert.Equal(t, dumpOf(t, src), dumpOf(t, pg))
}

// A SQLite store an older flowgate wrote may hold bytes PostgreSQL's text
// refuses (the call log kept requested paths before schema 3): a copy into
// PostgreSQL names the table, the column and the value, and writes nothing.
func TestACopyIntoPostgresNamesTextItCannotHold(t *testing.T) {
	src, path := openTemp(t)
	require.NoError(t, src.RecordCalls(ctx, []Call{{At: copyEpoch, Workflow: "fine", Via: "proxy", Status: 404, Code: "not_found"}}))
	_, err := rawDB(t, path).Exec(`UPDATE calls SET workflow = ?`, "scan\xff\x00me")
	require.NoError(t, err)
	loc := testBackends[1].fresh(t)
	pg := openAt(t, loc)
	before := dumpOf(t, pg)

	_, err = Copy(ctx, src, pg, false)
	require.Error(t, err)
	assert.Equal(t, 1, strings.Count(err.Error(), "copy table"), err.Error())
	assert.Contains(t, err.Error(), `copy table calls to `+pg.Path()+`: a row's workflow holds "scan\xff\x00me", which PostgreSQL's text cannot store`)
	assert.Equal(t, before, dumpOf(t, pg), "nothing was copied")
}
