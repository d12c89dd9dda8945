package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// generatedToken is a token of the generated database with its secret.
type generatedToken struct {
	store.Token
	secret string
}

// generateWhoCanDatabase stores workflows of every state (public or not,
// each Authentication choice, each method) and tokens of every kind, scope,
// expiry and revocation, through the real store in a real SQLite file.
// Tokens that must be expired get a one-second lifetime: the caller waits
// until expiredAt before asking.
func generateWhoCanDatabase(t *testing.T, db string) (ws []model.Workflow, toks []generatedToken, expiredAt time.Time) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(db)
	require.NoError(t, err)
	defer s.Close()
	for _, public := range []bool{true, false} {
		for _, auth := range []model.Auth{model.AuthNone, model.AuthUser, model.AuthAdmin} {
			for _, method := range []model.Method{model.MethodPOST, model.MethodGET} {
				for _, prefix := range []string{"send", "report"} {
					w := model.NewWorkflow(fmt.Sprintf("%s-%s-%s-%v", prefix, auth, strings.ToLower(string(method)), public))
					w.Public, w.Auth, w.Method = public, auth, method
					created, err := s.CreateWorkflow(ctx, w, store.SourceCLI)
					require.NoError(t, err)
					ws = append(ws, created)
				}
			}
		}
	}
	scopes := map[string]model.Scope{
		"all":   model.DefaultScope(),
		"send":  {Workflows: []string{"SEND-*"}},
		"exact": {Workflows: []string{"report-user-post-true"}},
		"none":  {Workflows: []string{}, Files: []string{"/fileupload/"}},
		"typo":  {Workflows: []string{"sned-*"}},
	}
	now := time.Now()
	soon, later := now.Add(time.Second), now.Add(time.Hour)
	for _, kind := range []model.TokenKind{model.TokenAdmin, model.TokenUser} {
		for scopeName, scope := range scopes {
			for _, state := range []string{"never", "later", "expired", "revoked"} {
				nt := store.NewToken{Kind: kind, Name: fmt.Sprintf("%s-%s-%s", kind, scopeName, state), Scope: &scope}
				if kind == model.TokenUser {
					nt.UserID = "u-" + nt.Name
				}
				switch state {
				case "later":
					nt.ExpiresAt = &later
				case "expired":
					nt.ExpiresAt = &soon
				}
				secret, tok, err := s.CreateToken(ctx, nt)
				require.NoError(t, err)
				if state == "revoked" {
					require.NoError(t, s.RevokeToken(ctx, tok.ID))
				}
				toks = append(toks, generatedToken{tok, secret})
			}
		}
	}
	// Read the tokens back as stored (revocations included).
	stored, err := s.ListTokens(ctx)
	require.NoError(t, err)
	require.Len(t, stored, len(toks))
	for i := range toks {
		require.Equal(t, toks[i].ID, stored[i].ID)
		toks[i].Token = stored[i]
	}
	return ws, toks, soon
}

// whoCanAnswer is `who-can --json` as printed.
type whoCanAnswer struct {
	Workflow string `json:"workflow"`
	Anyone   bool   `json:"anyone"`
	Tokens   []struct {
		ID        string     `json:"id"`
		Name      string     `json:"name"`
		Kind      string     `json:"kind"`
		User      string     `json:"user"`
		ExpiresAt *time.Time `json:"expires_at"`
	} `json:"tokens"`
	Counts map[string]int `json:"counts"`
}

// TestWhoCanAgreesWithTheDecisionOnEveryWorkflowAndTokenPair asks the real
// binary who can call each workflow of a generated database and compares
// every (workflow × token) pair with the decision the checker makes for
// that token: its stored kind and scope, and whether it is usable now.
func TestWhoCanAgreesWithTheDecisionOnEveryWorkflowAndTokenPair(t *testing.T) {
	db := tempDB(t)
	ws, toks, expiredAt := generateWhoCanDatabase(t, db)
	time.Sleep(time.Until(expiredAt) + 100*time.Millisecond) // let the one-second tokens expire
	now := time.Now()
	assertWhoCanAgrees(t, db, ws, toks, func(w model.Workflow, tok *generatedToken) bool {
		kind, scope := model.CredentialNone, (*model.Scope)(nil)
		if tok != nil {
			if model.TokenStatus(tok.ExpiresAt, tok.RevokedAt, now) != model.TokenActive {
				return false
			}
			kind, scope = tok.Kind.Credential(), &tok.Scope
		}
		return model.Decide(&w, model.Credential{Kind: kind, Scope: scope}, string(w.Method)).Allowed
	})
}

