package ui

// Marks: the workflows chosen for a bulk edit. While any are marked the
// panel edits all of them at once (panel_bulk.go), each change becoming a
// draft of every marked workflow, and ctrl+s saves the drafts in one
// transaction. Marks are the user's choice, not data: a fresh read of the
// database keeps them, and a workflow deleted elsewhere takes its mark
// with it.

// toggleMark marks workflow id, or unmarks it when marked. It reports
// whether id is marked now.
func (ws *workspace) toggleMark(id int64) bool {
	e, ok := ws.entries[id]
	if !ok {
		return false
	}
	e.marked = !e.marked
	if e.marked {
		ws.markCount++
	} else {
		ws.markCount--
	}
	return e.marked
}

// unmarkAll clears every mark and returns the entries that were marked.
func (ws *workspace) unmarkAll() []*entry {
	out := ws.markedEntries()
	for _, e := range out {
		e.marked = false
	}
	ws.markCount = 0
	return out
}

// markedEntries are the marked workflows in display order.
func (ws *workspace) markedEntries() []*entry {
	if ws.markCount == 0 {
		return nil
	}
	out := make([]*entry, 0, ws.markCount)
	for _, id := range ws.order {
		if e := ws.entries[id]; e.marked {
			out = append(out, e)
		}
	}
	return out
}
