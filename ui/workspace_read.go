package ui

import "flowgate/model"

// The workspace's questions: what is unsaved, what is stored, which names
// are taken. None of them changes it.

// unsavedCount is how many workflows have unsaved edits.
func (ws *workspace) unsavedCount() int { return len(ws.drafted) }

// drafts lists the unsaved drafts in display order, with their revisions.
func (ws *workspace) drafts() []pendingSave {
	var out []pendingSave
	for _, id := range ws.order {
		if e := ws.entries[id]; e.draft != nil {
			out = append(out, pendingSave{w: *e.draft, rev: e.rev, gone: e.gone})
		}
	}
	return out
}

// unsavedNames lists the workflows with unsaved edits, for the quit prompt.
func (ws *workspace) unsavedNames() []string {
	var out []string
	for _, id := range ws.order {
		if e := ws.entries[id]; e.draft != nil {
			out = append(out, e.draft.Name)
		}
	}
	return out
}

// storedList is the database's view, in order: what review judges.
func (ws *workspace) storedList() []model.Workflow {
	out := make([]model.Workflow, 0, len(ws.order))
	for _, id := range ws.order {
		if e := ws.entries[id]; !e.gone {
			out = append(out, e.stored)
		}
	}
	return out
}

// nameTaken reports whether another workflow than id has name (ignoring
// case), stored or in a draft, so prompts can refuse it as it is typed.
func (ws *workspace) nameTaken(name string, id int64) bool {
	key := model.NameKey(name)
	for oid, e := range ws.entries {
		if oid == id {
			continue
		}
		if model.NameKey(e.stored.Name) == key || e.draft != nil && model.NameKey(e.draft.Name) == key {
			return true
		}
	}
	return false
}

// byName finds a workflow by name, ignoring case.
func (ws *workspace) byName(name string) (int64, bool) {
	key := model.NameKey(name)
	for id, e := range ws.entries {
		if model.NameKey(e.stored.Name) == key {
			return id, true
		}
	}
	return 0, false
}

// pendingSave is one draft handed to the save command.
type pendingSave struct {
	w    model.Workflow
	rev  int
	gone bool
}

// sameSettings compares everything the editor can change. Parameters are
// read-only here and so left out.
func sameSettings(a, b model.Workflow) bool {
	return a.Name == b.Name && a.Public == b.Public && a.Auth == b.Auth &&
		a.IgnorePrivacyRules == b.IgnorePrivacyRules && a.Method == b.Method &&
		a.Description == b.Description && a.AuthMigrated == b.AuthMigrated
}

// storedNames are the names of the workflows in the database, in order:
// what a token scope's patterns are measured against.
func (ws *workspace) storedNames() []string {
	out := make([]string, 0, len(ws.order))
	for _, id := range ws.order {
		if e := ws.entries[id]; !e.gone {
			out = append(out, e.stored.Name)
		}
	}
	return out
}
