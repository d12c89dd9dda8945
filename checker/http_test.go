package checker

import (
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/decisiontable"
	"flowgate/model"
	"flowgate/store"
)

// decisionsFile is model's decision table: the one written form of the
// product's promise, which this package runs over real HTTP.
const decisionsFile = "../model/testdata/decisions.txt"

// tableWorkflows creates a workflow for every state in the table, named
// after it ("public admin GET" is table-public-admin-get), and returns the
// name to call for each state; "unknown" gets a name no workflow has.
func (f *fixture) tableWorkflows(t *testing.T, table decisiontable.Table) map[string]string {
	names := map[string]string{}
	for _, row := range table.Rows {
		if _, done := names[row.State]; done {
			continue
		}
		name := "table-" + strings.ReplaceAll(strings.ToLower(row.State), " ", "-")
		names[row.State] = name
		if !row.Workflow.Exists {
			continue
		}
		w := model.NewWorkflow(name)
		w.Public, w.Auth, w.Method = row.Workflow.Public, model.Auth(row.Workflow.Auth), model.Method(row.Workflow.Method)
		_, err := f.store.CreateWorkflow(ctx, w, store.SourceCLI)
		require.NoError(t, err)
	}
	return names
}

// caller is one way of presenting credentials.
type caller struct {
	name          string
	authorization []string
	query         string // the request's query, with api_token or fg_link
	column        string // which column of the table applies
	// who an allowed call is: the X-Flowgate-User and -Token it gets.
	user, tokenID string
}

// callers present every column of the table in every way the fixture has:
// the scoped, rotated and link credentials are real ones made through the
// store, like the others.
func (f *fixture) callers(t *testing.T) []caller {
	unknown, err := model.GenerateToken(model.TokenAdmin, rand.Reader)
	require.NoError(t, err)
	unknownLink, err := model.GenerateLink(rand.Reader)
	require.NoError(t, err)
	last := byte('0')
	if f.admin[len(f.admin)-1] == '0' {
		last = '1'
	}
	badSum := f.admin[:len(f.admin)-1] + string(last)
	bearer := func(secret string) []string { return []string{"Bearer " + secret} }
	return []caller{
		{name: "no credentials", column: "none"},
		{name: "basic auth", authorization: []string{"Basic dXNlcjpwYXNz"}, column: "malformed"},
		{name: "two tokens", authorization: []string{"Bearer " + f.admin, "Bearer " + f.admin}, column: "malformed"},
		{name: "link with a bearer token", authorization: bearer(f.admin), query: "fg_link=" + f.link, column: "malformed"},
		{name: "link with api_token", query: "api_token=" + f.admin + "&fg_link=" + f.link, column: "malformed"},
		{name: "two links", query: "fg_link=" + f.link + "&fg_link=" + f.link, column: "malformed"},
		{name: "link under a lookalike key", query: "FG_LINK=" + f.link, column: "malformed"},
		{name: "garbage token", authorization: bearer("not-a-flowgate-token"), column: "invalid"},
		{name: "unknown token", authorization: bearer(unknown), column: "invalid"},
		{name: "bad checksum", authorization: bearer(badSum), column: "invalid"},
		{name: "expired admin token", authorization: bearer(f.expired), column: "invalid"},
		{name: "revoked admin token", authorization: bearer(f.revoked), column: "invalid"},
		{name: "old secret of a token rotated without overlap", authorization: bearer(f.rotatedGone), column: "invalid"},
		{name: "link as a bearer token", authorization: bearer(f.link), column: "invalid"},
		{name: "token as a link", query: "fg_link=" + f.admin, column: "invalid"},
		{name: "garbage link", query: "fg_link=fgl_nope", column: "invalid"},
		{name: "unknown link", query: "fg_link=" + unknownLink, column: "invalid"},
		{name: "expired link", query: "fg_link=" + f.expiredLink, column: "invalid"},
		{name: "revoked link", query: "fg_link=" + f.revokedLink, column: "invalid"},
		{name: "link to a file", query: "fg_link=" + f.link, column: "link"},
		{name: "user token", authorization: bearer(f.user), column: "user", user: "user-42", tokenID: f.userID},
		{name: "user token in api_token", query: "api_token=" + f.user, column: "user", user: "user-42", tokenID: f.userID},
		{name: "user token scoped table-*", authorization: bearer(f.userGlob), column: "user", user: "user-7", tokenID: f.userGlobID},
		{name: "user token scoped nothing-*", authorization: bearer(f.userOut), column: "user-out"},
		{name: "admin token", authorization: []string{"bearer " + f.admin}, column: "admin", tokenID: f.adminID},
		{name: "rotated admin token", authorization: bearer(f.rotatedNew), column: "admin", tokenID: f.rotatedID},
		{name: "its previous secret in the overlap", authorization: bearer(f.rotatedOld), column: "admin", tokenID: f.rotatedID},
		{name: "admin token scoped to files only", authorization: bearer(f.adminOut), column: "admin-out"},
	}
}

// response is what a call got, read from the wire.
type response struct {
	status  int
	header  http.Header
	body    string
	outcome string // "200" or "401 missing_token", like the table
}

