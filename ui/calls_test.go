package ui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// callsMinute is the first minute of the recorded calls.
var callsMinute = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

// callsApp is goldenApp with two tokens and five counts over three
// minutes, as `flowgate serve` would have recorded them: a token's calls,
// a denied token, a share link's file, a name that is no workflow, and an
// anonymous call. It returns the two tokens' ids.
func callsApp(t *testing.T, s *store.Store) (ciDeploy, mobileApp string) {
	t.Helper()
	goldenApp(t, s)
	ctx := context.Background()
	_, ci, err := s.CreateToken(ctx, store.NewToken{Kind: model.TokenAdmin, Name: "ci-deploy"})
	require.NoError(t, err)
	_, mobile, err := s.CreateToken(ctx, store.NewToken{Kind: model.TokenUser, Name: "mobile-app", UserID: "u_1042"})
	require.NoError(t, err)
	at := func(min, sec int) time.Time {
		return callsMinute.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
	}
	var calls []store.Call
	for sec := 5; sec <= 45; sec += 20 {
		calls = append(calls, store.Call{At: at(0, sec), Workflow: "send-invoice", TokenID: ci.ID, Via: "proxy", Status: 200, RemoteAddr: "10.0.0.7"})
	}
	calls = append(calls,
		store.Call{At: at(1, 10), Workflow: "send-invoice", TokenID: mobile.ID, Via: "auth", Status: 403,
			Code: model.CodeInsufficientScope, RemoteAddr: "203.0.113.9"},
		store.Call{At: at(1, 30), Workflow: "/fileupload/", LinkID: "lnk_AAAAAAAAAAAA", Via: "proxy", Status: 200,
			RemoteAddr: "198.51.100.4", Count: 2, FirstAt: at(1, 20), LastAt: at(1, 30)},
		store.Call{At: at(2, 1), Workflow: "-", Via: "nginx-auth", Status: 404, Code: model.CodeNotFound,
			RemoteAddr: "192.0.2.66", Count: 7, FirstAt: at(2, 1), LastAt: at(2, 40)},
		store.Call{At: at(2, 50), Workflow: "login", Via: "middleware", Status: 200, RemoteAddr: "10.0.0.8"},
	)
	require.NoError(t, s.RecordCalls(ctx, calls))
	return ci.ID, mobile.ID
}

// cutTokenID is a token's id as a narrow TOKEN column cuts it (the
// field, or anywhere on the screen).
var (
	cutTokenID  = regexp.MustCompile(`^\(tok_\w*…$`)
	cutTokenIDs = regexp.MustCompile(`tok_\w*…`)
)

// callRows are the grid's rows on screen, each as its fields, token ids
// cut to "(tok_…".
func callRows(d *driver) [][]string {
	var rows [][]string
	for _, line := range strings.Split(d.view(), "\n") {
		if f := strings.Fields(strings.TrimPrefix(line, "›")); len(f) > 3 && minutePattern.MatchString(f[1]) && datePattern.MatchString(f[0]) {
			for i := range f {
				f[i] = cutTokenID.ReplaceAllString(f[i], "(tok_…")
			}
			rows = append(rows, f[2:])
		}
	}
	return rows
}

func TestTheCallsPageShowsPerMinuteCountsNewestFirstWithTokenNames(t *testing.T) {
	s := openStore(t)
	ci, mobile := callsApp(t, s)
	d := newDriver(t, s).keys("5")
	assert.Equal(t, [][]string{
		{"login", "anonymous", "200", "1", "middleware"},
		{"-", "anonymous", "404", "not_found", "7", "nginx-auth"},
		{"/fileupload/", "lnk_AAAAAAAAAAAA", "200", "2", "proxy"},
		{"send-invoice", "mobile-app", "(tok_…", "403", "insufficient_scope", "1", "auth"},
		{"send-invoice", "ci-deploy", "(tok_…", "200", "3", "proxy"},
	}, callRows(d), "at 100 columns the token's id is cut; the detail shows it whole")
	assert.Contains(t, d.view(), callsMinute.Add(2*time.Minute).Local().Format(minuteLayout), "the minute, local")

	// The selected count in full, with the last caller of its minute.
	d.keys("G")
	assert.Contains(t, d.view(), "send-invoice · token ci-deploy ("+ci+") · 200 · via proxy")
	d.keys("k")
	assert.Contains(t, d.view(), "send-invoice · token mobile-app ("+mobile+") · 403 insufficient_scope · via auth")
	d.keys("g", "j")
	assert.Contains(t, d.view(), "7 calls between "+callsMinute.Add(2*time.Minute+time.Second).Local().Format(timeLayout)+
		" and "+callsMinute.Add(2*time.Minute+40*time.Second).Local().Format("15:04:05")+", the last from 192.0.2.66")
}

