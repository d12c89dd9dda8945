package ui

import (
	"slices"
	"strings"

	"flowgate/model"
)

// workspace is the editor's copy of the database plus the user's unsaved
// edits and the workflows marked for a bulk edit (workspace_marks.go). It is plain data (no Bubble Tea, no rows of any view: the list
// builds its rows from the entries) so its rules — a draft is never
// overwritten by a refresh, a draft equal to what is stored is no draft —
// are easy to test on their own (workspace_test.go).
type workspace struct {
	entries map[int64]*entry
	// order is the display order: by stored name, ignoring case, like the
	// store lists them.
	order  []int64
	counts map[model.Exposure]int // by effective (draft or stored) settings
	// drafted holds the ids with a draft, so "anything unsaved?" is cheap
	// however many workflows there are.
	drafted map[int64]struct{}
	// edits counts changes to the drafts (made, changed, dropped, saved),
	// so a status line can tell whether it still describes them.
	edits int
	// markCount is how many entries are marked.
	markCount int
}

// entry is one workflow: what the database last said, and the draft.
type entry struct {
	// stored is the workflow as the database last said it was.
	stored model.Workflow
	// draft holds unsaved edits; nil when there are none. Its ID and
	// Version are those of the row it was started from, which is what
	// the optimistic save checks against.
	draft *model.Workflow
	// rev counts edits, so a save result can tell whether the user kept
	// editing while it ran.
	rev int
	// stale: the database moved on while the draft was open; saving will
	// report a conflict and show both versions.
	stale bool
	// gone: deleted in the database while the draft was open.
	gone bool
	// marked: chosen for a bulk edit.
	marked bool
}

// effective is what the user sees: the draft if there is one.
func (e *entry) effective() model.Workflow {
	if e.draft != nil {
		return *e.draft
	}
	return e.stored
}

func newWorkspace() workspace {
	return workspace{entries: map[int64]*entry{}, counts: model.CountExposures(nil), drafted: map[int64]struct{}{}}
}

// load merges a fresh read of the database. Rows without a draft take the
// new values; rows with a draft keep it (and are marked stale when the
// database moved on); rows deleted elsewhere disappear unless they hold a
// draft. It reports whether the set, order or stored names of the entries
// changed, in which case a view listing them must be rebuilt.
func (ws *workspace) load(list []model.Workflow) (reordered bool) {
	seen := make(map[int64]bool, len(list))
	order := make([]int64, 0, len(list))
	for _, w := range list {
		seen[w.ID] = true
		order = append(order, w.ID)
		e, ok := ws.entries[w.ID]
		if !ok {
			ws.entries[w.ID] = &entry{stored: w}
			reordered = true
			continue
		}
		if e.draft == nil && e.stored.Name != w.Name {
			reordered = true
		}
		if e.draft != nil && (w.Version != e.draft.Version || e.gone) {
			e.stale = true
		}
		e.stored, e.gone = w, false
	}
	for id, e := range ws.entries {
		if seen[id] {
			continue
		}
		if e.draft == nil {
			ws.forget(id)
			reordered = true
			continue
		}
		// Keep the user's edits of a workflow deleted elsewhere; saving
		// will say so and offer to recreate it.
		if !e.gone {
			e.gone, e.stale = true, true
		}
		order = append(order, id)
	}
	if len(order) != len(list) {
		ws.sortOrder(order)
	}
	if !slices.Equal(order, ws.order) {
		reordered = true
	}
	ws.order = order
	ws.recount()
	return reordered
}

// sortOrder sorts ids by stored name ignoring case, the store's order.
func (ws *workspace) sortOrder(order []int64) {
	slices.SortStableFunc(order, func(a, b int64) int {
		return strings.Compare(strings.ToLower(ws.entries[a].stored.Name), strings.ToLower(ws.entries[b].stored.Name))
	})
}

// recount tallies exposures over the effective settings.
func (ws *workspace) recount() {
	for _, e := range model.Exposures {
		ws.counts[e] = 0
	}
	for _, e := range ws.entries {
		ws.counts[model.ExposureOf(e.effective())]++
	}
}

