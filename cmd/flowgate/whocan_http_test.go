package main

// These tests need the checker of issue 10 (token scopes in decisions, file
// prefixes, share links), merged to main from branch h10c.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"flowgate/checker"
	"flowgate/model"
	"flowgate/store"
)

// TestWhoCanAgreesWithTheCheckerOverHTTPOnEveryPair asks the real binary
// who can call each workflow of a generated database, then makes every
// (workflow × token) call for real: the checker's HTTP handler, loaded from
// the same database, with each token's secret. who-can lists a token iff
// its call is let through, and says anyone iff a call without a token is.
func TestWhoCanAgreesWithTheCheckerOverHTTPOnEveryPair(t *testing.T) {
	db := tempDB(t)
	ws, toks, expiredAt := generateWhoCanDatabase(t, db)
	time.Sleep(time.Until(expiredAt) + 100*time.Millisecond) // let the one-second tokens expire

	s, err := store.OpenExisting(db)
	require.NoError(t, err)
	defer s.Close()
	c := checker.New(checker.Options{})
	require.NoError(t, c.Load(context.Background(), s))
	const passed = 299 // the upstream's answer: the call was let through
	srv := httptest.NewServer(c.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(passed) })))
	defer srv.Close()
	assertWhoCanAgrees(t, db, ws, toks, func(w model.Workflow, tok *generatedToken) bool {
		req, err := http.NewRequest(string(w.Method), srv.URL+"/api/1.1/wf/"+w.Name, nil)
		require.NoError(t, err)
		if tok != nil {
			req.Header.Set("Authorization", "Bearer "+tok.secret)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode == passed
	})
}
