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

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke API tokens",
		Args:  noArgs,
	}
	cmd.AddCommand(newTokenCreateCmd(), newTokenListCmd(), newTokenRevokeCmd())
	return cmd
}

func newTokenCreateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create (--admin | --user USER_ID) --name NAME [--expires DURATION]",
		Short: "Create a token and print its secret, once",
		Long: "Create an API token. The secret is printed once and then only its SHA-256 hash is kept:\n" +
			"store it now. --expires takes a Go duration (90m, 12h) or days (30d).",
		Args: noArgs,
		RunE: runTokenCreate,
	}
	cmd.Flags().Bool("admin", false, "an admin token (may call Admin only workflows)")
	cmd.Flags().String("user", "", "a user token acting as this user id")
	cmd.Flags().String("name", "", "who or what uses the token (required)")
	cmd.Flags().String("expires", "", "lifetime, such as 30d or 12h (default: never expires)")
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
	if s, _ := cmd.Flags().GetString("expires"); s != "" {
		d, err := model.ParseTokenLifetime(s)
		if err != nil {
			return fail(2, "--expires: %v", err)
		}
		at := time.Now().Add(d).UTC()
		nt.ExpiresAt = &at
	}
	s, err := createStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	secret, tok, err := s.CreateToken(cmd.Context(), nt)
	if err != nil {
		return fail(2, "%v", err)
	}
	out := cmd.OutOrStdout()
	if quiet, _ := cmd.Flags().GetBool("quiet"); quiet {
		fmt.Fprintln(out, secret)
		return nil
	}
	fmt.Fprintf(out, "token:   %s\nid:      %s\nprefix:  %s\nkind:    %s\n", secret, tok.ID, tok.Prefix, tok.Kind)
	if tok.UserID != "" {
		fmt.Fprintf(out, "user:    %s\n", tok.UserID)
	}
	fmt.Fprintf(out, "expires: %s\n", timeOrDash(tok.ExpiresAt, "never"))
	fmt.Fprintln(out, "This is the only time the token is shown: store it now (flowgate keeps only its hash).")
	return nil
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
			list = append(list, tokenJSON{t.ID, t.Name, string(t.Kind), t.UserID, t.Prefix, t.CreatedAt,
				t.ExpiresAt, t.LastUsedAt, t.RevokedAt})
		}
		return writeJSON(out, list)
	}
	if len(toks) == 0 {
		fmt.Fprintln(out, "No tokens yet: create one with `flowgate token create --admin --name NAME`.")
		return nil
	}
	now := time.Now()
	tw := newTable(out)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tUSER\tPREFIX\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
	for _, t := range toks {
		expires := timeOrDash(t.ExpiresAt, "never")
		// The EXPIRES column says whether the expiry has passed, revoked
		// or not (REVOKED says that), so revocation is not asked here.
		if model.TokenStatus(t.ExpiresAt, nil, now) == model.TokenExpired {
			expires += " (expired)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s…\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Kind, orDash(t.UserID), t.Prefix,
			t.CreatedAt.Format(listTime), expires, timeOrDash(t.LastUsedAt, "never"), timeOrDash(t.RevokedAt, "—"))
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
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fail(2, "expected one token id, got %d arguments (usage: %s)", len(args), cmd.UseLine())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if looksLikeSecret(args[0]) {
				// Never echo a secret into an error message or a terminal log.
				return fail(2, "that is a token secret, not a token id: use the id (tok_...) shown by `flowgate token list`")
			}
			s, err := openExistingStore(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.RevokeToken(cmd.Context(), args[0]); errors.Is(err, store.ErrNotFound) {
				return fail(2, "no token with id %q (see `flowgate token list`)", args[0])
			} else if err != nil {
				return dbError(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "revoked %s\n", args[0])
			return nil
		},
	}
}

// looksLikeSecret spots a pasted token where an id was expected.
func looksLikeSecret(s string) bool {
	return strings.HasPrefix(s, model.TokenPrefixAdmin) || strings.HasPrefix(s, model.TokenPrefixUser)
}