// edit records w as the draft of its workflow. A draft that matches the
// stored row again (the user undid the change) is dropped, so the unsaved
// mark means there really is something to save.
func (ws *workspace) edit(w model.Workflow) {
	e, ok := ws.entries[w.ID]
	if !ok {
		return
	}
	ws.counts[model.ExposureOf(e.effective())]--
	ws.counts[model.ExposureOf(w)]++
	e.rev++
	if !e.gone && sameSettings(w, e.stored) {
		// Back to what the database holds (maybe after it moved on to
		// exactly what the user wanted): nothing to save.
		ws.setDraft(e, nil)
		e.stale = false
	} else {
		d := w
		if e.draft == nil {
			d.Version = e.stored.Version
		} else {
			d.Version = e.draft.Version
		}
		ws.setDraft(e, &d)
	}
}

// setDraft sets or clears the draft of e, keeping the drafted set true.
func (ws *workspace) setDraft(e *entry, d *model.Workflow) {
	ws.edits++
	e.draft = d
	if d == nil {
		delete(ws.drafted, e.stored.ID)
	} else {
		ws.drafted[e.stored.ID] = struct{}{}
	}
}

// discard drops the draft of workflow id; a workflow that was deleted
// elsewhere goes away with it. It reports whether anything was dropped.
func (ws *workspace) discard(id int64) bool {
	e, ok := ws.entries[id]
	if !ok || e.draft == nil {
		return false
	}
	if e.gone {
		ws.remove(id)
		return true
	}
	ws.setDraft(e, nil)
	e.stale = false
	e.rev++
	ws.recount()
	return true
}

// recordSave records that the draft taken at revision rev was saved as w.
// If the user kept editing meanwhile the draft stays, now based on the
// saved version.
func (ws *workspace) recordSave(id int64, rev int, w model.Workflow) {
	e, ok := ws.entries[id]
	if !ok {
		return
	}
	e.stored, e.gone = w, false
	if e.rev == rev || e.draft == nil {
		ws.setDraft(e, nil)
		e.stale = false
	} else {
		e.draft.Version = w.Version
		e.stale = false
	}
	ws.recount()
}

// takeTheirs replaces the stored row of id with theirs and drops the draft:
// the "reload theirs" answer to a conflict. A nil theirs (deleted) removes it.
func (ws *workspace) takeTheirs(id int64, theirs *model.Workflow) {
	e, ok := ws.entries[id]
	if !ok {
		return
	}
	if theirs == nil {
		ws.remove(id)
		return
	}
	ws.setDraft(e, nil)
	e.stored, e.stale, e.gone = *theirs, false, false
	e.rev++
	ws.recount()
}

// add inserts a workflow just created, in name order.
func (ws *workspace) add(w model.Workflow) {
	if _, ok := ws.entries[w.ID]; ok {
		return
	}
	ws.entries[w.ID] = &entry{stored: w}
	key := strings.ToLower(w.Name)
	i, _ := slices.BinarySearchFunc(ws.order, key, func(id int64, k string) int {
		return strings.Compare(strings.ToLower(ws.entries[id].stored.Name), k)
	})
	ws.order = slices.Insert(ws.order, i, w.ID)
	ws.counts[model.ExposureOf(w)]++
}

// remove forgets workflow id (deleted).
func (ws *workspace) remove(id int64) {
	if _, ok := ws.entries[id]; !ok {
		return
	}
	ws.forget(id)
	if i := slices.Index(ws.order, id); i >= 0 {
		ws.order = slices.Delete(ws.order, i, i+1)
	}
	ws.recount()
}

// forget drops entry id from the maps and counts (not from the order).
func (ws *workspace) forget(id int64) {
	if e := ws.entries[id]; e != nil && e.marked {
		ws.markCount--
	}
	delete(ws.entries, id)
	delete(ws.drafted, id)
}
