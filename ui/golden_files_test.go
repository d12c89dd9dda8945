package ui

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// Golden screens of issue 10: the Files page, and the token form with a
// scope being typed.

// minutePattern is a local time to the minute (the EXPIRES column).
var minutePattern = regexp.MustCompile(`\b\d{2}:\d{2}\b`)

// TestGoldenFiles shows two protected prefixes and three links as the
// editor's clock sees them 45 minutes after they were made: one with time
// left, one expired, one revoked.
func TestGoldenFiles(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	ctx := context.Background()
	addPrefix(t, s, "/fileupload/", "files users upload")
	addPrefix(t, s, "/exports/", "nightly CSV exports")
	made := time.Now().Truncate(time.Second)
	ocr := createLink(t, s, store.NewLink{Path: "/fileupload/invoices/2024-03.pdf", Name: "ocr-service", ExpiresAt: made.Add(2 * time.Hour)})
	audit := createLink(t, s, store.NewLink{Path: "/exports/q1.csv", Name: "auditor", ExpiresAt: made.Add(30 * time.Minute)})
	old := createLink(t, s, store.NewLink{Path: "/fileupload/avatars/42.png", ExpiresAt: made.Add(time.Hour)})
	require.NoError(t, s.RevokeLink(ctx, old.ID))
	c := &clock{t: made.Add(45 * time.Minute)}

	out := screenWith(t, s, Options{Now: c.now}, func(tm *teatest.TestModel) {
		press(tm, "6")
		settle(t, tm, "ocr-service")
	})
	out = normalize(out, map[string]string{ocr.ID: "lnk_XXXXXXXXXXXX", audit.ID: "lnk_YYYYYYYYYYYY", old.ID: "lnk_ZZZZZZZZZZZZ"})
	golden.RequireEqual(t, []byte(minutePattern.ReplaceAllString(out, "hh:mm")))
}

// TestGoldenScopedTokenForm shows the token form with a user token being
// scoped to two workflow patterns and one folder of private files.
func TestGoldenScopedTokenForm(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	addPrefix(t, s, "/fileupload/", "")
	out := screen(t, s, func(tm *teatest.TestModel) {
		press(tm, "4")
		settle(t, tm, "No API tokens yet")
		press(tm, "n", "shift+tab", "space", "tab")
		tm.Type("billing-app")
		press(tm, "tab")
		tm.Type("u_1042")
		press(tm, "tab")
		tm.Type("30d")
		press(tm, "tab", "backspace")
		tm.Type("send-*, update-profile")
		press(tm, "tab")
		tm.Type("/fileupload/invoices/")
		settle(t, tm, "1 pattern under")
	})
	golden.RequireEqual(t, []byte(out))
}
