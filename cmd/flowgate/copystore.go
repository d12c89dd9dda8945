package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/store"
)

// addCopyStore gives the root command `flowgate copy-store`: how a team
// moves its settings from the SQLite file to a shared PostgreSQL (or back,
// or makes a verified backup), without losing a token, a revocation or a
// nanosecond of history.
func addCopyStore(root *cobra.Command) {
	cmd := &cobra.Command{
		Use:   "copy-store --from PATH_OR_URL --to PATH_OR_URL [--replace]",
		Short: "Copy everything from one store to another (SQLite file or PostgreSQL URL), verified",
		Long: "Copy every workflow (with its parameters), the change trail, the API tokens (as hashes: every\n" +
			"secret keeps working), protected prefixes, share links (revoked ones too), review waivers and\n" +
			"call counts from the store --from names to the store --to names, ids and timestamps verbatim.\n" +
			"Either may be a SQLite file or a postgres:// URL; --db is not used.\n\n" +
			"The copy is one transaction: before it commits, a canonical dump of every table of both stores\n" +
			"is compared, and a copy that differs in one byte, or fails midway, leaves the target as it was.\n" +
			"A target that holds any data is refused unless --replace, which replaces all of it.\n\n" +
			"The source must exist and is only read. A SQLite target that does not exist is created (mode\n" +
			"0600). A PostgreSQL target with no flowgate schema at all gets the current one, as `flowgate\n" +
			"migrate` would (and the output says so); one at an older schema is refused: upgrade it with\n" +
			"`flowgate migrate` first, and one at a newer schema than this flowgate's, as source or target,\n" +
			"is refused: copy with the newer flowgate. Copying into PostgreSQL needs the role that owns\n" +
			"flowgate's tables.\n" +
			"Checkers on the target reload by themselves.\n\n" +
			"Keep passwords out of URLs (PGPASSFILE or PGPASSWORD); any password in a URL is shown as xxxxx.",
		Args: noArgs,
		RunE: runCopyStore,
	}
	cmd.Flags().String("from", "", "the store to copy: a SQLite file or a postgres:// URL (required)")
	cmd.Flags().String("to", "", "the store to copy into: a SQLite file or a postgres:// URL (required)")
	cmd.Flags().Bool("replace", false, "replace whatever the target holds (refused without it when it holds anything)")
	root.AddCommand(cmd)
}

func runCopyStore(cmd *cobra.Command, _ []string) error {
	from, to, err := copyStoreLocations(cmd)
	if err != nil {
		return err
	}
	replace, _ := cmd.Flags().GetBool("replace")
	src, err := store.OpenExisting(from)
	if errors.Is(err, store.ErrNoDatabase) {
		return fail(2, "source %s does not exist: nothing to copy (--from names the store to copy)", from)
	}
	if err != nil {
		return fail(2, "source: %v", err)
	}
	defer src.Close()

	dst, created, err := openCopyTarget(cmd, to)
	if err != nil {
		return err
	}
	res, err := store.Copy(cmd.Context(), src, dst, replace)
	dst.Close()
	if err != nil {
		if created.file {
			removeDatabaseFile(to)
		}
		var notEmpty *store.TargetNotEmptyError
		var mismatch *store.DumpMismatchError
		switch {
		case errors.As(err, &notEmpty):
			return fail(2, "%v: give --replace to replace everything it holds", err)
		case errors.As(err, &mismatch):
			return fail(1, "%v", err)
		}
		return fail(2, "%v", err)
	}
	out := cmd.OutOrStdout()
	if created.schema {
		fmt.Fprintf(out, "created flowgate's schema (version %d) in %s\n", store.PostgresSchemaVersion(), dst.Path())
	}
	counts := make([]string, len(res.Tables))
	for i, t := range res.Tables {
		counts[i] = fmt.Sprintf("%s %d", t.Table, t.Rows)
	}
	_, err = fmt.Fprintf(out, "%s copied from %s to %s%s (generation %d); dump verified identical\n",
		strings.Join(counts, ", "), src.Path(), dst.Path(), pick(replace, ", replacing what it held", ""), res.Generation)
	return err
}

// copyStoreLocations reads --from and --to, refusing a missing one, a
// folder, and one store named twice.
func copyStoreLocations(cmd *cobra.Command) (from, to string, err error) {
	if demo, _ := cmd.Flags().GetBool("demo"); demo {
		return "", "", fail(2, "--demo does not apply to copy-store: fill a store with `flowgate --demo --db FILE list` first")
	}
	from, _ = cmd.Flags().GetString("from")
	to, _ = cmd.Flags().GetString("to")
	for _, f := range []struct{ flag, value, what string }{{"--from", from, "the store to copy"}, {"--to", to, "the store to copy into"}} {
		if f.value == "" {
			return "", "", fail(2, "%s is required: give %s, a SQLite file or a postgres:// URL", f.flag, f.what)
		}
		if info, err := os.Stat(f.value); !store.IsURL(f.value) && err == nil && info.IsDir() {
			return "", "", fail(2, "%s %s is a folder: give the database file, such as %s", f.flag, f.value, filepath.Join(f.value, "flowgate.db"))
		}
	}
	if sameLocation(from, to) {
		return "", "", fail(2, "--from and --to both name %s: a store cannot be copied onto itself", store.Redact(from))
	}
	return from, to, nil
}

// sameLocation reports two spellings of one location that need no
// database to compare (the copy itself compares the databases).
func sameLocation(a, b string) bool {
	if store.IsURL(a) || store.IsURL(b) {
		return a == b
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// createdTarget says what opening the target created, to undo or report.
type createdTarget struct {
	// file: the SQLite file did not exist; a failed copy removes it.
	file bool
	// schema: the PostgreSQL database had no flowgate schema; it has now.
	schema bool
}

// openCopyTarget opens the store to copy into: a SQLite file is created
// when missing, a PostgreSQL database with no flowgate schema gets it.
func openCopyTarget(cmd *cobra.Command, to string) (*store.Store, createdTarget, error) {
	var created createdTarget
	if store.IsURL(to) {
		var err error
		if created.schema, err = store.CreateSchemaIfNone(cmd.Context(), to); err != nil {
			return nil, created, fail(2, "target: %v", err)
		}
	} else if _, err := os.Stat(to); errors.Is(err, fs.ErrNotExist) {
		created.file = true
	}
	dst, err := store.Open(to)
	if err != nil {
		if created.file {
			removeDatabaseFile(to)
		}
		return nil, created, fail(2, "target: %v", err)
	}
	return dst, created, nil
}

// removeDatabaseFile removes a SQLite file this command created, with the
// files SQLite keeps beside it, so that a failed copy leaves nothing.
func removeDatabaseFile(path string) {
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
}
