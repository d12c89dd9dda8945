package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

// defaultDBPath is where settings live unless --db or $FLOWGATE_DB says
// otherwise: the working directory, like git's .git, so each app's folder
// holds its own settings.
func defaultDBPath() string {
	if p := os.Getenv("FLOWGATE_DB"); p != "" {
		return p
	}
	return "flowgate.db"
}

// newRootCmd builds the whole command tree; a fresh tree per run keeps tests
// that call run() several times independent.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "flowgate",
		Short: "Edit, enforce and review who may call your backend API workflows",
		Long: "flowgate keeps the access settings of backend API workflows in one SQLite file,\n" +
			"enforces them on live HTTP calls, and reviews what is exposed. A fleet of checkers\n" +
			"shares one PostgreSQL database instead: give --db (or $FLOWGATE_DB) a postgres:// URL\n" +
			"and run `flowgate migrate` on it once (see docs/operations.md).",
		Args:          rootArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE:          runRoot,
		// PersistentPreRunE runs before every command: it records who is
		// making the changes (see by.go).
		PersistentPreRunE: setActor,
	}
	root.PersistentFlags().String("db", defaultDBPath(),
		"settings database: a SQLite file, or a PostgreSQL URL postgres://USER@HOST/DB shared by a fleet ($FLOWGATE_DB when set)")
	// The help shows the default as it is printed everywhere else: a
	// password in $FLOWGATE_DB's URL reads xxxxx.
	root.PersistentFlags().Lookup("db").DefValue = store.Redact(defaultDBPath())
	root.PersistentFlags().Bool("demo", false, "first fill a brand-new database (or an empty, migrated PostgreSQL one) with a sample app (refuses one that is not empty)")
	addByFlag(root)
	root.Flags().Bool("json", false, "print JSON")
	addVersion(root)
	addMigrate(root)
	addCopyStore(root)
	root.AddCommand(
		newListCmd(), newShowCmd(), newAddCmd(), newSetCmd(), newRmCmd(),
		newHistoryCmd(), newReviewCmd(), newDecideCmd(),
		newTokenCmd(), newWhoCanCmd(), newFilesCmd(), newLinkCmd(),
		newServeCmd(), newCheckCmd(), newCallsCmd(), newCurlCmd(),
		newImportCmd(), newExportCmd(), newEditCmd(),
	)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return fail(2, "%v", err) })
	addExamples(root)
	addCompletions(root)
	eachCommand(root, func(_ string, c *cobra.Command) {
		if c.HasSubCommands() && !c.Runnable() {
			c.Args, c.RunE = noArgs, groupRun
		}
	})
	return root
}

// Every command opens --db through one of two helpers: createStore for the
// commands that create settings (add, import, token create, the editor,
// --demo), which may create the file; openExistingStore for all others,
// which refuse a missing path, since a typo would otherwise read as an
// empty database (and pass a review gate, or export nothing over a backup).
// A PostgreSQL URL is opened the same way by both: its database must exist
// and hold the schema `flowgate migrate` creates, or the command stops
// saying so; nothing ever creates a database or a schema on a server.

// Both first run --demo when it was given, so it works with every command
// that uses the database.

// createStore opens --db for writing, creating the file when missing.
func createStore(cmd *cobra.Command) (*store.Store, error) {
	if err := fillDemoIfAsked(cmd); err != nil {
		return nil, err
	}
	return openForWriting(cmd)
}

// openForWriting is createStore without --demo.
func openForWriting(cmd *cobra.Command) (*store.Store, error) {
	path, err := checkedDBPath(cmd)
	if err != nil {
		return nil, err
	}
	s, err := store.Open(path)
	if err != nil {
		return nil, fail(2, "%v", err)
	}
	return s, nil
}

