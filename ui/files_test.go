package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// The Files page: protected prefixes, share links counting down, a link
// created through the page (its URL shown once), revoked after a question.

// clock is a test clock that moves only when told.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func addPrefix(t testing.TB, s *store.Store, prefix, desc string) {
	t.Helper()
	_, err := s.AddPrefix(context.Background(), prefix, desc)
	require.NoError(t, err)
}

func createLink(t testing.TB, s *store.Store, nl store.NewLink) store.Link {
	t.Helper()
	_, l, err := s.CreateLink(context.Background(), nl)
	require.NoError(t, err)
	return l
}

func listLinks(t testing.TB, s *store.Store) []store.Link {
	t.Helper()
	links, err := s.ListLinks(context.Background())
	require.NoError(t, err)
	return links
}

func TestCreatingALinkThroughTheFilesPageWritesItAndShowsTheURLOnce(t *testing.T) {
	s := openStore(t)
	addPrefix(t, s, "/fileupload/", "uploads")
	d := newDriver(t, s).keys("6")
	assert.Contains(t, d.view(), "/fileupload/  uploads")
	assert.Contains(t, d.view(), "n new link")

	d.keys("n")
	require.IsType(t, linkForm{}, d.m.dialog)
	assert.Contains(t, d.view(), "the one file it opens, under /fileupload/", "the path starts at the prefix, not yet a mistake")
	assert.NotContains(t, d.view(), "not a folder")
	d.typeText("invoices/march.pdf").keys("tab").typeText("ocr-service").keys("tab").typeText("2h")
	before := time.Now()
	d.keys("enter")

	dlg, ok := d.m.dialog.(secretDialog)
	require.True(t, ok, "the URL is shown")
	url, secret, found := strings.Cut(dlg.secret, "?fg_link=")
	require.True(t, found, dlg.secret)
	assert.Equal(t, "/fileupload/invoices/march.pdf", url)
	assert.True(t, model.WellFormedLink(secret))
	v := d.view()
	assert.Contains(t, v, dlg.secret)
	assert.Contains(t, v, "only time it is shown")
	assert.Contains(t, v, "select it with the mouse", "a copy hint")

	links := listLinks(t, s)
	require.Len(t, links, 1)
	l := links[0]
	assert.Equal(t, "/fileupload/invoices/march.pdf", l.Path)
	assert.Equal(t, "ocr-service", l.Name)
	assert.WithinDuration(t, before.Add(2*time.Hour), l.ExpiresAt, time.Minute)
	// The URL is the link the checker will take: its hash is the stored one.
	snap, err := s.ReadSnapshot(context.Background())
	require.NoError(t, err)
	require.Len(t, snap.Links, 1)
	assert.Equal(t, model.HashToken(secret), snap.Links[0].Hash)

	d.keys("enter")
	assert.Nil(t, d.m.dialog)
	assert.NotContains(t, d.view(), secret, "never shown again")
	assert.NotContains(t, d.m.status, secret, "nor in the status line")
	assert.Contains(t, d.view(), "ocr-service")
	assert.Contains(t, d.view(), l.ID)
}

func TestLinkFormRefusesWhatTheStoreWouldAndWritesNothing(t *testing.T) {
	s := openStore(t)
	addPrefix(t, s, "/fileupload/", "")
	d := newDriver(t, s).keys("6", "n")
	for range len("/fileupload/") {
		d.keys("backspace")
	}
	d.typeText("/etc/passwd")
	assert.Contains(t, d.view(), "not under a protected prefix", "said while typing")
	d.keys("enter")
	assert.IsType(t, linkForm{}, d.m.dialog, "the form stays open")
	assert.Empty(t, listLinks(t, s))

	for range len("/etc/passwd") {
		d.keys("backspace")
	}
	d.typeText("/fileupload/").keys("enter")
	assert.Contains(t, d.view(), "not a folder", "a link opens one file")
	d.typeText("a.pdf").keys("tab", "tab").typeText("8d")
	assert.Contains(t, d.view(), "at most 7d")
	d.keys("enter")
	assert.Empty(t, listLinks(t, s))

	d.keys("backspace", "backspace").typeText("7d").keys("enter")
	assert.IsType(t, secretDialog{}, d.m.dialog)
	assert.Len(t, listLinks(t, s), 1)
}

