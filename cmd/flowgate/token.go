package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, scope, rotate, list and revoke API tokens",
		Args:  noArgs,
	}
	cmd.AddCommand(newTokenCreateCmd(), newTokenScopeCmd(), newTokenRotateCmd(), newTokenListCmd(), newTokenRevokeCmd())
	return cmd
}

func newTokenCreateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create (--admin | --user USER_ID) --name NAME [--workflows P,...] [--files P,...] [--expires DURATION]",
		Short: "Create a token and print its secret, once",
		Long: "Create an API token. The secret is printed once and then only its SHA-256 hash is kept:\n" +
			"store it now. --expires takes a Go duration (90m, 12h) or days (30d).\n" +
			"The scope says what the token may reach: --workflows (default *: every workflow its kind\n" +
			"allows) and --files (default none), comma-separated patterns.",
		Args: noArgs,
		RunE: runTokenCreate,
	}
	cmd.Flags().Bool("admin", false, "an admin token (may call Admin only workflows)")
	cmd.Flags().String("user", "", "a user token acting as this user id")
	cmd.Flags().String("name", "", "who or what uses the token (required)")
	cmd.Flags().String("expires", "", "lifetime, such as 30d or 12h (default: never expires)")
	addScopeFlags(cmd, "*", "")
	cmd.Flags().Bool("quiet", false, "print only the secret, on one line")
	return cmd
}

func runTokenCreate(cmd *cobra.Command, _ []string) error {
	admin, _ := cmd.Flags().GetBool("admin")
	nt := store.NewToken{Kind: model.TokenUser}
	nt.UserID, _ = cmd.Flags().GetString("user")
	nt.Name, _ = cmd.Flags().GetString("name")
	switch userSet := cmd.Flags().Changed("user"); {
	case admin && userSet:
		return fail(2, "--admin and --user exclude each other: a token is either an admin token or a user's")
	case !admin && !userSet:
		return fail(2, "say what kind of token: --admin, or --user USER_ID")
	case admin:
		nt.Kind = model.TokenAdmin
	case nt.UserID == "":
		return fail(2, "--user: the user id is empty")
	}
	if nt.Name == "" {
		return fail(2, "--name is required: say who or what uses the token")
	}
	var err error
	if nt.ExpiresAt, err = expiresFlag(cmd); err != nil {
		return err
	}
	scope := model.DefaultScope()
	if err := readScopeFlags(cmd, &scope); err != nil {
		return err
	}
	nt.Scope = &scope
	s, err := createStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	secret, tok, err := s.CreateToken(cmd.Context(), nt)
	if err != nil {
		return fail(2, "%v", err)
	}
	warnAboutScope(cmd, s, tok.Scope)
	out := cmd.OutOrStdout()
	if quiet, _ := cmd.Flags().GetBool("quiet"); quiet {
		fmt.Fprintln(out, secret)
		return nil
	}
	printSecret(out, secret, tok)
	fmt.Fprintf(out, "expires:   %s\n", timeOrDash(tok.ExpiresAt, "never"))
	fmt.Fprintln(out, "This is the only time the token is shown: store it now (flowgate keeps only its hash).")
	return nil
}

// printSecret prints a token's new secret with what identifies the token
// and what it may reach, as create and rotate show them.
func printSecret(out io.Writer, secret string, tok store.Token) {
	fmt.Fprintf(out, "token:     %s\nid:        %s\nprefix:    %s\nkind:      %s\n", secret, tok.ID, tok.Prefix, tok.Kind)
	if tok.UserID != "" {
		fmt.Fprintf(out, "user:      %s\n", tok.UserID)
	}
	fmt.Fprintf(out, "workflows: %s\nfiles:     %s\n", patternList(tok.Scope.Workflows), patternList(tok.Scope.Files))
}

func newTokenListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List tokens, revoked and expired ones included",
		Args:  noArgs,
		RunE:  runTokenList,
	}
	cmd.Flags().Bool("json", false, "print a JSON array")
	return cmd
}

