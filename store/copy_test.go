package store

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// copyEpoch has nanoseconds that a copy must keep (timestamptz would round
// them to microseconds).
var copyEpoch = time.Date(2031, 3, 4, 5, 6, 7, 123456789, time.UTC)

// fillRich gives s one of everything a copy carries: workflows with
// parameters and a change trail (a deleted workflow's included), tokens
// (scoped, expiring, rotated with a previous hash, revoked), protected
// prefixes, share links (revoked and not), waivers on a workflow and a
// token, and call counts. Every write happens at a distinct nanosecond.
func fillRich(t *testing.T, s *Store) {
	t.Helper()
	clock := pinClock(t, copyEpoch)
	tick := func() { *clock = clock.Add(time.Second + time.Nanosecond) }
	as := WithOSUser(WithActor(ctx, "alice"), "build")

	var ws []model.Workflow
	for _, name := range []string{"send-invoice", "signup", "get-orders", "old-hook"} {
		w := model.NewWorkflow(name)
		w.Public = name != "old-hook"
		w.Parameters = []model.Parameter{{Key: "order_id", Type: "text", In: model.ParamInBody}, {Key: "tags", Type: "text", In: "query", IsList: true, Optional: true}}
		w.Description = "does \"" + name + "\" — naïvely"
		created, err := s.CreateWorkflow(as, w, SourceImport)
		require.NoError(t, err)
		ws = append(ws, created)
		tick()
	}
	ws[1].Auth = model.AuthNone
	_, err := s.UpdateWorkflow(as, ws[1], SourceEditor)
	require.NoError(t, err)
	tick()
	require.NoError(t, s.DeleteWorkflow(as, ws[3], SourceCLI))
	tick()

	expires := copyEpoch.Add(30 * 24 * time.Hour)
	_, admin, err := s.CreateToken(as, NewToken{Kind: model.TokenAdmin, Name: "deploy-bot", Scope: &model.Scope{Workflows: []string{"send-*"}, Files: []string{"/fileupload/invoices/"}}})
	require.NoError(t, err)
	tick()
	_, user, err := s.CreateToken(as, NewToken{Kind: model.TokenUser, Name: "mobile", UserID: "u_123", ExpiresAt: &expires})
	require.NoError(t, err)
	tick()
	_, _, err = s.RotateToken(as, user.ID, time.Hour)
	require.NoError(t, err)
	tick()
	_, gone, err := s.CreateToken(as, NewToken{Kind: model.TokenUser, Name: "old", UserID: "u_9"})
	require.NoError(t, err)
	require.NoError(t, s.RevokeToken(as, gone.ID))
	tick()

	_, err = s.AddPrefix(as, "/fileupload/", "uploads")
	require.NoError(t, err)
	tick()
	_, open, err := s.CreateLink(as, NewLink{Path: "/fileupload/invoices/march.pdf", Name: "for the accountant"})
	require.NoError(t, err)
	_, revoked, err := s.CreateLink(as, NewLink{Path: "/fileupload/a.pdf"})
	require.NoError(t, err)
	require.NoError(t, s.RevokeLink(as, revoked.ID))
	tick()

	for _, w := range []model.Waiver{
		{Rule: model.RuleOpen, Workflow: "signup", Reason: "the public sign-up form"},
		{Rule: model.RuleOpen, Workflow: "get-orders", Reason: "read-only", ExpiresAt: &expires},
		{Rule: model.RuleAdminTokenUnscoped, Token: admin.ID, Reason: "read-only"},
	} {
		_, err := s.Waive(as, w)
		require.NoError(t, err)
		tick()
	}

	require.NoError(t, s.RecordCalls(ctx, []Call{
		{At: copyEpoch, Workflow: "send-invoice", TokenID: admin.ID, Via: "proxy", Status: 200, RemoteAddr: "10.0.0.1"},
		{At: copyEpoch.Add(time.Millisecond), Workflow: "send-invoice", TokenID: admin.ID, Via: "proxy", Status: 200, RemoteAddr: "10.0.0.2"},
		{At: copyEpoch.Add(time.Minute + 7), Workflow: "/fileupload/", LinkID: open.ID, Via: "auth", Status: 200, RemoteAddr: "10.0.0.3"},
		{At: copyEpoch.Add(2 * time.Minute), Workflow: "-", Via: "proxy", Status: 401, Code: "no_token", RemoteAddr: "::1"},
	}))
}

// dumpOf is the store's canonical dump.
func dumpOf(t *testing.T, s *Store) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, s.Dump(ctx, &b))
	return b.String()
}

