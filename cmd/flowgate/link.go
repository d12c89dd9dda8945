package main

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newLinkCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "link",
		Short: "Share one private file through an expiring link: create, list and revoke",
		Long: "A share link opens exactly one file under a protected prefix, for GET and HEAD, until it\n" +
			"expires (at most 7d) or is revoked. Hand it to an outside service instead of a token.",
		Args: noArgs,
	}
	cmd.AddCommand(newLinkCreateCmd(), newLinkListCmd(), newLinkRevokeCmd())
	return cmd
}

func newLinkCreateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create PATH [--expires DURATION] [--name NAME] [--base-url URL]",
		Short: "Create a share link for one file and print its URL, once",
		Long: "Create a share link for PATH (a file under a protected prefix). The URL is printed once\n" +
			"and then only the secret's SHA-256 is kept: hand it over now. --expires takes 90m, 12h\n" +
			"or days (default 1h, at most 7d).",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fail(2, "expected one file path, got %d arguments (usage: %s)", len(args), cmd.UseLine())
			}
			return nil
		},
		RunE: runLinkCreate,
	}
	cmd.Flags().String("expires", "1h", "lifetime, such as 30m, 12h or 2d (at most 7d)")
	cmd.Flags().String("name", "", "who or what the link is for")
	cmd.Flags().String("base-url", "", "the app's address to put before the path, such as https://app.example.com")
	cmd.Flags().Bool("quiet", false, "print only the URL, on one line")
	return cmd
}

func runLinkCreate(cmd *cobra.Command, args []string) error {
	text, _ := cmd.Flags().GetString("expires")
	lifetime, err := model.ParseLinkLifetime(text)
	if err != nil {
		return fail(2, "--expires: %v", err)
	}
	base, _ := cmd.Flags().GetString("base-url")
	if base, err = linkBase(base); err != nil {
		return err
	}
	nl := store.NewLink{Path: args[0], ExpiresAt: time.Now().Add(lifetime)}
	nl.Name, _ = cmd.Flags().GetString("name")
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	secret, l, err := s.CreateLink(cmd.Context(), nl)
	if err != nil {
		return dbError(err)
	}
	link := base + (&url.URL{Path: l.Path}).EscapedPath() + "?fg_link=" + secret
	out := cmd.OutOrStdout()
	if quiet, _ := cmd.Flags().GetBool("quiet"); quiet {
		fmt.Fprintln(out, link)
		return nil
	}
	fmt.Fprintf(out, "url:     %s\nid:      %s\npath:    %s\nexpires: %s\n", link, l.ID, l.Path, timeOrDash(&l.ExpiresAt, ""))
	fmt.Fprintln(out, "This is the only time the link is shown: hand it over now (flowgate keeps only its hash).")
	return nil
}

// linkBase checks --base-url and returns it without a trailing '/': an
// http or https address of scheme and host only. A path, query, fragment
// or user name would change what the link opens or leak with it.
func linkBase(base string) (string, error) {
	if base == "" {
		return "", nil
	}
	u, err := url.Parse(base)
	bad := func(why string) error {
		return fail(2, "--base-url: invalid URL %q: %s (use scheme and host only, such as https://app.example.com)", base, why)
	}
	switch {
	case err != nil:
		return "", bad("it does not parse")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", bad("it is not http or https")
	case u.Host == "":
		return "", bad("it has no host")
	case u.User != nil:
		return "", bad("it has a user name")
	case u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(base, "#"):
		return "", bad("it has a path, query or fragment")
	}
	return u.Scheme + "://" + u.Host, nil
}

func newLinkListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List share links, expired and revoked ones included",
		Args:  noArgs,
		RunE:  runLinkList,
	}
	cmd.Flags().Bool("json", false, "print a JSON array")
	return cmd
}

// linkJSON is a link in `link list --json`; its keys are a contract.
type linkJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Path       string     `json:"path"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func runLinkList(cmd *cobra.Command, _ []string) error {
	links, err := readList(cmd, (*store.Store).ListLinks)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		list := make([]linkJSON, 0, len(links))
		for _, l := range links {
			list = append(list, linkJSON{l.ID, l.Name, l.Path, l.CreatedAt.UTC(), l.ExpiresAt.UTC(),
				utcOrNil(l.LastUsedAt), utcOrNil(l.RevokedAt)})
		}
		return writeJSON(out, list)
	}
	if len(links) == 0 {
		fmt.Fprintln(out, "No share links yet: create one with `flowgate link create PATH`.")
		return nil
	}
	now := time.Now()
	tw := newTable(out)
	fmt.Fprintln(tw, "ID\tNAME\tPATH\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
	for _, l := range links {
		expires := timeOrDash(&l.ExpiresAt, "")
		if model.TokenStatus(&l.ExpiresAt, nil, now) == model.TokenExpired {
			expires += " (expired)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.ID, orDash(l.Name), l.Path, l.CreatedAt.UTC().Format(listTime),
			expires, timeOrDash(l.LastUsedAt, "never"), timeOrDash(l.RevokedAt, "—"))
	}
	return tw.Flush()
}

func newLinkRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a share link: running checkers refuse it within a second",
		Args:  func(cmd *cobra.Command, args []string) error { return oneID(cmd, args, "link", "lnk_") },
		RunE:  runRevoke("link", (*store.Store).RevokeLink),
	}
}