func TestRevokingALinkAsksFirst(t *testing.T) {
	s := openStore(t)
	addPrefix(t, s, "/fileupload/", "")
	l := createLink(t, s, store.NewLink{Path: "/fileupload/a.pdf", Name: "auditor"})
	d := newDriver(t, s).keys("6")
	require.True(t, d.m.keys.Revoke.Enabled())

	d.keys("x")
	assert.Contains(t, d.view(), "Revoke the link to /fileupload/a.pdf?")
	d.keys("n")
	assert.Nil(t, d.m.dialog)
	assert.Nil(t, listLinks(t, s)[0].RevokedAt, "no: nothing revoked")

	d.keys("x", "j") // a stray key confirms nothing
	assert.Nil(t, listLinks(t, s)[0].RevokedAt)
	d.keys("y")
	assert.NotNil(t, listLinks(t, s)[0].RevokedAt)
	assert.Contains(t, d.view(), "Revoked the link to /fileupload/a.pdf")
	assert.Contains(t, d.view(), "revoked")
	assert.False(t, d.m.keys.Revoke.Enabled(), "nothing left to revoke")
	assert.NotContains(t, d.view(), "x revoke")
	_ = l
}

func TestLinkExpiryCountsDownWhileThePageIsShown(t *testing.T) {
	s := openStore(t)
	addPrefix(t, s, "/fileupload/", "")
	c := &clock{t: time.Now()}
	createLink(t, s, store.NewLink{Path: "/fileupload/a.pdf", ExpiresAt: c.t.Add(90 * time.Second)})
	d := newDriverWith(t, s, Options{PollInterval: -1, Now: c.now}).keys("6")
	assert.Contains(t, d.view(), "1m 30s")

	c.t = c.t.Add(31 * time.Second)
	d.send(pollMsg{}) // the clock, while the page is on screen
	assert.Contains(t, d.view(), "59s")
	assert.True(t, d.m.keys.Revoke.Enabled())

	c.t = c.t.Add(59 * time.Second)
	d.send(pollMsg{})
	assert.Contains(t, d.view(), "expired")
	assert.False(t, d.m.keys.Revoke.Enabled(), "an expired link opens nothing already")
}

func TestWithoutAPrefixThereIsNoNewLinkKey(t *testing.T) {
	s := openStore(t)
	d := newDriver(t, s).keys("6")
	assert.False(t, d.m.keys.NewLink.Enabled())
	assert.NotContains(t, d.view(), "new link")
	assert.Contains(t, d.view(), "flowgate files add")
	d.keys("n")
	assert.Nil(t, d.m.dialog)
}

// The new screens fit small terminals: nothing wraps or runs over.
func TestFilesPageAndFormsFitSmallTerminals(t *testing.T) {
	s := openStore(t)
	for _, p := range []string{"/fileupload/", "/exports/", "/private/a/", "/private/b/", "/private/c/"} {
		addPrefix(t, s, p, "a description that goes on for a while, longer than the screen is wide at all")
	}
	for i := range 30 {
		createLink(t, s, store.NewLink{Path: "/fileupload/" + strings.Repeat("deep/", 10) + "file.pdf", Name: "link-" + string(rune('a'+i%26))})
	}
	for _, size := range [][2]int{{80, 24}, {60, 12}} {
		d := newDriver(t, s)
		d.send(teaSize(size[0], size[1]))
		fits := func(what string) {
			t.Helper()
			lines := strings.Split(d.view(), "\n")
			assert.Len(t, lines, size[1], what)
			for _, l := range lines {
				assert.LessOrEqual(t, ansi.StringWidth(l), size[0], "%s: %s", what, l)
			}
		}
		d.keys("6")
		fits("files page")
		d.keys("n")
		fits("link form")
		d.typeText("x.pdf").keys("enter")
		fits("link URL")
		d.keys("enter", "4", "n")
		fits("token form")
	}
}

// A file name with a space or '#' would end or break the URL: the path is
// escaped as the CLI escapes it, and the checker decodes it back.
func TestTheLinkURLEscapesThePath(t *testing.T) {
	s := openStore(t)
	addPrefix(t, s, "/fileupload/", "")
	d := newDriver(t, s).keys("6", "n").typeText("March #3 report.pdf").keys("enter")
	dlg, ok := d.m.dialog.(secretDialog)
	require.True(t, ok)
	assert.True(t, strings.HasPrefix(dlg.secret, "/fileupload/March%20%233%20report.pdf?fg_link=fgl_"), dlg.secret)
	assert.Equal(t, "/fileupload/March #3 report.pdf", listLinks(t, s)[0].Path, "the store keeps the decoded path")
}
