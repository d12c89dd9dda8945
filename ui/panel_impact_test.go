package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

func TestPanelShowsTheImpactOfUnsavedEditsOnRecordedCalls(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "get-orders", public: true, auth: model.AuthUser})
	create(t, s, spec{name: "quiet", public: true, auth: model.AuthUser})
	ctx := context.Background()
	_, tok, err := s.CreateToken(ctx, store.NewToken{Kind: model.TokenUser, Name: "mobile-app", UserID: "u1"})
	require.NoError(t, err)
	require.NoError(t, s.RecordCalls(ctx, []store.Call{
		{At: time.Now().Add(-time.Hour), Workflow: "get-orders", TokenID: tok.ID, Via: "proxy", Status: 200, Count: 1204},
	}))
	d := newDriver(t, s).selectName("get-orders")
	assert.NotContains(t, d.view(), "If saved", "no draft, no impact line")

	d.keys("tab", "down", "enter", "down", "enter") // Authentication: Admin only
	require.Contains(t, d.view(), "[Admin only ▾]")
	assert.Contains(t, oneLine(d.view()), "If saved: would have denied 1,204 calls from 1 user token (mobile-app) in the last")

	d.keys("shift+tab")
	d.selectName("quiet").keys("tab", "down", "enter", "down", "enter")
	assert.Contains(t, oneLine(d.view()), "If saved: no calls recorded in the last")
	assert.Contains(t, oneLine(d.view()), "the impact is unknown")
}

// oneLine is the screen's text with the panes' borders dropped and its
// lines joined, for sentences that wrap at the panel's edge.
func oneLine(view string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("│", " ", "┃", " ").Replace(view)), " ")
}
