package ui

import (
	"context"
	"time"

	"flowgate/model"
	"flowgate/store"
)

// The panel's impact line: while a workflow has unsaved edits, what the
// edited settings would have done to its calls of the last 30 days (the
// same model.ImpactOf that `flowgate set --dry-run` prints), so the fear of
// breaking a forgotten caller is answered before saving, not after.

// draftImpact is the impact of the draft the panel shows, computed when
// the panel is given a workflow or a fresh read of the call record, so
// that View only draws it.
type draftImpact struct {
	// traffic is the call record read with the tokens; nil until read.
	traffic *model.Traffic
	// line is the impact of the shown draft; "" when there is no draft.
	line string
	// warn: the draft denies recorded callers, or its impact is unknown.
	warn bool
}

// update computes the impact of e's draft, if it has one.
func (d *draftImpact) update(e *entry) {
	d.line, d.warn = "", false
	if e == nil || e.draft == nil || d.traffic == nil {
		return
	}
	im := model.ImpactOf(e.stored, *e.draft, *d.traffic)
	d.line, d.warn = "If saved: "+im.String(), !im.Known() || len(im.Denied) > 0 || len(im.Unknown) > 0
}

// refreshImpact recomputes the impact after a fresh read of the call
// record, if e is the workflow the panel shows.
func (p *panel) refreshImpact(e *entry) {
	if p.has && p.bulk == nil && e != nil && e.stored.ID == p.w.ID {
		p.impact.update(e)
	}
}

// readTraffic reads the call record of the last model.TrafficWindow, for
// grantsCmd, which reads the tokens it is replayed with.
func readTraffic(ctx context.Context, s *store.Store, grants []model.TokenGrant) (*model.Traffic, error) {
	t, err := s.Traffic(ctx, grants, model.TrafficWindow, time.Now())
	if err != nil {
		return nil, err
	}
	return &t, nil
}
