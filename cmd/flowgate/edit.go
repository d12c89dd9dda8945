package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"flowgate/store"
	"flowgate/ui"
)

func newEditCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "edit",
		Short: "Open the full-screen editor (what `flowgate` alone does in a terminal)",
		Args:  noArgs,
		RunE:  runEdit,
	}
	return cmd
}

// runRoot is `flowgate` with no command: the editor when a person is at a
// terminal (it creates the database on a fresh clone), the list otherwise,
// so scripts that ran `flowgate` keep getting text they can read. Without a
// terminal and without a database file it explains how to start, creating
// nothing; with --json a missing database is an error, as for `list`. A
// PostgreSQL URL always goes on to the list, which says what is wrong with
// a database that is missing, unreachable or has no schema.
func runRoot(cmd *cobra.Command, args []string) error {
	if err := fillDemoIfAsked(cmd); err != nil {
		return err
	}
	if !jsonFlag(cmd) && interactive(cmd) {
		return runEditor(cmd)
	}
	path, err := checkedDBPath(cmd)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !jsonFlag(cmd) && !store.IsURL(path) {
		fmt.Fprintf(cmd.OutOrStdout(), gettingStarted, path)
		return nil
	}
	return runList(cmd, args)
}

// gettingStarted is what `flowgate` prints outside a terminal before any
// settings exist.
const gettingStarted = `No flowgate database at %s yet. To start:
  flowgate                   in a terminal: the full-screen editor (creates the database)
  flowgate --demo            a sample app to try everything on
  flowgate add NAME          create a workflow (see flowgate add --help)
  flowgate import PATH       migrate from a Bubble app export or /api/1.1/meta output
Use --db PATH or $FLOWGATE_DB for a database elsewhere.
`

func runEdit(cmd *cobra.Command, _ []string) error {
	if !interactive(cmd) {
		return fail(2, "the editor needs a terminal on stdin and stdout; in scripts use `flowgate list`, `show` and `set`")
	}
	if err := fillDemoIfAsked(cmd); err != nil {
		return err
	}
	return runEditor(cmd)
}

func runEditor(cmd *cobra.Command) error {
	s, err := createStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := ui.Run(cmd.Context(), s, ui.Options{}); err != nil {
		return fail(2, "%v", err)
	}
	return nil
}

// fillDemoIfAsked runs --demo: the sample app goes into a new database
// only, and a note goes to stderr so stdout stays the command's output.
// The flag is turned off once done, so a command that opens the database
// twice fills it once.
func fillDemoIfAsked(cmd *cobra.Command) error {
	if demo, _ := cmd.Flags().GetBool("demo"); !demo {
		return nil
	}
	if err := cmd.Flags().Set("demo", "false"); err != nil {
		return fail(2, "--demo: %v", err)
	}
	s, err := openForWriting(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	sum, err := fillDemo(cmd.Context(), s, time.Now())
	if err != nil {
		return fail(2, "--demo: %v", err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "flowgate: filled %s with the demo app: %d workflows, %d tokens, %d calls\n",
		s.Path(), sum.Workflows, sum.Tokens, sum.Calls)
	return nil
}

// interactive reports whether both stdin and stdout are terminals.
func interactive(cmd *cobra.Command) bool {
	return isTerminal(cmd.InOrStdin()) && isTerminal(cmd.OutOrStdout())
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	return term.IsTerminal(file.Fd())
}
