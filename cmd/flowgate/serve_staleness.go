package main

import (
	"time"

	"github.com/spf13/cobra"

	"flowgate/checker"
	"flowgate/store"
)

// addStalenessFlag adds serve's --max-staleness.
func addStalenessFlag(cmd *cobra.Command) {
	cmd.Flags().Duration("max-staleness", checker.DefaultMaxStaleness,
		"when the settings store cannot be read, keep deciding from the last good settings for this long after the last successful check, then refuse every call with 503 until it can")
}

// readStalenessFlag reads --max-staleness. A limit of two polls or less
// would refuse calls between two healthy polls, and none at all would let a
// revocation go unenforced for as long as an outage lasts: both are refused.
// A PostgreSQL store notifies its changes and is polled only every
// checker.NotifiedPollInterval, which sets its floor.
func readStalenessFlag(cmd *cobra.Command) (time.Duration, error) {
	d, _ := cmd.Flags().GetDuration("max-staleness")
	poll := checker.PollInterval
	if store.IsURL(dbPath(cmd)) {
		poll = checker.NotifiedPollInterval
	}
	if floor := 2 * poll; d <= floor {
		return 0, fail(2, "--max-staleness: %s is too short: the store is checked every %s, so use more than %s (the default is %s)",
			d, poll, floor, checker.DefaultMaxStaleness)
	}
	return d, nil
}