// richSource is a SQLite store filled by fillRich.
func richSource(t *testing.T) *Store {
	t.Helper()
	s, _ := openTemp(t)
	fillRich(t, s)
	return s
}

func TestTheDumpRendersEveryValueCanonically(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s := openAt(t, loc)
		fillRich(t, s)
		dump := dumpOf(t, s)
		assert.Contains(t, dump, "table workflows (id, name, public, auth, ignore_privacy_rules, method, description, parameters, auth_migrated, version, created_at, updated_at)\n")
		assert.Contains(t, dump, `workflows 1 "send-invoice" 1 "user" 0 "POST" "does \"send-invoice\" — naïvely" `,
			"text is a quoted Go string, integers decimal")
		assert.Contains(t, dump, `"2031-03-04T05:06:07.123456789Z"`, "timestamps keep their nanoseconds")
		assert.Contains(t, dump, `"2031-03-04T05:06:08.123456790Z"`)
		assert.Regexp(t, `(?m)^tokens "tok_[^"]+" "deploy-bot" "admin" "" "fga_[^"]+" x'[0-9a-f]{64}' "[^"]+" NULL NULL "\[\\"send-\*\\"\]" `,
			dump, "bytes in hex, NULL as NULL")
		assert.Regexp(t, `(?m)^tokens "tok_[^"]+" "mobile" .* x'[0-9a-f]{64}' "2031-03-04T06:06:\d\d\.\d{9}Z" NULL$`,
			dump, "the rotated token keeps its previous hash")
		assert.Contains(t, dump, `file_prefixes "/fileupload/" "uploads" `)
		assert.NotContains(t, dump, "meta", "bookkeeping is left out")
		assert.Equal(t, dump, dumpOf(t, s), "a dump is the same every time")
	})
}