// tokenJSON is a token in `token list --json`; its keys are a contract.
type tokenJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	User       string     `json:"user"`
	Prefix     string     `json:"prefix"`
	Workflows  []string   `json:"workflows"`
	Files      []string   `json:"files"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func runTokenList(cmd *cobra.Command, _ []string) error {
	toks, err := readList(cmd, (*store.Store).ListTokens)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		list := make([]tokenJSON, 0, len(toks))
		for _, t := range toks {
			list = append(list, tokenJSON{t.ID, t.Name, string(t.Kind), t.UserID, t.Prefix,
				nonNil(t.Scope.Workflows), nonNil(t.Scope.Files), t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt})
		}
		return writeJSON(out, list)
	}
	if len(toks) == 0 {
		fmt.Fprintln(out, "No tokens yet: create one with `flowgate token create --admin --name NAME`.")
		return nil
	}
	now := time.Now()
	tw := newTable(out)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tUSER\tPREFIX\tSCOPE\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
	for _, t := range toks {
		expires := timeOrDash(t.ExpiresAt, "never")
		// The EXPIRES column says whether the expiry has passed, revoked
		// or not (REVOKED says that), so revocation is not asked here.
		if model.TokenStatus(t.ExpiresAt, nil, now) == model.TokenExpired {
			expires += " (expired)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s…\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Kind, orDash(t.UserID), t.Prefix,
			compactScope(t.Scope), t.CreatedAt.Format(listTime), expires, timeOrDash(t.LastUsedAt, "never"), timeOrDash(t.RevokedAt, "—"))
	}
	return tw.Flush()
}

// listTime is how token and call listings show times (always UTC).
const listTime = "2006-01-02 15:04:05Z"

// timeOrDash formats an optional time, with none for nil.
func timeOrDash(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.UTC().Format(listTime)
}

func newTokenRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token: running checkers refuse it within a second",
		Args:  oneTokenID,
		RunE:  runRevoke("token", (*store.Store).RevokeToken),
	}
}

// runRevoke is the RunE of `token revoke` and `link revoke`: it revokes
// the id in args[0] of a what (token or link) with revoke and reports it.
func runRevoke(what string, revoke func(*store.Store, context.Context, string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, err := openExistingStore(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		return reportRevoke(cmd, revoke(s, cmd.Context(), args[0]), what, args[0])
	}
}

// reportRevoke says what a revocation of a token or link (what) did: a
// revocation of something already revoked says so and succeeds, since what
// was asked for holds; an unknown id is exit 2.
func reportRevoke(cmd *cobra.Command, err error, what, id string) error {
	switch {
	case errors.Is(err, store.ErrAlreadyRevoked):
		fmt.Fprintf(cmd.OutOrStdout(), "already revoked: %s; nothing changed\n", withoutSentinel(err, store.ErrAlreadyRevoked))
		return nil
	case errors.Is(err, store.ErrNotFound):
		return fail(2, "no %s with id %q (see `flowgate %s list`)", what, id, what)
	case err != nil:
		return dbError(err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "revoked %s\n", id)
	return nil
}

// withoutSentinel is err's message without the ": already revoked" (or
// other sentinel) the store wraps it with for errors.Is, which would only
// repeat what the message says.
func withoutSentinel(err, sentinel error) string {
	return strings.TrimSuffix(err.Error(), ": "+sentinel.Error())
}

// oneTokenID checks the ID argument of the commands that act on one token.
func oneTokenID(cmd *cobra.Command, args []string) error {
	return oneID(cmd, args, "token", "tok_")
}

// oneID checks the ID argument of a command that acts on one token or link
// (what), refusing a pasted secret without echoing it into an error message
// or a terminal log.
func oneID(cmd *cobra.Command, args []string, what, idPrefix string) error {
	if len(args) != 1 {
		return fail(2, "expected one %s id, got %d arguments (usage: %s)", what, len(args), cmd.UseLine())
	}
	if looksLikeSecret(args[0]) {
		return fail(2, "that is a secret, not a %s id: use the id (%s...) shown by `flowgate %s list`", what, idPrefix, what)
	}
	return nil
}

// looksLikeSecret spots a pasted token or share link where an id was
// expected.
func looksLikeSecret(s string) bool {
	for _, p := range []string{model.TokenPrefixAdmin, model.TokenPrefixUser, model.LinkPrefix} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// expiresFlag reads an optional --expires lifetime (12h, 30d) as the UTC
// time it ends from now, or nil when the flag is not given: the one
// reading shared by `token create` and `review waive`.
func expiresFlag(cmd *cobra.Command) (*time.Time, error) {
	text, _ := cmd.Flags().GetString("expires")
	if text == "" {
		return nil, nil
	}
	d, err := model.ParseTokenLifetime(text)
	if err != nil {
		return nil, fail(2, "--expires: %v", err)
	}
	at := time.Now().Add(d).UTC()
	return &at, nil
}
