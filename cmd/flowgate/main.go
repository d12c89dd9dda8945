// Command flowgate edits, enforces and reviews the access settings of
// backend API workflows, all kept in one SQLite file (or, for a fleet of
// checkers, one shared PostgreSQL database). This package only wires
// flags to the model, store, checker and ui packages; the rules live there.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the process exit code: 0 for
// success, 1 for a denial or a failed gate, 2 for bad input or a database
// error. Errors are printed as one line so scripts can log them as-is.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(context.Background()) // setActor adds who runs it
	if err == nil {
		return 0
	}
	code := 2
	var exit *exitError
	if errors.As(err, &exit) {
		code = exit.code
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(stderr, "flowgate: "+oneLine(msg))
	}
	return code
}

// oneLine joins a multi-line error (pgx lists each attempt on an indented
// line of its own) into the one line scripts expect, leaving out a line
// that repeats an earlier one (with sslmode=prefer pgx tries every address
// twice, with and without TLS, and fails the same way).
func oneLine(msg string) string {
	lines := strings.Split(msg, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(kept, l) {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, " ")
}

// osActor is the operating-system user running the command, as the change
// trail keeps it (os_user, and by unless --by or $FLOWGATE_USER say
// otherwise). A name the trail cannot hold (too long, with control
// characters) is left out rather than failing every write.
func osActor() string {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if len(name) > 100 || !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) {
		return ""
	}
	return name
}

// exitError carries the exit code a failure should end the process with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// fail builds an error that exits with code; an empty format prints nothing
// (the command already said what happened, as `decide` does for a denial).
func fail(code int, format string, args ...any) error {
	if format == "" {
		return &exitError{code: code}
	}
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}