// assertWhoCanAgrees runs `who-can --json` for each workflow and checks,
// for every token, that it is listed iff allowed says its call goes
// through (tok nil: a call without a token, which is "anyone"), and the
// counts.
func assertWhoCanAgrees(t *testing.T, db string, ws []model.Workflow, toks []generatedToken,
	allowed func(w model.Workflow, tok *generatedToken) bool) {
	t.Helper()
	listed, notListed := 0, 0
	for _, w := range ws {
		var got whoCanAnswer
		decodeJSON(t, mustRun(t, db, "who-can", w.Name, "--json"), &got)
		assert.Equal(t, w.Name, got.Workflow)
		assert.Equal(t, allowed(w, nil), got.Anyone, w.Name)
		byID := map[string]bool{}
		counts := map[string]int{"admin": 0, "user": 0}
		for _, g := range got.Tokens {
			byID[g.ID] = true
			counts[g.Kind]++
		}
		assert.Equal(t, counts, got.Counts, w.Name)
		for i := range toks {
			want := allowed(w, &toks[i])
			assert.Equal(t, want, byID[toks[i].ID], "%s × %s", w.Name, toks[i].Name)
			if want {
				listed++
			} else {
				notListed++
			}
		}
	}
	// The generated database must exercise both answers, or the test
	// would pass whatever who-can said.
	assert.Greater(t, listed, 20)
	assert.Greater(t, notListed, 20)
}

func TestWhoCanPrintsAnyoneOrTheTokensAndRefusesAnUnknownName(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "signup", "--public", "--auth", "none")
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "admin")
	mustRun(t, db, "add", "nightly")
	newToken(t, db, "--admin", "--name", "ci", "--workflows", "send-*", "--expires", "30d")
	newToken(t, db, "--user", "u-1", "--name", "app")

	assert.Equal(t, "signup: callable by anyone (no token needed)\ntokens it admits: 0 admin tokens · 1 user token\n",
		firstLines(mustRun(t, db, "who-can", "signup"), 2))
	assert.Equal(t, "send-invoice: callable by 1 admin token · 0 user tokens\n", firstLines(mustRun(t, db, "who-can", "send-invoice"), 1))
	assert.Equal(t, "nightly: callable by nobody: it is not public (scheduled only)\n", mustRun(t, db, "who-can", "nightly"))

	var raw map[string]any
	decodeJSON(t, mustRun(t, db, "who-can", "nightly", "--json"), &raw)
	assert.Equal(t, map[string]any{"workflow": "nightly", "anyone": false, "tokens": []any{},
		"counts": map[string]any{"admin": float64(0), "user": float64(0)}}, raw, "tokens is [] when none")
	decodeJSON(t, mustRun(t, db, "who-can", "SEND-INVOICE", "--json"), &raw)
	assert.Equal(t, "send-invoice", raw["workflow"], "the stored name")
	require.Len(t, raw["tokens"], 1)
	tok := raw["tokens"].([]any)[0].(map[string]any)
	assert.ElementsMatch(t, []string{"id", "name", "kind", "user", "expires_at"}, mapKeys(tok))
	assert.Equal(t, "ci", tok["name"])
	assert.NotNil(t, tok["expires_at"])

	decodeJSON(t, mustRun(t, db, "who-can", "signup", "--json"), &raw)
	assert.Equal(t, true, raw["anyone"])
	assert.Nil(t, raw["tokens"].([]any)[0].(map[string]any)["expires_at"], "null when the token never expires")

	for _, args := range [][]string{{"who-can", "nope"}, {"who-can"}, {"who-can", "a", "b"}} {
		r := runCLI(t, db, args...)
		assert.Equal(t, 2, r.Code, "%v", args)
		assert.Empty(t, r.Stdout)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
	}
}

// firstLines is the first n lines of out.
func firstLines(out string, n int) string {
	lines := strings.SplitAfter(out, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "")
}

// mapKeys lists a JSON object's keys.
func mapKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
