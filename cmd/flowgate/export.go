package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"flowgate/importer"
	"flowgate/model"
	"flowgate/store"
)

func newExportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write every workflow as flowgate JSON (re-importable exactly) or the public ones as /api/1.1/meta",
		Args:  noArgs,
		RunE:  runExport,
	}
	cmd.Flags().String("format", "flowgate", "flowgate (every setting, round-trips with import) or meta (the /api/1.1/meta shape of the public workflows)")
	cmd.Flags().StringP("output", "o", "", "write to this file instead of standard output")
	return cmd
}

func runExport(cmd *cobra.Command, _ []string) error {
	format, _ := cmd.Flags().GetString("format")
	encode := map[string]func([]model.Workflow) ([]byte, error){
		"flowgate": importer.ExportFlowgate,
		"meta":     importer.ExportMeta,
	}[format]
	if encode == nil {
		return fail(2, "--format: invalid value %q: use flowgate or meta", format)
	}
	ws, err := readList(cmd, (*store.Store).ListWorkflows)
	if err != nil {
		return err
	}
	data, err := encode(ws)
	if err != nil {
		return fail(2, "export: %v", err)
	}
	output, _ := cmd.Flags().GetString("output")
	if output == "" || output == "-" {
		_, err := cmd.OutOrStdout().Write(data)
		return err
	}
	if err := writeFileAtomic(output, data); err != nil {
		return fail(2, "cannot write %s: %v", output, withoutFileName(err))
	}
	n := len(ws)
	if format == "meta" {
		n -= model.CountExposures(ws)[model.ExposureScheduled]
	}
	fmt.Fprintf(cmd.OutOrStdout(), "exported %s to %s\n", plural(n, "workflow"), output)
	return nil
}

// withoutFileName is err's reason without the file it names: the
// temporary file writeFileAtomic works on is not one the user gave.
func withoutFileName(err error) error {
	var pathErr *fs.PathError
	var linkErr *os.LinkError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("its folder does not exist")
	case errors.As(err, &pathErr):
		return pathErr.Err
	case errors.As(err, &linkErr):
		return linkErr.Err
	}
	return err
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place, so a reader (or a failed run) never sees half an export.
func writeFileAtomic(path string, data []byte) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return errors.New("it is a folder: give a file name")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