func call(t *testing.T, method, url string, header http.Header, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := response{status: resp.StatusCode, header: resp.Header, body: string(b), outcome: fmt.Sprint(resp.StatusCode)}
	if resp.StatusCode != http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		var d denialBody
		require.NoError(t, json.Unmarshal(b, &d), "denial body %s", b)
		r.outcome += " " + d.Body.Code
	}
	return r
}

// TestDecisionTableOverHTTP makes every call of the decision table through
// the real handler, with every way of presenting each column's credential:
// "invalid" covers every token or link that is presented but not valid
// (garbage, unknown, bad checksum, expired, revoked, rotated away, a link
// as a token and a token as a link); "link" is a real, live share link to
// a file, which opens no workflow.
func TestDecisionTableOverHTTP(t *testing.T) {
	table, err := decisiontable.Load(decisionsFile)
	require.NoError(t, err)
	f := newFixture(t)
	names := f.tableWorkflows(t, table)
	srv := f.server(t, Options{AllowQueryToken: true})
	callers := f.callers(t)
	for _, column := range table.Credentials {
		require.True(t, slices.ContainsFunc(callers, func(c caller) bool { return c.column == column }),
			"no caller presents the %q credential of the table", column)
	}
	for _, row := range table.Rows {
		for _, c := range callers {
			cell := row.Cells[slices.Index(table.Credentials, c.column)]
			url := srv.URL + "/api/1.1/wf/" + names[row.State] + "?" + c.query
			r := call(t, row.Request, url, http.Header{"Authorization": c.authorization}, "")
			where := fmt.Sprintf("%s:%d: %s %s with %s", decisionsFile, row.Line, row.Request, row.State, c.name)
			require.Equal(t, cell.String(), r.outcome, where)
			assert.Equal(t, "no-store", r.header.Get("Cache-Control"), where)
			if r.status == http.StatusOK {
				assertAllowBody(t, r.body, c, where)
				continue
			}
			assertDenial(t, r, c.column != "none" && c.column != "malformed", where)
			if cell.Name == "noscope" {
				assert.Contains(t, r.body, `"this token may not call `+names[row.State]+`"`, where)
			}
		}
	}
}

// assertDenial checks the body shape and the challenge of a denial.
func assertDenial(t *testing.T, r response, tokenPresented bool, where string) {
	t.Helper()
	var d map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &d), where)
	body := d["body"].(map[string]any)
	assert.EqualValues(t, r.status, d["statusCode"], where)
	assert.Equal(t, map[int]string{400: "INVALID_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
		405: "WRONG_METHOD", 503: "UNAVAILABLE"}[r.status], body["status"], where)
	assert.NotEmpty(t, body["message"], where)
	assert.Len(t, body, 3, where)
	challenge := r.header.Get("WWW-Authenticate")
	switch {
	case r.status == 401 && tokenPresented:
		assert.Equal(t, `Bearer realm="flowgate", error="invalid_token"`, challenge, where)
	case r.status == 401:
		assert.Equal(t, `Bearer realm="flowgate"`, challenge, where)
	case r.status == 403:
		assert.Equal(t, `Bearer realm="flowgate", error="insufficient_scope"`, challenge, where)
	case r.status == 400:
		assert.Equal(t, `Bearer realm="flowgate", error="invalid_request"`, challenge, where)
	default:
		assert.Empty(t, challenge, where)
	}
	if r.status == 405 {
		assert.Contains(t, []string{"POST", "GET", "GET, HEAD"}, r.header.Get("Allow"), where)
	}
	assert.NotContains(t, r.body, "fga_", where)
	assert.NotContains(t, r.body, "fgu_", where)
}