func TestTheCallsFilterNarrowsTheRowsAsItIsTypedAndEscClearsIt(t *testing.T) {
	s := openStore(t)
	callsApp(t, s)
	d := newDriver(t, s).keys("5", "/")
	require.True(t, d.m.keys.ClearFilter.Enabled())
	assert.False(t, d.m.keys.Quit.Enabled(), "q is a letter while the filter is typed")

	d.typeText("invoice")
	rows := callRows(d)
	require.Len(t, rows, 2)
	assert.Equal(t, "send-invoice", rows[0][0])
	assert.Contains(t, d.view(), "2 of 5")

	// Global keys are letters of the filter: 1 and q neither switch nor quit.
	d.keys("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace").typeText("q1")
	assert.Equal(t, pageCalls, d.m.active)
	assert.False(t, d.quit)
	assert.Empty(t, callRows(d), "nothing matches q1")

	// Token names, link ids and codes match too, ignoring case.
	for query, want := range map[string]int{"CI-DEPLOY": 1, "lnk_": 1, "insufficient": 1, "404": 1, "200": 3} {
		d.keys("esc", "/").typeText(query)
		assert.Len(t, callRows(d), want, query)
	}

	// enter keeps the filter; esc then drops it before it goes back.
	d.keys("esc", "/").typeText("invoice").keys("enter")
	assert.False(t, d.m.pages[pageCalls].capturing())
	assert.Len(t, callRows(d), 2)
	d.keys("esc")
	assert.Len(t, callRows(d), 5)
	assert.Equal(t, pageCalls, d.m.active)
	d.keys("esc")
	assert.Equal(t, pageWorkflows, d.m.active)
}

func TestEnterOnACallOpensItsWorkflowAndSaysWhenThereIsNone(t *testing.T) {
	s := openStore(t)
	callsApp(t, s)
	d := newDriver(t, s).keys("5", "enter")
	assert.Equal(t, pageWorkflows, d.m.active)
	assert.Equal(t, "login", d.workflows().panel.w.Name)

	d.keys("5", "j", "enter")
	assert.Equal(t, pageCalls, d.m.active)
	assert.Contains(t, d.view(), "No workflow to open: these calls named no workflow that exists.")
	d.keys("j", "enter")
	assert.Contains(t, d.view(), "No workflow to open: these are calls for private files under /fileupload/.")

	d.keys("j", "enter")
	assert.Equal(t, pageWorkflows, d.m.active)
	assert.Equal(t, "send-invoice", d.workflows().panel.w.Name)

	// Through the filter: enter opens the row the filter left under the cursor.
	d.keys("5", "/").typeText("LOGIN").keys("enter", "enter")
	assert.Equal(t, pageWorkflows, d.m.active)
	assert.Equal(t, "login", d.workflows().panel.w.Name)
}

// TestGoldenCalls shows the Calls page with the second count selected.
func TestGoldenCalls(t *testing.T) {
	s := openStore(t)
	ci, mobile := callsApp(t, s)
	out := screen(t, s, func(tm *teatest.TestModel) {
		press(tm, "5")
		settle(t, tm, "mobile-app")
		press(tm, "j")
	})
	out = normalize(out, map[string]string{ci: "tok_XXXXXXXXXXXX", mobile: "tok_YYYYYYYYYYYY"})
	out = cutTokenIDs.ReplaceAllStringFunc(out, func(id string) string { // as cut by the TOKEN column
		return "tok_" + strings.Repeat("X", utf8.RuneCountInString(id)-utf8.RuneCountInString("tok_…")) + "…"
	})
	golden.RequireEqual(t, []byte(minutePattern.ReplaceAllString(out, "hh:mm")))
}

// At 140 columns the whole token id and the last remote have room.
func TestAWideCallsPageShowsTheWholeTokenAndTheLastRemote(t *testing.T) {
	s := openStore(t)
	ci, _ := callsApp(t, s)
	d := newDriver(t, s).keys("5")
	assert.NotContains(t, d.view(), "LAST REMOTE", "no room at 100 columns")
	d.send(teaSize(140, 30))
	assert.Contains(t, d.view(), "LAST REMOTE")
	assert.Regexp(t, `send-invoice +ci-deploy \(`+ci+`\) +200 +3 +proxy +10\.0\.0\.7`, d.view())
}

// A poll that brings a newer minute leaves the cursor on the count it was
// on, so enter still opens the workflow the user chose.
func TestANewerMinuteLeavesTheCursorOnTheSameCount(t *testing.T) {
	s := openStore(t)
	callsApp(t, s)
	d := newDriver(t, s).keys("5", "g")
	require.NoError(t, s.RecordCalls(context.Background(), []store.Call{
		{At: callsMinute.Add(5 * time.Minute), Workflow: "update-profile", Via: "proxy", Status: 401, Code: model.CodeMissingToken},
	}))
	for range callsRefreshPolls {
		d.send(pollMsg{})
	}
	require.Len(t, callRows(d), 6, "the newer minute was read")
	assert.Equal(t, "update-profile", callRows(d)[0][0])
	d.keys("enter")
	assert.Equal(t, "login", d.workflows().panel.w.Name)
}

// Workflow names recorded before names were checked are whatever a caller
// sent: no escape sequence or bidi override in them reaches the terminal.
func TestRecordedTextCannotRewriteTheScreen(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	require.NoError(t, s.RecordCalls(context.Background(), []store.Call{
		{At: callsMinute, Workflow: "\x1b[2J\x1b]0;pwned\x07evil\u202eftp", Via: "proxy", Status: 404, Code: "not_found", RemoteAddr: "\x1b[31m1.2.3.4"},
	}))
	d := newDriver(t, s).keys("5")
	raw := d.m.View()
	for _, bad := range []string{"\x1b[2J", "\x1b]0;", "\x07", "\u202e", "\x1b[31m1"} {
		assert.NotContains(t, raw, bad)
	}
	assert.Contains(t, d.view(), "\ufffd[2J\ufffd]0;pwned\ufffdevil\ufffdftp")
}
