package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/importer"
)

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import workflows from Bubble exports, /api/1.1/meta output or a flowgate export, proving nobody's access changes",
		Long: "Reads every PATH (a file, or a directory: every *.json below it, and *.js element modules),\n" +
			"detecting the format from the content. Prints a plan and a proof that every imported workflow\n" +
			"answers every call as its source did, then writes everything in one transaction.",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fail(2, "expected at least one file or directory to import (usage: %s)", cmd.UseLine())
			}
			return nil
		},
		RunE: runImport,
	}
	f := cmd.Flags()
	f.Bool("dry-run", false, "print the plan and the proof, write nothing")
	f.String("on-conflict", conflictFail, "when an existing workflow differs: fail (write nothing), skip (keep it) or replace (overwrite it)")
	f.Bool("skip-invalid", false, "import the valid workflows and list the invalid ones instead of writing nothing")
	return cmd
}

// The --on-conflict choices.
const (
	conflictFail    = "fail"
	conflictSkip    = "skip"
	conflictReplace = "replace"
)

func runImport(cmd *cobra.Command, args []string) error {
	opts := importOptions{}
	opts.onConflict, _ = cmd.Flags().GetString("on-conflict")
	opts.dryRun, _ = cmd.Flags().GetBool("dry-run")
	skipInvalid, _ := cmd.Flags().GetBool("skip-invalid")
	switch opts.onConflict {
	case conflictFail, conflictSkip, conflictReplace:
	default:
		return fail(2, "--on-conflict: invalid value %q: use fail, skip or replace", opts.onConflict)
	}
	items, problems, err := readImportInputs(args)
	if err != nil {
		return err
	}
	items, duplicates := importer.CheckDuplicates(items)
	problems = append(problems, duplicates...)
	out := cmd.OutOrStdout()
	if len(problems) > 0 && !skipInvalid {
		for _, p := range problems {
			fmt.Fprintln(cmd.ErrOrStderr(), "flowgate: "+p.String())
		}
		return fail(2, "%s; nothing written (fix %s, or pass --skip-invalid to import the rest)",
			plural(len(problems), "invalid item"), pick(len(problems) == 1, "it", "them"))
	}
	if len(problems) > 0 {
		fmt.Fprintf(out, "skipped %s:\n", plural(len(problems), "invalid item"))
		for _, p := range problems {
			fmt.Fprintln(out, "  "+p.String())
		}
		opts.skippedInvalid = len(problems)
	}
	if len(items) == 0 {
		if len(problems) > 0 {
			return fail(2, "nothing left to import in %s", strings.Join(args, ", "))
		}
		return fail(2, "no API workflows found in %s", strings.Join(args, ", "))
	}
	return importWorkflows(cmd, items, opts)
}

// readImportInputs parses every path. A path that cannot be read stops the
// import (it is a typo, not an item to skip); everything wrong inside a
// file is a problem for the caller to report or skip.
func readImportInputs(paths []string) ([]importer.Item, []importer.Problem, error) {
	var items []importer.Item
	var problems []importer.Problem
	add := func(name string, data []byte) {
		its, ps := importer.Parse(name, data)
		items, problems = append(items, its...), append(problems, ps...)
	}
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			return nil, nil, fail(2, "cannot read %s: %v", path, unwrapPathError(err))
		}
		if !info.IsDir() {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, nil, fail(2, "cannot read %s: %v", path, unwrapPathError(err))
			}
			add(path, data)
			continue
		}
		err = filepath.WalkDir(path, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if name != path && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir // .git, editor caches
				}
				return nil
			}
			ext := strings.ToLower(filepath.Ext(name))
			if ext != ".json" && ext != ".js" {
				return nil
			}
			data, err := os.ReadFile(name)
			if err != nil {
				return err
			}
			if ext == ".js" && !importer.IsJSModule(data) {
				return nil // a script beside the elements, not an element
			}
			add(name, data)
			return nil
		})
		if err != nil {
			return nil, nil, fail(2, "cannot read %s: %v", path, err)
		}
	}
	return items, problems, nil
}

// unwrapPathError drops the "stat PATH:" prefix the message already has.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// plural spells "1 workflow" / "3 workflows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