// assertAllowBody checks the JSON `serve` answers an allowed call with
// when it has no upstream.
func assertAllowBody(t *testing.T, body string, c caller, where string) {
	t.Helper()
	var d struct {
		StatusCode int `json:"statusCode"`
		Body       struct {
			Status, Workflow, Auth, User string
			TokenID                      string `json:"token_id"`
		} `json:"body"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &d), where)
	assert.Equal(t, 200, d.StatusCode, where)
	assert.Equal(t, "ALLOWED", d.Body.Status, where)
	auth := map[string]string{"none": "anonymous", "user": "user", "admin": "admin"}[c.column]
	require.NotEmpty(t, auth, "%s: a %s credential is never allowed a workflow", where, c.column)
	assert.Equal(t, auth, d.Body.Auth, where)
	assert.Equal(t, c.user, d.Body.User, where)
	assert.Equal(t, c.tokenID, d.Body.TokenID, where)
}

func TestPrefixesInitializeAndOddPaths(t *testing.T) {
	f := newFixture(t)
	srv := f.server(t, Options{})
	user := http.Header{"Authorization": {"Bearer " + f.user}}
	for _, p := range []string{
		"/api/1.1/wf/public-user-post", "/version-test/api/1.1/wf/public-user-post",
		"/version-live/api/1.1/wf/public-user-post", "/api/1.1/wf/public-user-post/initialize",
		"/version-test/api/1.1/wf/public-user-post/initialize", "/api/1.1/wf/PUBLIC-USER-POST",
		"/api/1.1/wf/send-invoice",
	} {
		assert.Equal(t, "200", call(t, "POST", srv.URL+p, user, "").outcome, p)
	}
	for _, p := range []string{
		"/api/1.1/wf/public-user-post/", "/api/1.1/wf//public-user-post", "//api/1.1/wf/public-user-post",
		"/api/1.1/wf/x/../public-user-post", "/api/1.1/wf/public%2Duser-post", "/%61pi/1.1/wf/public-user-post",
		"/api/1.1/wf%2Fpublic-user-post", "/api/1.1/wf/" + strings.Repeat("a", 101), "/api/1.1/obj/user",
		"/api/", "/", "/_flowgate/other", "/version-test/../api/1.1/wf/public-user-post",
		"/api/1.1/wf/public-user-post/initialize/initialize",
	} {
		r := call(t, "POST", srv.URL+p, user, "")
		assert.Equal(t, "404 not_found", r.outcome, p)
	}
	// The decision order holds on odd paths too: a bad token is a 401.
	bad := http.Header{"Authorization": {"Bearer nope"}}
	assert.Equal(t, "401 invalid_token", call(t, "POST", srv.URL+"/api/1.1/wf//x", bad, "").outcome)
}

func TestQueryTokens(t *testing.T) {
	f := newFixture(t)
	on := httptest.NewServer(f.checker(t, Options{AllowQueryToken: true}).Handler(nil))
	defer on.Close()
	off := httptest.NewServer(f.checker(t, Options{AllowQueryToken: false}).Handler(nil))
	defer off.Close()
	wf := "/api/1.1/wf/public-admin-post"

	assert.Equal(t, "200", call(t, "POST", on.URL+wf+"?a=1&api_token="+f.admin, nil, "").outcome)
	assert.Equal(t, "403 insufficient_scope", call(t, "POST", on.URL+wf+"?api_token="+f.user, nil, "").outcome)
	assert.Equal(t, "401 invalid_token", call(t, "POST", on.URL+wf+"?api_token="+f.revoked, nil, "").outcome)
	assert.Equal(t, "401 invalid_token", call(t, "POST", on.URL+wf+"?api_token=garbage", nil, "").outcome)
	assert.Equal(t, "400 invalid_request", call(t, "POST", on.URL+wf+"?api_token=", nil, "").outcome)
	both := call(t, "POST", on.URL+wf+"?api_token="+f.admin, http.Header{"Authorization": {"Bearer " + f.admin}}, "")
	assert.Equal(t, "400 invalid_request", both.outcome, "a header and a parameter together are refused")

	r := call(t, "POST", off.URL+wf+"?api_token="+f.admin, nil, "")
	assert.Equal(t, "400 invalid_request", r.outcome, "--no-query-token refuses the parameter")
	assert.Contains(t, r.body, "does not accept the api_token parameter")
	assert.NotContains(t, r.body, f.admin)
	assert.Equal(t, "200", call(t, "POST", off.URL+wf, http.Header{"Authorization": {"Bearer " + f.admin}}, "").outcome)
}

func TestTokenKindComesFromTheDatabase(t *testing.T) {
	f := newFixture(t)
	// Swap the stored kinds: the fgu_ token becomes admin, the fga_ one user.
	raw, err := sql.Open("sqlite3", f.path)
	require.NoError(t, err)
	defer raw.Close()
	_, err = raw.Exec(`UPDATE tokens SET kind = CASE kind WHEN 'admin' THEN 'user' ELSE 'admin' END,
		user_id = CASE kind WHEN 'admin' THEN 'u-from-db' ELSE '' END`)
	require.NoError(t, err)
	srv := f.server(t, Options{})
	wf := srv.URL + "/api/1.1/wf/public-admin-post"
	assert.Equal(t, "200", call(t, "POST", wf, http.Header{"Authorization": {"Bearer " + f.user}}, "").outcome)
	assert.Equal(t, "403 insufficient_scope", call(t, "POST", wf, http.Header{"Authorization": {"Bearer " + f.admin}}, "").outcome)
}

func TestNothingLoadedIsUnavailable(t *testing.T) {
	c := New(Options{})
	srv := httptest.NewServer(c.Handler(nil))
	defer srv.Close()
	r := call(t, "POST", srv.URL+"/api/1.1/wf/anything", nil, "")
	assert.Equal(t, "503 unavailable", r.outcome)
	assertDenial(t, r, false, "not loaded")
	h := call(t, "GET", srv.URL+HealthPath, nil, "")
	assert.Equal(t, 503, h.status)
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	srv := f.server(t, Options{})
	r := call(t, "GET", srv.URL+HealthPath, nil, "")
	require.Equal(t, 200, r.status)
	var h map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &h))
	assert.Equal(t, "ok", h["status"])
	gen, err := f.store.Generation(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, gen, h["generation"])
	assert.EqualValues(t, 0, h["calls_dropped"])
	assert.NotContains(t, h, "tokens", "nothing about what exists")
}
