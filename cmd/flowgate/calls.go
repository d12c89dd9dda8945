package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newCallsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "calls [--workflow NAME] [--token ID] [--link ID] [--since 1h] [--limit N] [--json]",
		Short: "Show the call log: per minute, which token called which workflow, how often, and what it got",
		Long: "Show the call log, newest first. `flowgate serve` counts calls per minute and key: the\n" +
			"workflow (or protected file prefix; '-' for a name that is no workflow), the token or\n" +
			"share link, the status and code sent, and the entry point. Each line is one such count,\n" +
			"with the last caller's address. Per-call detail is in the access log.",
		Args: noArgs,
		RunE: runCalls,
	}
	cmd.Flags().String("workflow", "", "only calls to this workflow (ignoring case) or file prefix")
	cmd.Flags().String("token", "", "only calls made with this token id (or share link id, lnk_..., as the TOKEN column shows it)")
	cmd.Flags().String("link", "", "only calls made with this share link id (lnk_...)")
	cmd.Flags().String("since", "", "only the minutes of this last while, such as 1h or 7d")
	cmd.Flags().Int("limit", 100, "show at most this many counts, newest first (0: all)")
	cmd.Flags().Bool("json", false, "print a JSON array")
	return cmd
}

// callJSON is one count in `calls --json`. Its first six keys are the
// contract of the per-call log it replaced (time is now the minute,
// remote_addr the last caller of that minute); the rest were added with
// the counts. README.md documents them.
type callJSON struct {
	Time       time.Time `json:"time"`
	Workflow   string    `json:"workflow"`
	TokenID    string    `json:"token_id"`
	Status     int       `json:"status"`
	Code       string    `json:"code"`
	RemoteAddr string    `json:"remote_addr"`
	Count      int64     `json:"count"`
	FirstAt    time.Time `json:"first_at"`
	LastAt     time.Time `json:"last_at"`
	Via        string    `json:"via"`
	TokenName  string    `json:"token_name"`
	LinkID     string    `json:"link_id"`
}

// minuteTime shows the minute a count covers.
const minuteTime = "2006-01-02 15:04Z"

func runCalls(cmd *cobra.Command, _ []string) error {
	f, err := readCallFilter(cmd)
	if err != nil {
		return err
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	calls, err := s.ListCalls(cmd.Context(), f)
	if err != nil {
		return dbError(err)
	}
	tokens, err := s.ListTokens(cmd.Context())
	if err != nil {
		return dbError(err)
	}
	names := make(map[string]string, len(tokens))
	for _, t := range tokens {
		names[t.ID] = t.Name
	}
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		list := make([]callJSON, 0, len(calls))
		for _, c := range calls {
			list = append(list, callJSON{Time: c.At, Workflow: c.Workflow, TokenID: c.TokenID, Status: c.Status,
				Code: c.Code, RemoteAddr: c.RemoteAddr, Count: c.Count, FirstAt: c.FirstAt, LastAt: c.LastAt,
				Via: c.Via, TokenName: names[c.TokenID], LinkID: c.LinkID})
		}
		return writeJSON(out, list)
	}
	if len(calls) == 0 {
		return sayNoCalls(cmd, s, f)
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "MINUTE\tWORKFLOW\tTOKEN\tNAME\tVIA\tSTATUS\tCODE\tCOUNT\tLAST FROM")
	for _, c := range calls {
		who := c.TokenID
		if c.LinkID != "" {
			who = c.LinkID
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\n", c.At.UTC().Format(minuteTime), orDash(c.Workflow), orDash(who),
			orDash(names[c.TokenID]), orDash(c.Via), c.Status, orDash(c.Code), c.Count, orDash(c.RemoteAddr))
	}
	return tw.Flush()
}

// readCallFilter reads and checks the flags of `calls`.
func readCallFilter(cmd *cobra.Command) (store.CallFilter, error) {
	var f store.CallFilter
	f.Workflow, _ = cmd.Flags().GetString("workflow")
	f.TokenID, _ = cmd.Flags().GetString("token")
	f.LinkID, _ = cmd.Flags().GetString("link")
	f.Limit, _ = cmd.Flags().GetInt("limit")
	if f.Limit < 0 {
		return f, fail(2, "--limit: %d is negative: use 0 for all calls", f.Limit)
	}
	if looksLikeSecret(f.TokenID) {
		return f, fail(2, "--token takes a token id (tok_...), not the secret: see `flowgate token list`")
	}
	if looksLikeSecret(f.LinkID) {
		return f, fail(2, "--link takes a share link id (lnk_...), not the secret: see `flowgate link list`")
	}
	if f.LinkID != "" && !strings.HasPrefix(f.LinkID, model.LinkIDPrefix) {
		return f, fail(2, "--link: %q is no share link id (lnk_...): see `flowgate link list`", f.LinkID)
	}
	// The TOKEN column shows a share link's id for calls made with one, so
	// --token accepts what it shows.
	if strings.HasPrefix(f.TokenID, model.LinkIDPrefix) {
		if f.LinkID != "" && f.LinkID != f.TokenID {
			return f, fail(2, "--token %s and --link %s name two share links: give one", f.TokenID, f.LinkID)
		}
		f.LinkID, f.TokenID = f.TokenID, ""
	}
	if since, _ := cmd.Flags().GetString("since"); since != "" {
		d, err := parseAge("--since", since)
		if err != nil {
			return f, err
		}
		f.Since = time.Now().Add(-d)
	}
	return f, nil
}

// sayNoCalls explains an empty table: nothing logged at all, or nothing
// matching the filter f although calls are logged.
func sayNoCalls(cmd *cobra.Command, s *store.Store, f store.CallFilter) error {
	out := cmd.OutOrStdout()
	var filter []string
	for _, name := range []string{"workflow", "token", "link", "since"} {
		if v, _ := cmd.Flags().GetString(name); v != "" {
			filter = append(filter, "--"+name+" "+v)
		}
	}
	if len(filter) > 0 {
		logged, err := s.ListCalls(cmd.Context(), store.CallFilter{Limit: 1})
		if err != nil {
			return dbError(err)
		}
		if len(logged) > 0 {
			fmt.Fprintf(out, "No calls match %s: `flowgate calls` without it lists every call logged.\n", strings.Join(filter, " "))
			return nil
		}
	}
	fmt.Fprintln(out, "No calls logged (yet): `flowgate serve` counts every call it decides.")
	return nil
}

// parseAge reads a positive span of time given to flag: a Go duration (90m,
// 12h) or a whole number of days (30d), as token lifetimes are written.
func parseAge(flag, value string) (time.Duration, error) {
	d, err := model.ParseTokenLifetime(value)
	if err != nil {
		return 0, fail(2, "%s: invalid duration %q: use a positive number of hours such as 12h or days such as 30d", flag, value)
	}
	return d, nil
}
