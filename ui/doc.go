// Package ui is flowgate's full-screen editor, built on Bubble Tea: a list of
// workflows with their exposure at a glance, a property panel to change the
// access settings in a few keystrokes, and views for review findings,
// history, API tokens and the call log.
//
// The shape follows the Elm architecture strictly. The root Model owns the
// editor's copy of the database (a workspace: what was read, plus the
// user's unsaved drafts), routes keys to the one focused child, and sends
// window sizes down to every child. Update never blocks: every read and
// write of the store runs in a tea.Cmd whose result message carries a
// sequence number or id, so a late answer to an old question is dropped.
// Styles live in one Styles struct built once, keys in one KeyMap that also
// feeds the help line; a binding that does not apply is disabled and so
// vanishes from help by itself.
//
// Nothing here decides who may call a workflow: the preview in the panel
// and the review view call model.Decide and model.Review, the same code the
// runtime checker and the CLI use.
package ui
