package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// commandExamples is the Examples section of every command's help, keyed
// by the command's path without "flowgate". They live in one table so
// that a glance shows every command has some and they agree with each
// other (the same sample names as `flowgate --demo`); a command that sets
// its own Example keeps it.
var commandExamples = map[string]string{
	"": `flowgate                          # the editor in a terminal; the list in a script
flowgate --demo                   # a sample app in a new ./flowgate.db, to try everything on
flowgate --db ~/apps/shop.db list
flowgate --db postgres://flowgate@db.internal/flowgate list   # a fleet's shared PostgreSQL (password in ~/.pgpass)`,
	"add": `flowgate add send-invoice --public --auth admin
flowgate add nightly-cleanup --description "Deletes expired drafts"   # scheduled-only`,
	"set": `flowgate set signup --public --auth none
flowgate set export-customers --auth admin --ignore-privacy-rules=false
flowgate set old-hook --private               # scheduled-only again; its auth is kept
flowgate set send-invoice --rename send-invoice-v2
flowgate set sync-a get-orders --auth admin           # several at once, in one transaction
flowgate set --select-exposure users --match 'sync-*' --auth admin --dry-run   # plan and impact, nothing written`,
	"rm": `flowgate rm old-hook`,
	"migrate": `flowgate migrate --db postgres://flowgate@db.internal/flowgate   # once, before the checkers start
PGPASSFILE=~/.pgpass flowgate migrate --db "$FLOWGATE_DB"`,
	"copy-store": `flowgate copy-store --from flowgate.db --to postgres://flowgate@db.internal/flowgate   # move to a shared PostgreSQL
flowgate copy-store --from "$FLOWGATE_DB" --to backup.db --replace                      # a verified copy`,
	"version": `flowgate version
flowgate --version
flowgate version --json | jq -r .revision`,
	"list": `flowgate list
flowgate list --json | jq -r '.[] | select(.exposure == "open") | .name'`,
	"show": `flowgate show send-invoice
flowgate show send-invoice --json`,
	"history": `flowgate history                  # every workflow, deleted ones included
flowgate history send-invoice --json`,
	"review": `flowgate review
flowgate review --fail-on high    # in CI: exit 1 when a high finding exists
flowgate review --json`,
	"decide": `flowgate decide send-invoice --as user
flowgate decide get-invoice --as none --method POST`,
	"check": `flowgate check send-invoice --token - < token.txt
flowgate check /api/1.1/wf/send-invoice --token "$FLOWGATE_TOKEN"
flowgate check /fileupload/invoices/march.pdf --link -`,
	"curl": `flowgate curl send-invoice
flowgate curl send-invoice --base-url https://app.example.com
FLOWGATE_TOKEN=fgu_... sh -c "$(flowgate curl send-invoice)"   # run it`,
	"who-can": `flowgate who-can send-invoice
flowgate who-can export-customers --json`,
	"calls": `flowgate calls
flowgate calls --workflow send-invoice --limit 20
flowgate calls --token tok_XXXX --json`,
	"serve": `flowgate serve                                      # answers 200 with the decision on 127.0.0.1:8420
flowgate serve --upstream http://127.0.0.1:3000     # reverse proxy in front of the app
flowgate serve --upstream http://app:3000 --gateway-listen 127.0.0.1:8421
FLOWGATE_DB=postgres://flowgate@db.internal/flowgate flowgate serve --upstream http://app:3000   # one checker of a fleet`,
	"token": `flowgate token create --admin --name deploy-bot
flowgate token list`,
	"token create": `flowgate token create --admin --name deploy-bot
flowgate token create --user u_123 --name mobile --expires 30d --workflows 'send-*,report'
flowgate token create --admin --name ci --quiet > token.txt`,
	"token list": `flowgate token list
flowgate token list --json`,
	"token revoke": `flowgate token revoke tok_XXXX`,
	"token rotate": `flowgate token rotate tok_XXXX               # the old secret works 24h more
flowgate token rotate tok_XXXX --overlap 0   # the old secret stops now`,
	"token scope": `flowgate token scope tok_XXXX --workflows 'send-*'
flowgate token scope tok_XXXX --files /fileupload/invoices/
flowgate token scope tok_XXXX --files ''        # no files`,
	"files": `flowgate files add /fileupload/
flowgate files list`,
	"files add":  `flowgate files add /fileupload/ --description "uploaded invoices"`,
	"files list": `flowgate files list`,
	"files rm":   `flowgate files rm /fileupload/`,
	"link": `flowgate link create /fileupload/invoices/march.pdf --expires 2h
flowgate link list`,
	"link create": `flowgate link create /fileupload/invoices/march.pdf
flowgate link create /fileupload/invoices/march.pdf --expires 2h --base-url https://app.example.com`,
	"link list":   `flowgate link list --json`,
	"link revoke": `flowgate link revoke lnk_XXXX`,
	"import": `flowgate import app-export.json --dry-run
flowgate import elements/ meta.json
flowgate import settings.json --on-conflict replace`,
	"export": `flowgate export -o settings.json
flowgate export --format meta`,
	"edit": `flowgate edit
flowgate edit --demo --db /tmp/try.db`,
	"completion": `flowgate completion bash > /etc/bash_completion.d/flowgate
flowgate completion zsh > "${fpath[1]}/_flowgate"
flowgate completion fish > ~/.config/fish/completions/flowgate.fish`,
	"completion bash": `flowgate completion bash > ~/.local/share/bash-completion/completions/flowgate
source <(flowgate completion bash)              # this shell only`,
	"completion zsh":        `flowgate completion zsh > "${fpath[1]}/_flowgate"`,
	"completion fish":       `flowgate completion fish > ~/.config/fish/completions/flowgate.fish`,
	"completion powershell": `flowgate completion powershell | Out-String | Invoke-Expression`,
	"help": `flowgate help set
flowgate help token create`,
}

// addExamples gives every command of the tree without an Example its
// entry of commandExamples, indented as cobra's help expects. Cobra adds
// its help and completion commands only when the tree runs, so they are
// added here first to get theirs.
func addExamples(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	eachCommand(root, func(path string, c *cobra.Command) {
		if ex, ok := commandExamples[path]; ok && c.Example == "" {
			c.Example = "  " + strings.ReplaceAll(ex, "\n", "\n  ")
		}
	})
}

// eachCommand calls fn for every command of the tree below and including
// root, with its path without the root's name ("token create"; "" for
// the root itself).
func eachCommand(root *cobra.Command, fn func(path string, c *cobra.Command)) {
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		fn(strings.TrimPrefix(strings.TrimPrefix(c.CommandPath(), root.Name()), " "), c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
