package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newTokenScopeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scope ID [--workflows P,...] [--files P,...]",
		Short: "Change what a token may reach (only the lists given)",
		Long: "Replace a token's workflow patterns, file patterns or both; a list not given is kept.\n" +
			"An empty value (--files '') is the empty list: nothing. Running checkers apply the new\n" +
			"scope within a second; the change is recorded in the change trail.",
		Args: oneTokenID,
		RunE: runTokenScope,
	}
	addScopeFlags(cmd, "", "")
	return cmd
}

// addScopeFlags adds --workflows and --files, with the defaults shown in
// the help ("" hides a default).
func addScopeFlags(cmd *cobra.Command, workflows, files string) {
	cmd.Flags().String("workflows", workflows, "workflow name patterns it may call, comma-separated (such as send-*,report)")
	cmd.Flags().String("files", files, "file path patterns it may read, comma-separated (such as /fileupload/invoices/)")
}

// readScopeFlags replaces the lists of scope whose flag was given, parsed
// by the model's rules; bad patterns are exit 2 naming the flag.
func readScopeFlags(cmd *cobra.Command, scope *model.Scope) error {
	for _, f := range []struct {
		flag  string
		parse func(string) ([]string, error)
		dst   *[]string
	}{{"workflows", model.ParseWorkflowPatterns, &scope.Workflows}, {"files", model.ParseFilePatterns, &scope.Files}} {
		if !cmd.Flags().Changed(f.flag) {
			continue
		}
		text, _ := cmd.Flags().GetString(f.flag)
		patterns, err := f.parse(text)
		if err != nil {
			return fail(2, "--%s: %v", f.flag, err)
		}
		*f.dst = patterns
	}
	return nil
}

// warnAboutScope prints one stderr line per pattern that reaches nothing
// today: a workflow pattern matching no workflow (it may come later) and a
// file pattern under no protected prefix (flowgate never checks such
// paths). Both are allowed; a typo would otherwise silently grant nothing.
// A failure to read the lists only loses the warnings.
func warnAboutScope(cmd *cobra.Command, s *store.Store, scope model.Scope) {
	ws, err := s.ListWorkflows(cmd.Context())
	if err != nil {
		return
	}
	prefixes, err := s.ListPrefixes(cmd.Context())
	if err != nil {
		return
	}
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.Name
	}
	paths := make([]string, len(prefixes))
	for i, p := range prefixes {
		paths[i] = p.Prefix
	}
	errOut := cmd.ErrOrStderr()
	for _, p := range scope.UnmatchedWorkflowPatterns(names) {
		fmt.Fprintf(errOut, "flowgate: warning: workflow pattern %q matches no workflow today (kept: check for a typo)\n", p)
	}
	for _, p := range scope.FilePatternsOutside(paths) {
		fmt.Fprintf(errOut, "flowgate: warning: file pattern %q is under no protected prefix, so it grants nothing (add one with `flowgate files add PREFIX`)\n", p)
	}
}

func runTokenScope(cmd *cobra.Command, args []string) error {
	if !cmd.Flags().Changed("workflows") && !cmd.Flags().Changed("files") {
		return fail(2, "say what to change: --workflows, --files or both (usage: %s)", cmd.UseLine())
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	old, err := findToken(cmd, s, args[0])
	if err != nil {
		return err
	}
	scope := old.Scope
	if err := readScopeFlags(cmd, &scope); err != nil {
		return err
	}
	tok, err := s.SetTokenScope(cmd.Context(), old.ID, scope)
	if err != nil {
		return tokenError(err, old.ID)
	}
	warnAboutScope(cmd, s, tok.Scope)
	verb := "scope of " + tok.ID + " is now"
	if patternList(old.Scope.Workflows) == patternList(tok.Scope.Workflows) && patternList(old.Scope.Files) == patternList(tok.Scope.Files) {
		verb = "scope of " + tok.ID + " unchanged:"
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s workflows %s; files %s\n", verb, patternList(tok.Scope.Workflows), patternList(tok.Scope.Files))
	return nil
}

// findToken reads one token by id, or fails with exit 2 saying there is none.
func findToken(cmd *cobra.Command, s *store.Store, id string) (store.Token, error) {
	toks, err := s.ListTokens(cmd.Context())
	if err != nil {
		return store.Token{}, dbError(err)
	}
	for _, t := range toks {
		if t.ID == id {
			return t, nil
		}
	}
	return store.Token{}, fail(2, "no token with id %q (see `flowgate token list`)", id)
}

// tokenError turns a store error about one token into exit 2 with a
// one-line message.
func tokenError(err error, id string) error {
	if errors.Is(err, store.ErrNotFound) {
		return fail(2, "no token with id %q (see `flowgate token list`)", id)
	}
	return dbError(err)
}

func newTokenRotateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rotate ID [--overlap DURATION]",
		Short: "Give a token a new secret; the old one keeps working for the overlap",
		Long: "Print a new secret for the same token (same id, name, kind, user, scope and expiry), once.\n" +
			"The old secret keeps working until the overlap ends (default 24h; 0 stops it at once),\n" +
			"so callers can switch without downtime.",
		Args: oneTokenID,
		RunE: runTokenRotate,
	}
	cmd.Flags().String("overlap", "24h", "how long the old secret keeps working: 0, or such as 12h or 2d")
	cmd.Flags().Bool("quiet", false, "print only the new secret, on one line")
	return cmd
}

func runTokenRotate(cmd *cobra.Command, args []string) error {
	text, _ := cmd.Flags().GetString("overlap")
	var overlap time.Duration
	if text != "0" {
		d, err := model.ParseTokenLifetime(text)
		if err != nil {
			return fail(2, "--overlap: %v (or 0 to stop the old secret at once)", err)
		}
		if d > store.MaxRotationOverlap {
			return fail(2, "--overlap: %s is longer than the 30d an old secret may keep working", text)
		}
		overlap = d
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	secret, tok, err := s.RotateToken(cmd.Context(), args[0], overlap)
	if err != nil {
		return tokenError(err, args[0])
	}
	out := cmd.OutOrStdout()
	if quiet, _ := cmd.Flags().GetBool("quiet"); quiet {
		fmt.Fprintln(out, secret)
		return nil
	}
	printSecret(out, secret, tok)
	if tok.PreviousUntil != nil {
		fmt.Fprintf(out, "old secret: works until %s\n", timeOrDash(tok.PreviousUntil, ""))
	} else {
		fmt.Fprintln(out, "old secret: stopped working now")
	}
	fmt.Fprintln(out, "This is the only time the new token is shown: store it now (flowgate keeps only its hash).")
	return nil
}

// patternList shows a pattern list as the flags take it, or "none".
func patternList(ps []string) string {
	if len(ps) == 0 {
		return "none"
	}
	return strings.Join(ps, ",")
}

// compactScope is a token's scope in one listing cell: the first patterns
// of each list and how many more there are.
func compactScope(s model.Scope) string {
	return "wf:" + firstPatterns(s.Workflows) + " files:" + firstPatterns(s.Files)
}

// firstPatterns shows at most three patterns, then "+N".
func firstPatterns(ps []string) string {
	const shown = 3
	if len(ps) <= shown {
		return patternList(ps)
	}
	return fmt.Sprintf("%s,+%d", strings.Join(ps[:shown], ","), len(ps)-shown)
}

// nonNil makes a nil list an empty one, so JSON shows [] rather than null.
func nonNil(ps []string) []string {
	if ps == nil {
		return []string{}
	}
	return ps
}
