// Package ui is flowgate's full-screen editor, built on Bubble Tea: a list of
// workflows with their exposure at a glance, a property panel to change the
// access settings in a few keystrokes (and see who can call the workflow
// right now) — of one workflow, or of all the workflows marked in the list
// at once, saved in one transaction — and pages for review findings, history, API tokens and their
// scopes, the call log, and private files with their share links.
//
// The shape follows the Elm architecture strictly, after soft-serve. The
// root Model only routes: global keys and the page tabs, sizes (measured
// with lipgloss), the open dialog, the status line, and keeping the editor's
// copy of the database (a workspace: what was read, plus the user's unsaved
// drafts) in step with the store. Everything else belongs to a page (page.go):
// each owns its keys, its data and the commands that read it, its dialogs
// and its view, and gets only the messages meant for it. Update never
// blocks: every read and write of the store runs in a tea.Cmd whose answer
// carries a sequence number or id, so a late answer to an old question is
// dropped. Styles live in one Styles struct built once, keys in one KeyMap
// that also feeds the help line; a binding that does not apply is disabled
// and so vanishes from help by itself.
//
// Adding a page: write its file (a type that implements page, with a
// constructor taking *common), give it a pageID and a line in pageList
// (title and tab key) in page.go, and let the messages that answer its
// commands name it as their owner().
//
// Nothing here decides who may call a workflow: the preview in the panel,
// its "Callable by" line and the review page call model.Decide,
// model.WhoCan and model.Review, the same code the runtime checker and the
// CLI use; the token and link forms check what is typed with the model's
// own parsers (scope patterns, link paths and lifetimes).
package ui
