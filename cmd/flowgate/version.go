package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/store"
)

// addVersion gives the root command `flowgate version` and `flowgate
// --version`: operators of a fleet must see what runs where.
func addVersion(root *cobra.Command) {
	cmd := &cobra.Command{
		Use:   "version [--json]",
		Short: "Print the build's version, VCS revision, Go version and the schema versions it supports",
		Long: "Print what this binary is: its module version and the VCS revision it was built from\n" +
			"(\"modified\" when the working tree had uncommitted changes), the Go version that built it,\n" +
			"and the schema version of each store it can open. The database is not opened.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := readVersion()
			if jsonFlag(cmd) {
				return writeJSON(cmd.OutOrStdout(), v)
			}
			return v.write(cmd.OutOrStdout())
		},
	}
	cmd.Flags().Bool("json", false, "print JSON")
	root.AddCommand(cmd)

	// cobra prints the version template for --version; the template is
	// this binary's fixed text, with any template braces quoted.
	var text strings.Builder
	v := readVersion()
	v.write(&text)
	root.Version = v.Version
	root.SetVersionTemplate(strings.ReplaceAll(text.String(), "{{", `{{"{{"}}`))
}

// versionInfo is what `flowgate version` reports; its JSON keys are a
// contract with the scripts of fleet operators.
type versionInfo struct {
	// Version is the main module's version: a tag, a pseudo-version
	// stamped from the VCS, or "(devel)".
	Version string `json:"version"`
	// Revision is the VCS commit, empty when the build did not record one
	// (go build -buildvcs=false, a source tree without .git, a git
	// worktree, go test).
	Revision string `json:"revision"`
	// Modified reports uncommitted changes in the tree that was built.
	Modified bool           `json:"modified"`
	Go       string         `json:"go"`
	Platform string         `json:"platform"`
	Schema   schemaVersions `json:"schema"`
}

// schemaVersions is the schema version each store backend migrates to;
// null for a backend this binary cannot open.
type schemaVersions struct {
	SQLite   int  `json:"sqlite"`
	Postgres *int `json:"postgres"`
}

func ptr[T any](v T) *T { return &v }

// readVersion reads this binary's build information.
func readVersion() versionInfo {
	info, _ := debug.ReadBuildInfo()
	return versionFrom(info)
}

// versionFrom extracts what `flowgate version` reports from build
// information (nil when the binary carries none).
func versionFrom(info *debug.BuildInfo) versionInfo {
	v := versionInfo{Version: "(devel)", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
		Schema: schemaVersions{SQLite: store.SchemaVersion(), Postgres: ptr(store.PostgresSchemaVersion())}}
	if info == nil {
		return v
	}
	if info.Main.Version != "" {
		v.Version = info.Main.Version
	}
	if info.GoVersion != "" {
		v.Go = info.GoVersion
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// Short is the version on one line, for /_flowgate/healthz and the log:
// the module version, then the revision when the version does not already
// name it, and "modified" when the tree had uncommitted changes.
func (v versionInfo) Short() string {
	s := v.Version
	if v.Revision != "" && !strings.Contains(s, shortRevision(v.Revision)) {
		s += " " + shortRevision(v.Revision)
	}
	if v.Modified && !strings.HasSuffix(s, "+dirty") {
		s += " modified"
	}
	return s
}

// shortRevision is the first 12 characters of a commit, as Go's
// pseudo-versions spell it.
func shortRevision(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// write prints the version as aligned lines.
func (v versionInfo) write(out io.Writer) error {
	rev := "unknown (the build recorded none)"
	if v.Revision != "" {
		rev = v.Revision
		if v.Modified {
			rev += " modified"
		}
	}
	postgres := "none yet"
	if v.Schema.Postgres != nil {
		postgres = fmt.Sprintf("schema %d", *v.Schema.Postgres)
	}
	_, err := fmt.Fprintf(out, "flowgate  %s\nrevision  %s\ngo        %s %s\nsqlite    schema %d\npostgres  %s\n",
		v.Version, rev, v.Go, v.Platform, v.Schema.SQLite, postgres)
	return err
}
