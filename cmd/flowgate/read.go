package main

import (
	"context"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

// readList opens the existing database, reads one listing with list (such
// as (*store.Store).ListWorkflows) and closes the database again. The
// read-only commands (list, export, review, token list) share it so that a
// missing database and a failed read are reported alike everywhere.
func readList[T any](cmd *cobra.Command, list func(*store.Store, context.Context) ([]T, error)) ([]T, error) {
	s, err := openExistingStore(cmd)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	items, err := list(s, cmd.Context())
	if err != nil {
		return nil, dbError(err)
	}
	return items, nil
}

// methodOrDefault is the method `decide` and `check` ask about: the
// --method flag as methodFlag read it, or the workflow's own when not given.
func methodOrDefault(method string, w model.Workflow) string {
	if method == "" {
		return string(w.Method)
	}
	return method
}
