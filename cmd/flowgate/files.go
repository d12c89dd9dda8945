package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"flowgate/store"
)

func newFilesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "files",
		Short: "Protect private files: add, list and remove protected path prefixes",
		Long: "Requests for paths under a protected prefix (such as /fileupload/) are private files:\n" +
			"read only with a token whose --files scope matches, or with a share link (`flowgate link`).",
		Args: noArgs,
	}
	cmd.AddCommand(newFilesAddCmd(), newFilesListCmd(), newFilesRmCmd())
	return cmd
}

// onePrefix checks the PREFIX argument of files add and files rm.
func onePrefix(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return fail(2, "expected one prefix, got %d arguments (usage: %s)", len(args), cmd.UseLine())
	}
	return nil
}

func newFilesAddCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add PREFIX [--description TEXT]",
		Short: "Protect a path prefix (an absolute path ending in /, such as /fileupload/)",
		Args:  onePrefix,
		RunE:  runFilesAdd,
	}
	cmd.Flags().String("description", "", "what the files under it are")
	return cmd
}

func runFilesAdd(cmd *cobra.Command, args []string) error {
	description, _ := cmd.Flags().GetString("description")
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.AddPrefix(cmd.Context(), args[0], description)
	if errors.Is(err, store.ErrExists) {
		return fail(2, "%s (see `flowgate files list`)", withoutSentinel(err, store.ErrExists))
	} else if err != nil {
		return dbError(err)
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "protected %s\n", p.Prefix)
	fmt.Fprintf(out, "note: every gateway configuration must send %s to flowgate too, or it protects nothing behind it: see docs/gateways.md\n", p.Prefix)
	return nil
}

func newFilesListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the protected prefixes",
		Args:  noArgs,
		RunE:  runFilesList,
	}
	cmd.Flags().Bool("json", false, "print a JSON array")
	return cmd
}

// prefixJSON is a prefix in `files list --json`; its keys are a contract.
type prefixJSON struct {
	Prefix      string    `json:"prefix"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
}

func runFilesList(cmd *cobra.Command, _ []string) error {
	prefixes, err := readList(cmd, (*store.Store).ListPrefixes)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		list := make([]prefixJSON, 0, len(prefixes))
		for _, p := range prefixes {
			list = append(list, prefixJSON{p.Prefix, p.Description, p.CreatedAt.UTC()})
		}
		return writeJSON(out, list)
	}
	if len(prefixes) == 0 {
		fmt.Fprintln(out, "No protected prefixes yet: add one with `flowgate files add /fileupload/`.")
		return nil
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "PREFIX\tDESCRIPTION\tCREATED")
	for _, p := range prefixes {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Prefix, orDash(p.Description), p.CreatedAt.UTC().Format(listTime))
	}
	return tw.Flush()
}

func newFilesRmCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rm PREFIX",
		Short: "Stop protecting a prefix (share links it alone covered are revoked)",
		Args:  onePrefix,
		RunE:  runFilesRm,
	}
}

func runFilesRm(cmd *cobra.Command, args []string) error {
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	before, err := s.ListLinks(cmd.Context())
	if err != nil {
		return dbError(err)
	}
	if err := s.RemovePrefix(cmd.Context(), args[0]); errors.Is(err, store.ErrNotFound) {
		return fail(2, "no protected prefix %q (see `flowgate files list`)", args[0])
	} else if err != nil {
		return dbError(err)
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "removed %s: flowgate no longer treats paths under it as private files\n"+
		"  they get what any path that is no workflow gets: 404 not_found from serve and its forward-auth endpoints\n", args[0])
	after, err := s.ListLinks(cmd.Context())
	if err != nil {
		return dbError(err)
	}
	if n := newlyRevoked(before, after); n > 0 {
		fmt.Fprintf(out, "revoked %s that no protected prefix covers any more\n", plural(n, "share link"))
	}
	return nil
}

// newlyRevoked counts the links revoked in after that were not in before.
func newlyRevoked(before, after []store.Link) int {
	was := map[string]bool{}
	for _, l := range before {
		was[l.ID] = l.RevokedAt != nil
	}
	n := 0
	for _, l := range after {
		if l.RevokedAt != nil && !was[l.ID] {
			n++
		}
	}
	return n
}
