package main

import (
	"errors"
	"os"

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
			"enforces them on live HTTP calls, and reviews what is exposed.",
		Args:          rootArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE:          runRoot,
		// PersistentPreRunE runs before every command: it records who is
		// making the changes (see by.go).
		PersistentPreRunE: setActor,
	}
	root.PersistentFlags().String("db", defaultDBPath(), "settings database (default $FLOWGATE_DB, else ./flowgate.db)")
	addByFlag(root)
	root.Flags().Bool("json", false, "print JSON")
	addDemoFlag(root)
	root.AddCommand(
		newListCmd(), newShowCmd(), newAddCmd(), newSetCmd(), newRmCmd(),
		newHistoryCmd(), newReviewCmd(), newDecideCmd(),
		newTokenCmd(), newWhoCanCmd(), newFilesCmd(), newLinkCmd(),
		newServeCmd(), newCheckCmd(), newCallsCmd(),
		newImportCmd(), newExportCmd(), newEditCmd(),
	)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return fail(2, "%v", err) })
	return root
}

// Every command opens --db through one of two helpers: createStore for the
// commands that create settings (add, import, token create, the editor,
// --demo), which may create the file; openExistingStore for all others,
// which refuse a missing path, since a typo would otherwise read as an
// empty database (and pass a review gate, or export nothing over a backup).

// createStore opens --db for writing, creating the file when missing.
func createStore(cmd *cobra.Command) (*store.Store, error) {
	s, err := store.Open(dbPath(cmd))
	if err != nil {
		return nil, fail(2, "%v", err)
	}
	return s, nil
}

// openExistingStore opens --db, which must exist; nothing is created. A
// database this process cannot write opens read-only: reading commands
// work, and writes fail saying why.
func openExistingStore(cmd *cobra.Command) (*store.Store, error) {
	path := dbPath(cmd)
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
// create one.
func missingDatabase(path string) error {
	return fail(2, "database %s does not exist (create it with `flowgate add`, `flowgate import` or `flowgate --demo`)", path)
}

// dbPath is the --db flag (default $FLOWGATE_DB, else ./flowgate.db).
func dbPath(cmd *cobra.Command) string {
	path, _ := cmd.Flags().GetString("db")
	return path
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

// noArgs refuses stray arguments with the command's usage in the message.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fail(2, "unexpected argument %q (usage: %s)", args[0], cmd.UseLine())
	}
	return nil
}

// rootArgs refuses a word that is not a command, naming it.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fail(2, "unknown command %q (see `flowgate --help`)", args[0])
	}
	return nil
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