// openExistingStore opens --db, which must exist; nothing is created. A
// database this process cannot write opens read-only: reading commands
// work, and writes fail saying why.
func openExistingStore(cmd *cobra.Command) (*store.Store, error) {
	if err := fillDemoIfAsked(cmd); err != nil {
		return nil, err
	}
	path, err := checkedDBPath(cmd)
	if err != nil {
		return nil, err
	}
	s, err := store.OpenExisting(path)
	if errors.Is(err, store.ErrNoDatabase) {
		return nil, missingDatabase(path)
	}
	if err != nil {
		return nil, fail(2, "%v", err)
	}
	return s, nil
}

// missingDatabase is the error for a --db path with no file, saying how to
// create one. (A URL never gets here: the store says what is missing.)
func missingDatabase(path string) error {
	return fail(2, "database %s does not exist (create it with `flowgate add`, `flowgate import` or `flowgate --demo`)", path)
}

// dbPath is the --db flag (default $FLOWGATE_DB, else ./flowgate.db).
func dbPath(cmd *cobra.Command) string {
	path, _ := cmd.Flags().GetString("db")
	return path
}

// checkedDBPath is dbPath, refused in one line when it cannot name a
// database file: empty, or a folder (a likely slip for a file in it). A
// PostgreSQL URL is passed on as it is: the checks of files do not apply,
// and the store refuses one it cannot use. Whatever prints the result
// goes through store.Redact, since a URL can hold a password.
func checkedDBPath(cmd *cobra.Command) (string, error) {
	path := dbPath(cmd)
	if path == "" {
		return "", fail(2, "--db is empty: give the database file, such as flowgate.db, or a postgres:// URL")
	}
	if store.IsURL(path) {
		return path, nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return "", fail(2, "database %s is a folder: give the database file, such as %s", path, filepath.Join(path, "flowgate.db"))
	}
	return path, nil
}

// openWorkflow opens the existing database and loads the named workflow:
// the first step of every command that acts on one workflow (show, set, rm,
// decide, check). The caller closes the store.
func openWorkflow(cmd *cobra.Command, name string) (*store.Store, model.Workflow, error) {
	s, err := openExistingStore(cmd)
	if err != nil {
		return nil, model.Workflow{}, err
	}
	w, err := getWorkflow(cmd, s, name)
	if err != nil {
		s.Close()
		return nil, model.Workflow{}, err
	}
	return s, w, nil
}

// noArgs refuses stray arguments with the command's usage in the message;
// on a command with subcommands (token, review) the word was meant as one.
func noArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return nil
	case cmd.HasSubCommands():
		return unknownCommand(cmd, args[0])
	}
	return fail(2, "unexpected argument %q (usage: %s)", args[0], cmd.UseLine())
}

// rootArgs refuses a word that is not a command, naming it.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return unknownCommand(cmd, args[0])
	}
	return nil
}

// unknownCommand names a word that is not a subcommand of cmd and, when
// one is close (a typo, or a prefix), suggests it as cobra would.
func unknownCommand(cmd *cobra.Command, word string) error {
	hint := ""
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default, which SuggestionsFor alone does not apply
	}
	if s := cmd.SuggestionsFor(word); len(s) > 0 {
		if len(s) > 1 {
			s = []string{strings.Join(s[:len(s)-1], ", "), s[len(s)-1]}
		}
		hint = ": did you mean " + strings.Join(s, " or ") + "?"
	}
	return fail(2, "unknown command %q for `%s`%s (see `%s --help`)", word, cmd.CommandPath(), hint, cmd.CommandPath())
}

// groupRun is the RunE of a command that only groups others (token,
// files, link): alone it prints its help, and a word that is not one of
// its commands is an error (cobra would print the help and exit 0).
func groupRun(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return unknownCommand(cmd, args[0])
	}
	return cmd.Help()
}

// exactlyOneName checks the NAME argument the workflow commands take.
func exactlyOneName(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return fail(2, "expected one workflow name, got %d arguments (usage: %s)", len(args), cmd.UseLine())
	}
	return nil
}

// jsonFlag reads the --json flag every listing command has.
func jsonFlag(cmd *cobra.Command) bool {
	v, _ := cmd.Flags().GetBool("json")
	return v
}

// dbError marks a store failure as exit code 2 with its message.
func dbError(err error) error { return fail(2, "%v", err) }
