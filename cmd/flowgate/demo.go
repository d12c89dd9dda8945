package main

import (
	"context"
	"fmt"
	"time"

	"flowgate/model"
	"flowgate/store"
)

// demoSummary says what fillDemo wrote.
type demoSummary struct {
	Workflows, Tokens, Calls int
}

// demoWorkflow is one workflow of the sample app, as first imported.
type demoWorkflow struct {
	name, desc      string
	public          bool
	auth            model.Auth
	method          model.Method
	privacy, legacy bool
	params          []model.Parameter
}

func demoBody(key, typ string) model.Parameter {
	return model.Parameter{Key: key, Type: typ, In: model.ParamInBody}
}

func demoQuery(key, typ string) model.Parameter {
	return model.Parameter{Key: key, Type: typ, In: model.ParamInQuery}
}

// demoApp is a small invoicing app with every kind of workflow: sign-up
// flows that must stay open, user and admin endpoints, risky settings that
// review flags, values migrated from the legacy checkbox, and
// scheduled-only jobs that keep an Authentication value they do not use.
var demoApp = []demoWorkflow{
	{name: "signup", desc: "Creates an account from the landing page", public: true, auth: model.AuthNone,
		params: []model.Parameter{demoBody("email", "text"), demoBody("name", "text")}},
	{name: "login", desc: "Sends a one-time sign-in code by email", public: true, auth: model.AuthNone,
		params: []model.Parameter{demoBody("email", "text")}},
	{name: "reset-password", desc: "Emails a reset link; looks the user up by email", public: true,
		auth: model.AuthNone, privacy: true, params: []model.Parameter{demoBody("email", "text")}},
	{name: "send-invoice", desc: "Sends an invoice to the customer by email", public: true, auth: model.AuthUser,
		params: []model.Parameter{demoBody("invoice_id", "text"), {Key: "cc", Type: "text", In: model.ParamInBody, IsList: true, Optional: true}}},
	{name: "get-invoice", desc: "Returns one invoice as JSON", public: true, auth: model.AuthUser,
		params: []model.Parameter{demoQuery("invoice_id", "text")}},
	{name: "update-profile", desc: "Updates the caller's profile", public: true, auth: model.AuthUser, privacy: true,
		params: []model.Parameter{demoBody("name", "text"), {Key: "avatar", Type: "image", In: model.ParamInBody, Optional: true}}},
	{name: "recalculate-totals", desc: "Recomputes an invoice's totals after edits", public: true, legacy: true,
		params: []model.Parameter{demoBody("invoice_id", "text")}},
	{name: "stripe-webhook", desc: "Receives payment events from Stripe", public: true, auth: model.AuthNone,
		params: []model.Parameter{demoBody("secret", "text"), demoBody("event", "text")}},
	{name: "export-customers", desc: "CSV export of every customer for accounting", public: true, auth: model.AuthUser,
		method: model.MethodGET, privacy: true},
	{name: "refund-payment", desc: "Refunds a payment through Stripe", public: true, legacy: true,
		params: []model.Parameter{demoBody("payment_id", "text"), {Key: "amount", Type: "number", In: model.ParamInBody, Optional: true}}},
	{name: "nightly-cleanup", desc: "Deletes expired drafts and sessions", auth: model.AuthAdmin},
	{name: "monthly-report", desc: "Builds and emails the monthly revenue report", auth: model.AuthUser},
	{name: "sync-crm", desc: "Pushes new customers to the CRM", public: true, auth: model.AuthNone},
}

