package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

// argCompletions says what the positional arguments of a command complete
// to, keyed by the command's path without "flowgate"; the first word of
// what lists the candidates and whether several arguments may be given.
var argCompletions = map[string]struct {
	list func(context.Context, *store.Store) ([]string, error)
	many bool
}{
	"show":         {workflowNames, false},
	"set":          {workflowNames, true},
	"rm":           {workflowNames, false},
	"history":      {workflowNames, false},
	"decide":       {workflowNames, false},
	"check":        {workflowNames, false},
	"who-can":      {workflowNames, false},
	"curl":         {workflowNames, false},
	"token revoke": {tokenIDs, false},
	"token rotate": {tokenIDs, false},
	"token scope":  {tokenIDs, false},
	"link revoke":  {linkIDs, false},
}

// flagValues are the fixed values a flag of this name takes, on whichever
// command has it. Flags whose values depend on the command are keyed by
// "PATH --FLAG" in commandFlagValues instead.
var flagValues = map[string][]string{
	"auth":            authValues(),
	"method":          {string(model.MethodPOST), string(model.MethodGET)},
	"as":              {"none", "user", "admin", "malformed", "invalid"},
	"select-exposure": exposureValues(),
	"fail-on":         {"high", "medium", "low", "info"},
	"on-conflict":     {"fail", "skip", "replace"},
}

// commandFlagValues are flag values that belong to one command's flag.
var commandFlagValues = map[string][]string{
	"export --format": {"flowgate", "meta"},
}

// commandFlagLists are flags that complete to names or ids in the database.
var commandFlagLists = map[string]func(context.Context, *store.Store) ([]string, error){
	"calls --workflow": workflowNames,
	"calls --token":    tokenIDs,
}

// addCompletions wires shell completion (`flowgate completion bash|zsh|fish`)
// into the tree: arguments complete to workflow names, token or link ids,
// and flags to their values. A command or flag that registered its own
// completion keeps it.
func addCompletions(root *cobra.Command) {
	eachCommand(root, func(path string, c *cobra.Command) {
		if a, ok := argCompletions[path]; ok && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = completeFromDatabase(a.list, a.many)
		}
		// Registering twice is refused by cobra: a flag that has its own
		// completion keeps it, so the errors are deliberately ignored.
		for name, values := range flagValues {
			if commandFlagValues[path+" --"+name] == nil && c.LocalFlags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
			}
		}
		for key, values := range commandFlagValues {
			if name, ok := strings.CutPrefix(key, path+" --"); ok && c.LocalFlags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
			}
		}
		for key, list := range commandFlagLists {
			if name, ok := strings.CutPrefix(key, path+" --"); ok && c.LocalFlags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, completeFromDatabase(list, false))
			}
		}
	})
}

// completeFromDatabase completes an argument from a list read from --db.
// The database is opened only if it exists and never written, and any
// failure completes to nothing: a Tab press must not create a file or
// print an error into the user's command line.
func completeFromDatabase(list func(context.Context, *store.Store) ([]string, error), many bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 && !many {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		path := dbPath(cmd)
		if path == "" {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		s, err := store.OpenExisting(path)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer s.Close()
		items, err := list(cmd.Context(), s)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, item := range items {
			if strings.HasPrefix(strings.ToLower(item), strings.ToLower(toComplete)) && !contains(args, item) {
				out = append(out, item)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func workflowNames(ctx context.Context, s *store.Store) ([]string, error) {
	ws, err := s.ListWorkflows(ctx)
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.Name
	}
	return names, err
}

// tokenIDs lists token ids with the token's name as the description the
// shell shows beside each (zsh, fish).
func tokenIDs(ctx context.Context, s *store.Store) ([]string, error) {
	toks, err := s.ListTokens(ctx)
	ids := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.RevokedAt == nil {
			ids = append(ids, cobra.CompletionWithDesc(t.ID, fmt.Sprintf("%s (%s)", t.Name, t.Kind)))
		}
	}
	return ids, err
}

func linkIDs(ctx context.Context, s *store.Store) ([]string, error) {
	links, err := s.ListLinks(ctx)
	ids := make([]string, 0, len(links))
	for _, l := range links {
		if l.RevokedAt == nil {
			ids = append(ids, cobra.CompletionWithDesc(l.ID, l.Path))
		}
	}
	return ids, err
}

func authValues() []string {
	out := make([]string, len(model.Auths))
	for i, a := range model.Auths {
		out[i] = string(a)
	}
	return out
}

func exposureValues() []string {
	out := make([]string, len(model.Exposures))
	for i, e := range model.Exposures {
		out[i] = string(e)
	}
	return out
}
