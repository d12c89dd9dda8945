package main

import (
	"github.com/spf13/cobra"

	"flowgate/model"
)

// addSettingFlags declares the flags that `add` and `set` share, so both
// commands spell and validate a setting the same way. They have no
// defaults: only the flags given change anything (`add` starts from
// model.NewWorkflow, and shows its defaults with showNewWorkflowDefaults).
func addSettingFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Bool("public", false, "expose as a public API workflow")
	f.Bool("private", false, "not public: scheduled-only, never callable over HTTP (the auth is kept)")
	f.String("auth", "", "authentication when public: none, user or admin")
	f.String("method", "", "HTTP method: POST or GET")
	f.Bool("ignore-privacy-rules", false, "run with privacy rules ignored")
	f.String("description", "", "what the workflow does")
}

// showNewWorkflowDefaults makes the help of a creating command show the
// settings a new workflow gets when a flag is not given.
func showNewWorkflowDefaults(cmd *cobra.Command) {
	w := model.NewWorkflow("x")
	cmd.Flags().Lookup("auth").DefValue = string(w.Auth)
	cmd.Flags().Lookup("method").DefValue = string(w.Method)
}

// applySettingFlags copies the flags the user actually gave onto w and
// reports whether any was given. Values are validated before anything is
// written. Giving --auth confirms the choice, so a migrated mark is cleared.
func applySettingFlags(cmd *cobra.Command, w *model.Workflow) (bool, error) {
	f := cmd.Flags()
	given := false
	var err error
	if f.Changed("public") && f.Changed("private") {
		return false, fail(2, "--public and --private exclude each other")
	}
	if f.Changed("public") {
		given = true
		w.Public, _ = f.GetBool("public")
	}
	if f.Changed("private") {
		given = true
		private, _ := f.GetBool("private")
		w.Public = !private
	}
	if f.Changed("auth") {
		given = true
		v, _ := f.GetString("auth")
		if w.Auth, err = model.ParseAuth(v); err != nil {
			return false, fail(2, "--auth: %v", err)
		}
		w.AuthMigrated = false
	}
	if f.Changed("method") {
		given = true
		v, _ := f.GetString("method")
		if w.Method, err = model.ParseMethod(v); err != nil {
			return false, fail(2, "--method: %v", err)
		}
	}
	if f.Changed("ignore-privacy-rules") {
		given = true
		w.IgnorePrivacyRules, _ = f.GetBool("ignore-privacy-rules")
	}
	if f.Changed("description") {
		given = true
		w.Description, _ = f.GetString("description")
	}
	return given, nil
}

// describe is the one-line summary printed after a change.
func describe(w model.Workflow) string {
	s := w.Name + ": " + string(model.ExposureOf(w))
	if w.Public {
		s += ", auth " + string(w.Auth)
	} else {
		s += " (auth " + string(w.Auth) + " kept, no effect while not public)"
	}
	s += ", " + string(w.Method)
	if w.IgnorePrivacyRules {
		s += ", ignores privacy rules"
	}
	return s
}