// TestTheDumpCoversEveryTableAndColumn fails when a schema step adds a
// table or column that neither the dump (and so the copy) carries nor is
// named bookkeeping: a copy must never drop data silently.
func TestTheDumpCoversEveryTableAndColumn(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s := openAt(t, loc)
		tablesQuery := `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
		columnsQuery := `SELECT name FROM pragma_table_info(?) ORDER BY cid`
		if s.Backend() == BackendPostgres {
			tablesQuery = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
			columnsQuery = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
		}
		specs := map[string]dataTable{}
		for _, d := range dataTables {
			specs[d.name] = d
		}
		for _, table := range queryStrings(t, s, tablesQuery) {
			spec, ok := specs[table]
			if !ok {
				assert.Contains(t, bookkeepingTables, table, "table %s is neither data (dataTables) nor bookkeeping", table)
				continue
			}
			delete(specs, table)
			var want []string
			for _, c := range spec.columns {
				want = append(want, c.name)
			}
			var got []string
			for _, c := range queryStrings(t, s, columnsQuery, table) {
				if !strings.Contains(" "+strings.Join(bookkeepingColumns, " ")+" ", " "+c+" ") {
					got = append(got, c)
				}
			}
			assert.ElementsMatch(t, want, got, "the data columns of table %s", table)
		}
		assert.Empty(t, specs, "every data table exists")
	})
}

func queryStrings(t *testing.T, s *Store, query string, args ...any) []string {
	t.Helper()
	rows, err := s.conn().QueryContext(ctx, query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		require.NoError(t, rows.Scan(&v))
		out = append(out, v)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestCopyCarriesEverythingIntoAnEmptyStoreOfEitherBackend(t *testing.T) {
	src := richSource(t)
	srcGen, err := src.Generation(ctx)
	require.NoError(t, err)
	eachBackend(t, func(t *testing.T, loc string) {
		dst := openAt(t, loc)
		before, err := dst.Generation(ctx)
		require.NoError(t, err)
		res, err := Copy(ctx, src, dst, false)
		require.NoError(t, err)
		assert.Equal(t, dumpOf(t, src), dumpOf(t, dst))
		assert.Equal(t, []TableCount{{"workflows", 3}, {"changes", 18}, {"tokens", 3}, {"file_prefixes", 1},
			{"links", 2}, {"calls", 3}, {"waivers", 3}}, res.Tables)

		after, err := dst.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, res.Generation, after)
		assert.Greater(t, after, before, "the target's readers reload")
		assert.GreaterOrEqual(t, after, srcGen, "later changes never reuse a generation of the copied history")

		// New rows get new ids, not copied ones (PostgreSQL's identity
		// counters moved past them), and the copied rows are live settings.
		w, err := dst.CreateWorkflow(ctx, model.NewWorkflow("after-copy"), SourceCLI)
		require.NoError(t, err)
		hist, err := dst.History(ctx, "after-copy")
		require.NoError(t, err)
		if dst.Backend() == BackendPostgres {
			assert.EqualValues(t, 5, w.ID, "past the deleted workflow's id 4, which the trail names")
			require.Len(t, hist, 1)
		} else {
			assert.EqualValues(t, 4, w.ID, "SQLite gives max(id)+1, as the source itself would")
		}
		assert.EqualValues(t, 19, hist[0].ID)
		assert.Greater(t, hist[0].Generation, after)
		snap, err := dst.ReadSnapshot(ctx)
		require.NoError(t, err)
		assert.Len(t, snap.Workflows, 4)
		assert.Len(t, snap.Tokens, 3, "admin, user and its previous secret; not the revoked one")
		waivers, err := dst.ListWaivers(ctx)
		require.NoError(t, err)
		assert.Len(t, waivers, 3)
	})
}

func TestCopyRoundTripSQLiteToPostgresToSQLiteIsExact(t *testing.T) {
	src := richSource(t)
	pg := openAt(t, testBackends[1].fresh(t))
	back, _ := openTemp(t)
	_, err := Copy(ctx, src, pg, false)
	require.NoError(t, err)
	_, err = Copy(ctx, pg, back, false)
	require.NoError(t, err)
	want := dumpOf(t, src)
	assert.Equal(t, want, dumpOf(t, pg))
	assert.Equal(t, want, dumpOf(t, back))
}

func TestCopyRefusesANonEmptyTargetUnlessToldToReplaceIt(t *testing.T) {
	src := richSource(t)
	eachBackend(t, func(t *testing.T, loc string) {
		dst := openAt(t, loc)
		_, err := dst.CreateWorkflow(ctx, model.NewWorkflow("mine"), SourceCLI)
		require.NoError(t, err)
		_, err = dst.AddPrefix(ctx, "/private/", "")
		require.NoError(t, err)
		held, gen := dumpOf(t, dst), generationOf(t, dst)

		_, err = Copy(ctx, src, dst, false)
		var notEmpty *TargetNotEmptyError
		require.ErrorAs(t, err, &notEmpty)
		assert.Equal(t, []TableCount{{"workflows", 1}, {"changes", 2}, {"file_prefixes", 1}}, notEmpty.Tables)
		assert.Contains(t, err.Error(), "is not empty (workflows 1, changes 2, file_prefixes 1); nothing was copied")
		assert.Equal(t, held, dumpOf(t, dst), "untouched")
		assert.Equal(t, gen, generationOf(t, dst))

		_, err = Copy(ctx, src, dst, true)
		require.NoError(t, err)
		assert.Equal(t, dumpOf(t, src), dumpOf(t, dst), "replaced: nothing of the old content is left")
		assert.Greater(t, generationOf(t, dst), gen)
	})
}

func generationOf(t *testing.T, s *Store) int64 {
	t.Helper()
	g, err := s.Generation(ctx)
	require.NoError(t, err)
	return g
}

func TestACopyThatFailsMidwayLeavesTheTargetAsItWas(t *testing.T) {
	src := richSource(t)
	eachBackend(t, func(t *testing.T, loc string) {
		dst := openAt(t, loc)
		_, err := dst.CreateWorkflow(ctx, model.NewWorkflow("mine"), SourceCLI)
		require.NoError(t, err)
		// The source has two waivers with the reason "read-only": waivers,
		// the last table copied, fails after every other table was written.
		_, err = dst.conn().ExecContext(ctx, `CREATE UNIQUE INDEX one_waiver_per_reason ON waivers (reason)`)
		require.NoError(t, err)
		held, gen := dumpOf(t, dst), generationOf(t, dst)

		_, err = Copy(ctx, src, dst, true)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "copy table waivers to "+dst.Path())
		assert.Equal(t, held, dumpOf(t, dst), "nothing half-written")
		assert.Equal(t, gen, generationOf(t, dst))
		_, err = dst.CreateWorkflow(ctx, model.NewWorkflow("still-writable"), SourceCLI)
		require.NoError(t, err, "and its triggers are back (PostgreSQL switches them off during a copy)")
		assert.Greater(t, generationOf(t, dst), gen)
	})
}

// TestACopyThatDoesNotMatchItsSourceIsRolledBack tampers with rows as the
// target stores them (a SQLite trigger; a PostgreSQL rule, which a copy does
// not switch off): the comparison of the dumps catches it before commit.
func TestACopyThatDoesNotMatchItsSourceIsRolledBack(t *testing.T) {
	src := richSource(t)
	eachBackend(t, func(t *testing.T, loc string) {
		dst := openAt(t, loc)
		tamper := `CREATE TRIGGER tamper AFTER INSERT ON file_prefixes BEGIN UPDATE file_prefixes SET description = 'tampered'; END`
		if dst.Backend() == BackendPostgres {
			tamper = `CREATE RULE tamper AS ON INSERT TO file_prefixes DO ALSO UPDATE file_prefixes SET description = 'tampered'`
		}
		_, err := dst.conn().ExecContext(ctx, tamper)
		require.NoError(t, err)
		held, gen := dumpOf(t, dst), generationOf(t, dst)

		_, err = Copy(ctx, src, dst, false)
		var mismatch *DumpMismatchError
		require.ErrorAs(t, err, &mismatch)
		assert.Equal(t, &DumpMismatchError{Table: "file_prefixes", Row: 1,
			Source: `file_prefixes "/fileupload/" "uploads" "2031-03-04T05:06:17.123456799Z"`,
			Target: `file_prefixes "/fileupload/" "tampered" "2031-03-04T05:06:17.123456799Z"`}, mismatch)
		assert.Contains(t, err.Error(), "nothing was copied")
		assert.Equal(t, held, dumpOf(t, dst))
		assert.Equal(t, gen, generationOf(t, dst))
	})
}

func TestCopyRefusesToCopyAStoreOntoItself(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		a := openAt(t, loc)
		other := loc
		if a.Backend() == BackendPostgres {
			other += "&application_name=another-spelling"
		}
		b := openAt(t, other)
		_, err := Copy(ctx, a, b, true)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "are the same store")
	})
}

// TestARoleThatMayWriteSettingsCanCopyIntoPostgres: the copy needs no more
// than what every write needs (it used to switch triggers off, which only
// the tables' owner may).
func TestARoleThatMayWriteSettingsCanCopyIntoPostgres(t *testing.T) {
	src := richSource(t)
	loc := testBackends[1].fresh(t)
	owner := openAt(t, loc)

	var suffix [6]byte
	_, err := rand.Read(suffix[:])
	require.NoError(t, err)
	role := "fgt_copy_" + hex.EncodeToString(suffix[:])
	for _, q := range []string{
		`CREATE ROLE ` + role + ` LOGIN PASSWORD 'pw'`,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ` + role,
		`GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ` + role,
	} {
		_, err := owner.conn().ExecContext(ctx, q)
		require.NoError(t, err)
	}
	t.Cleanup(func() {
		owner.conn().ExecContext(ctx, `DROP OWNED BY `+role)
		owner.conn().ExecContext(ctx, `DROP ROLE `+role)
	})
	u, err := url.Parse(loc)
	require.NoError(t, err)
	u.User = url.UserPassword(role, "pw")
	writer := openAt(t, u.String())
	_, err = writer.CreateWorkflow(ctx, model.NewWorkflow("mine"), SourceCLI)
	require.NoError(t, err, "the role may write settings")

	_, err = Copy(ctx, src, writer, true)
	require.NoError(t, err)
	assert.Equal(t, dumpOf(t, src), dumpOf(t, owner))
	states := queryStrings(t, owner, `SELECT tgname || ' ' || tgenabled::text FROM pg_trigger WHERE tgrelid = 'workflows'::regclass ORDER BY tgname`)
	assert.Equal(t, []string{"waivers_follow_deleted_workflow O", "workflows_generation O"}, states, "no trigger was touched")
}

