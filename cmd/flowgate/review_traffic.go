package main

import (
	"context"
	"time"

	"flowgate/model"
	"flowgate/store"
)

// loadTraffic reads what the impact preview and the tighten-from-traffic
// rule replay: the call record of the last model.TrafficWindow summed per
// workflow and caller, where the record starts, and the tokens that made
// the calls (their kind and scope as they are now).
func loadTraffic(ctx context.Context, s *store.Store) (model.Traffic, error) {
	toks, err := s.ListTokens(ctx)
	if err != nil {
		return model.Traffic{}, dbError(err)
	}
	traffic, err := s.Traffic(ctx, tokenGrants(toks), model.TrafficWindow, time.Now())
	if err != nil {
		return model.Traffic{}, dbError(err)
	}
	return traffic, nil
}

// trafficFindings are the tighten-from-traffic findings for ws: the
// workflows whose recorded callers would all pass a stricter
// Authentication.
func trafficFindings(ctx context.Context, s *store.Store, ws []model.Workflow) ([]model.Finding, error) {
	traffic, err := loadTraffic(ctx, s)
	if err != nil {
		return nil, err
	}
	return model.TightenFromTraffic(ws, traffic), nil
}