// fillDemo fills a brand-new database with the sample app: a dozen
// workflows of every kind, two API tokens, a change trail from an import,
// the CLI and the editor, and a few logged calls — enough to see every view
// of the editor working. It refuses a database that holds anything, so it
// can never mix sample data into real settings. A PostgreSQL database is
// filled the same way once `flowgate migrate` has given it the schema.
func fillDemo(ctx context.Context, s *store.Store, now time.Time) (demoSummary, error) {
	if err := checkEmpty(ctx, s); err != nil {
		return demoSummary{}, err
	}
	partly := func(err error) error {
		return fmt.Errorf("demo data partly written to %s (%v): %s and try again", s.Path(), err, startOver(s))
	}

	// 1. The import, from an export of the old app.
	err := s.InTx(ctx, store.SourceImport, func(tx *store.Tx) error {
		tx.Detail = "demo-app.bubble"
		for _, d := range demoApp {
			w := model.NewWorkflow(d.name)
			w.Description, w.Public, w.IgnorePrivacyRules = d.desc, d.public, d.privacy
			if d.auth != "" {
				w.Auth = d.auth
			}
			if d.legacy { // the old "run without authentication" box, unchecked
				w.Auth, w.AuthMigrated = model.LegacyAuth(false), true
			}
			if d.method != "" {
				w.Method = d.method
			}
			if d.params != nil {
				w.Parameters = d.params
			}
			if _, err := tx.CreateWorkflow(ctx, w); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return demoSummary{}, fmt.Errorf("demo data: %w", err)
	}

	// 2. Later fixes: on the command line, then in the editor.
	if err := demoEdit(ctx, s, store.SourceCLI, "export-customers", func(w *model.Workflow) { w.Auth = model.AuthAdmin }); err != nil {
		return demoSummary{}, partly(err)
	}
	if err := demoEdit(ctx, s, store.SourceEditor, "get-invoice", func(w *model.Workflow) { w.Method = model.MethodGET }); err != nil {
		return demoSummary{}, partly(err)
	}
	if err := demoEdit(ctx, s, store.SourceEditor, "sync-crm", func(w *model.Workflow) { w.Public = false }); err != nil {
		return demoSummary{}, partly(err)
	}
	if err := demoEdit(ctx, s, store.SourceEditor, "refund-payment", func(w *model.Workflow) {
		w.Auth, w.AuthMigrated = model.AuthAdmin, false
	}); err != nil {
		return demoSummary{}, partly(err)
	}

	// 3. Two API tokens; their secrets are not kept anywhere.
	_, admin, err := s.CreateToken(ctx, store.NewToken{Kind: model.TokenAdmin, Name: "ci-deploy"})
	if err != nil {
		return demoSummary{}, partly(err)
	}
	_, user, err := s.CreateToken(ctx, store.NewToken{Kind: model.TokenUser, Name: "mobile-app", UserID: "u_1042"})
	if err != nil {
		return demoSummary{}, partly(err)
	}

	// 4. Some traffic, decided by the same rule the checker uses.
	calls, err := demoCalls(ctx, s, now, admin, user)
	if err != nil {
		return demoSummary{}, partly(err)
	}
	if err := s.RecordCalls(ctx, calls); err != nil {
		return demoSummary{}, partly(err)
	}
	return demoSummary{Workflows: len(demoApp), Tokens: 2, Calls: len(calls)}, nil
}

// checkEmpty refuses a database with any workflow, token, change or call.
func checkEmpty(ctx context.Context, s *store.Store) error {
	ws, err := s.ListWorkflows(ctx)
	if err != nil {
		return err
	}
	toks, err := s.ListTokens(ctx)
	if err != nil {
		return err
	}
	changes, err := s.History(ctx, "")
	if err != nil {
		return err
	}
	calls, err := s.ListCalls(ctx, store.CallFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(ws)+len(toks)+len(changes)+len(calls) > 0 {
		return fmt.Errorf("%s is not a new database (%d workflows, %d tokens): the demo only fills an empty one; "+
			"give another %s with --db", s.Path(), len(ws), len(toks), pick(s.Backend() == store.BackendPostgres, "database", "path"))
	}
	return nil
}

// startOver says how to get an empty database again after a failed demo.
func startOver(s *store.Store) string {
	if s.Backend() == store.BackendPostgres {
		return "drop and re-create the database, run `flowgate migrate --db URL`"
	}
	return "delete the file"
}

func demoEdit(ctx context.Context, s *store.Store, src store.Source, name string, change func(*model.Workflow)) error {
	w, err := s.GetWorkflow(ctx, name)
	if err != nil {
		return err
	}
	change(&w)
	_, err = s.UpdateWorkflow(ctx, w, src)
	return err
}

// demoCalls makes a plausible last hour of traffic.
func demoCalls(ctx context.Context, s *store.Store, now time.Time, admin, user store.Token) ([]store.Call, error) {
	type call struct {
		ago      time.Duration
		workflow string
		tok      *store.Token
		method   string
		from     string
	}
	plan := []call{
		{58 * time.Minute, "signup", nil, "POST", "203.0.113.7"},
		{51 * time.Minute, "login", nil, "POST", "203.0.113.7"},
		{47 * time.Minute, "send-invoice", &user, "POST", "198.51.100.23"},
		{44 * time.Minute, "send-invoice", nil, "POST", "192.0.2.99"},
		{39 * time.Minute, "export-customers", &user, "GET", "198.51.100.23"},
		{33 * time.Minute, "export-customers", &admin, "GET", "10.0.4.12"},
		{25 * time.Minute, "get-invoice", &user, "POST", "198.51.100.23"},
		{21 * time.Minute, "get-invoice", &user, "GET", "198.51.100.23"},
		{14 * time.Minute, "nightly-cleanup", nil, "POST", "192.0.2.99"},
		{9 * time.Minute, "refund-payment", &admin, "POST", "10.0.4.12"},
		{4 * time.Minute, "stripe-webhook", nil, "POST", "54.187.174.169"},
		{1 * time.Minute, "update-profile", &user, "POST", "198.51.100.23"},
	}
	out := make([]store.Call, 0, len(plan))
	for _, p := range plan {
		w, err := s.GetWorkflow(ctx, p.workflow)
		if err != nil {
			return nil, err
		}
		cred := model.Credential{Kind: model.CredentialNone}
		tokID := ""
		if p.tok != nil {
			cred.Kind, tokID = p.tok.Kind.Credential(), p.tok.ID
		}
		d := model.Decide(&w, cred, p.method)
		out = append(out, store.Call{At: now.Add(-p.ago), Workflow: p.workflow, TokenID: tokID,
			Status: d.Status, Code: d.Code, RemoteAddr: p.from})
	}
	return out, nil
}
