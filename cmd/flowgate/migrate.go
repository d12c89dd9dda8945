package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"flowgate/store"
)

// addMigrate gives the root command `flowgate migrate`: against a shared
// PostgreSQL database, schema upgrades are deliberate, so this is the only
// command that makes them (every other command refuses an older schema).
func addMigrate(root *cobra.Command) {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the schema of the --db database to this flowgate's version",
		Long: "Bring the database named by --db (or $FLOWGATE_DB) to the schema this flowgate needs.\n\n" +
			"For a PostgreSQL URL this is the only command that changes the schema: run it once, from one\n" +
			"machine, before the checkers of a fleet start (or are upgraded). Each step is additive for one\n" +
			"version, so checkers one release behind keep working while the fleet is rolled. Two runs at\n" +
			"once take turns. A SQLite file is migrated by every command that opens it; migrate creates\n" +
			"or upgrades it the same way.\n\n" +
			"Keep the password out of the URL: PostgreSQL's PGPASSFILE (default ~/.pgpass) or PGPASSWORD\n" +
			"are read, and any password in the URL is shown as xxxxx.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			location, err := checkedDBPath(cmd)
			if err != nil {
				return err
			}
			from, to, err := store.Migrate(cmd.Context(), location)
			if err != nil {
				return fail(2, "%v", err)
			}
			shown := store.Redact(location)
			if from == to {
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s: schema version %d, up to date\n", shown, to)
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s: schema version %d → %d\n", shown, from, to)
			return err
		},
	}
	root.AddCommand(cmd)
}
