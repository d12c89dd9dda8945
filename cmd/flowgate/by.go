package main

import (
	"os"

	"github.com/spf13/cobra"

	"flowgate/store"
)

// Every change is recorded as made by someone (the key `by`): the global
// --by NAME, else $FLOWGATE_USER, else the operating-system user. --by and
// $FLOWGATE_USER are whatever the caller says, so the operating-system user
// is always kept beside them (the key `os_user`).

// addByFlag declares the global --by flag.
func addByFlag(root *cobra.Command) {
	root.PersistentFlags().String("by", "", "who is making this change, for the change trail (default $FLOWGATE_USER, else the OS user)")
}

// setActor puts who is running the command into its context, where every
// write finds it; a name the trail could not hold is refused (exit 2)
// before anything runs.
func setActor(cmd *cobra.Command, _ []string) error {
	osUser := osActor()
	by, source := osUser, ""
	if env := os.Getenv("FLOWGATE_USER"); env != "" {
		by, source = env, "$FLOWGATE_USER"
	}
	if f := cmd.Flags().Lookup("by"); f != nil && f.Changed {
		by, source = f.Value.String(), "--by"
		if by == "" {
			return fail(2, "--by: the name is empty (leave --by out to be recorded as %q)", osUser)
		}
	}
	if err := store.ValidateActor(by); err != nil {
		return fail(2, "%s: %v", source, err)
	}
	cmd.SetContext(store.WithOSUser(store.WithActor(cmd.Context(), by), osUser))
	return nil
}