// TestACopyIsAChangeLikeAnyOtherForIncrementalReloads: a checker that had
// loaded the target before a --replace copy applies the copy as a delta —
// the replaced keys removed, the copied rows added — and ends with what a
// full load of the target gives.
func TestACopyIsAChangeLikeAnyOtherForIncrementalReloads(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		src := richSource(t)
		dst := openAt(t, loc)
		_, err := dst.CreateWorkflow(ctx, model.NewWorkflow("replaced"), SourceCLI)
		require.NoError(t, err)
		_, _, err = dst.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "replaced"})
		require.NoError(t, err)
		before, err := dst.ReadSnapshot(ctx)
		require.NoError(t, err)

		res, err := Copy(ctx, src, dst, true)
		require.NoError(t, err)
		d, err := dst.ReadDelta(ctx, before.Generation)
		require.NoError(t, err)
		require.False(t, d.Full)
		assert.Equal(t, res.Generation, d.Generation)
		assert.Contains(t, d.RemovedWorkflows, "replaced")
		assert.Contains(t, d.RemovedTokens, before.Tokens[0].Hash)
		after, err := dst.ReadSnapshot(ctx)
		require.NoError(t, err)
		assert.ElementsMatch(t, after.Workflows, d.Workflows, "every copied workflow is in the delta")
		assert.Len(t, d.Tokens, len(after.Tokens))
	})
}
