package ui

import (
	"fmt"
	"net/url"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"flowgate/model"
	"flowgate/store"
)

// filesPage shows the private files: the protected prefixes (added with
// `flowgate files add`) and the share links, each with its expiry counting
// down while the page is on screen, expired and revoked ones too. n
// creates a link, whose URL is shown once; x revokes one after asking.
// Its commands are in files_cmds.go, the link form in linkform.go.
type filesPage struct {
	gridPage
	prefixes []store.Prefix
	links    []store.Link
	// shownAt is the second the rows' countdowns were computed for; the
	// clock redraws them when it moves on.
	shownAt time.Time
}

// Link states as the EXPIRES IN column shows them.
var (
	linkExpired = model.TokenExpired.String()
	linkRevoked = model.TokenRevoked.String()
)

func newFilesPage(c *common) page {
	state := func(v string) (lipgloss.Style, bool) {
		if v == linkExpired || v == linkRevoked {
			return c.st.Deny, true
		}
		return c.st.Allow, true
	}
	p := &filesPage{gridPage: gridPage{common: c, grid: newGrid(c.st, "",
		column{title: "NAME", width: 18},
		column{title: "PATH"},
		column{title: "EXPIRES IN", width: 10, style: state},
		column{title: "EXPIRES", width: 16, optional: true},
		column{title: "LAST USED", width: 10, optional: true},
	)}}
	p.parts = p.prefixesAndDetail
	p.set(nil, nil)
	return p
}

func (p *filesPage) Update(msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg, storeChangedMsg:
		return p, p.load()
	case pollMsg:
		// The clock, while the page is on screen: count down.
		if now := p.now().Truncate(time.Second); !now.Equal(p.shownAt) {
			p.set(p.prefixes, p.links)
		}
	case filesLoadedMsg:
		if p.answered(msg.seq, msg.err) {
			p.set(msg.prefixes, msg.links)
		}
	case createLinkMsg:
		return p, createLinkCmd(p.ctx, p.store, msg.nl)
	case linkCreatedMsg:
		return p, p.created(msg)
	case confirmRevokeLinkMsg:
		return p, revokeLinkCmd(p.ctx, p.store, msg.link)
	case linkRevokedMsg:
		return p, p.revoked(msg.err, "Revoked the link to "+msg.link.Path+": it opens nothing any more.", p.load)
	case tea.KeyMsg:
		p.handleKey(msg)
	}
	return p, nil
}

func (p *filesPage) handleKey(k tea.KeyMsg) {
	switch {
	case key.Matches(k, p.keys.NewLink):
		p.dialog = newLinkForm(p.st, p.keys, p.now, prefixStrings(p.prefixes))
	case key.Matches(k, p.keys.Revoke):
		if l, ok := p.revocable(); ok {
			p.revokeQuestion("Revoke the link to "+l.Path+"?",
				fmt.Sprintf("The link %s (%s) stops opening %s from the next request on, "+
					"though it had %s left. It stays listed as revoked; this cannot be undone.",
					linkName(l), l.ID, l.Path, countdown(l.ExpiresAt.Sub(p.now()))),
				confirmRevokeLinkMsg{link: l})
		}
	default:
		p.handleGridKey(k)
	}
}

// created shows a new link's URL, once; a refusal goes back to the form,
// still open, so the value can be corrected.
func (p *filesPage) created(msg linkCreatedMsg) tea.Cmd {
	if msg.err != nil {
		p.refused(msg.err, "Link")
		return nil
	}
	l := msg.link
	p.dialog = secretDialog{st: p.st, km: p.keys, url: true,
		title:  fmt.Sprintf("New share link %s (%s)", linkName(l), l.ID),
		secret: linkURL(l.Path, msg.secret),
		warning: fmt.Sprintf("It opens %s, and nothing else, for GET and HEAD until %s (in %s). Put your app's address "+
			"in front of it. Copy it now: this is the only time it is shown; flowgate keeps only its hash. "+
			"To copy, select it with the mouse (hold shift if the terminal will not let you).",
			l.Path, l.ExpiresAt.Local().Format(timeLayout), countdown(l.ExpiresAt.Sub(p.now())))}
	p.setStatus(statusOK, fmt.Sprintf("Created share link %s to %s.", l.ID, l.Path))
	return p.load()
}

// linkURL is the link as it travels: the path, escaped as a URL path (a
// space or '#' in a file name would otherwise end or break it), then the
// secret, exactly as `flowgate link create` prints it.
func linkURL(path, secret string) string {
	return (&url.URL{Path: path}).EscapedPath() + "?fg_link=" + secret
}

// linkName is a link's name for sentences, or "without a name".
func linkName(l store.Link) string {
	if l.Name == "" {
		return "without a name"
	}
	return fmt.Sprintf("%q", l.Name)
}

// set shows the prefixes and links, with the countdowns as of now.
func (p *filesPage) set(prefixes []store.Prefix, links []store.Link) {
	p.prefixes, p.links = prefixes, links
	now := p.now()
	p.shownAt = now.Truncate(time.Second)
	rows := make([][]string, len(links))
	for i, l := range links {
		name := l.Name
		if name == "" {
			name = "—"
		}
		rows[i] = []string{name, l.Path, linkState(l, now), l.ExpiresAt.Local().Format("2006-01-02 15:04"),
			shortDate(l.LastUsedAt, "never")}
	}
	p.grid.empty = "No share links yet: press n to create one."
	if len(prefixes) == 0 {
		p.grid.empty = "No share links: a link opens a file under a protected prefix, and there is none yet."
	}
	p.grid.setRows(rows)
}

// linkState is what the EXPIRES IN column says: the time left, or why
// the link no longer works.
func linkState(l store.Link, now time.Time) string {
	if s := model.TokenStatus(&l.ExpiresAt, l.RevokedAt, now); s != model.TokenActive {
		return s.String()
	}
	return countdown(l.ExpiresAt.Sub(now))
}

// countdown prints a time left to the second while it is under an hour,
// coarser above: "6d 23h", "1h 05m", "4m 09s", "12s".
func countdown(d time.Duration) string {
	d = max(0, d.Truncate(time.Second))
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd %02dh", d/(24*time.Hour), d%(24*time.Hour)/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh %02dm", d/time.Hour, d%time.Hour/time.Minute)
	case d >= time.Minute:
		return fmt.Sprintf("%dm %02ds", d/time.Minute, d%time.Minute/time.Second)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}

// selected is the link under the cursor.
func (p *filesPage) selected() (store.Link, bool) {
	i := p.grid.selected()
	if i < 0 {
		return store.Link{}, false
	}
	return p.links[i], true
}

// revocable is the selected link if it still works: revoking one that
// expired or was revoked would change nothing.
func (p *filesPage) revocable() (store.Link, bool) {
	l, ok := p.selected()
	return l, ok && model.TokenStatus(&l.ExpiresAt, l.RevokedAt, p.now()) == model.TokenActive
}

// maxPrefixLines bounds the prefix list above the links; `flowgate files
// list` has them all.
const maxPrefixLines = 4

// linkDetailRows is the room under the grid for the selected link.
const linkDetailRows = 2

// prefixesAndDetail are the protected prefixes above the grid and the
// selected link's details below it.
func (p *filesPage) prefixesAndDetail() (above, below string) {
	st := p.st
	lines := []string{st.Heading.Render("Protected prefixes")}
	if len(p.prefixes) == 0 {
		lines = append(lines, "  "+st.Dim.Render("None yet: protect a folder with `flowgate files add /fileupload/`."))
	}
	width := 0
	for _, pr := range p.prefixes {
		width = max(width, lipgloss.Width(pr.Prefix))
	}
	for i, pr := range p.prefixes {
		if i == maxPrefixLines-1 && len(p.prefixes) > maxPrefixLines {
			lines = append(lines, "  "+st.Dim.Render(fmt.Sprintf("… and %d more: `flowgate files list`", len(p.prefixes)-i)))
			break
		}
		lines = append(lines, "  "+fit(pr.Prefix, width)+"  "+st.Dim.Render(pr.Description))
	}
	lines = append(lines, "", st.Heading.Render("Share links"))
	var detail []string
	if l, ok := p.selected(); ok {
		detail = append(detail, st.Dim.Render(fmt.Sprintf("%s · id %s · created %s",
			l.Path, l.ID, l.CreatedAt.Local().Format(timeLayout))))
		more := "expires " + l.ExpiresAt.Local().Format(timeLayout) + " · never used"
		if l.LastUsedAt != nil {
			more = "expires " + l.ExpiresAt.Local().Format(timeLayout) + " · last used " + formatTime(l.LastUsedAt, "")
		}
		if l.RevokedAt != nil {
			more += " · revoked " + formatTime(l.RevokedAt, "")
		}
		detail = append(detail, st.Dim.Render(more))
	}
	return fitLines(lines, p.width, 0), detailBlock(detail, p.width, linkDetailRows)
}

func (p *filesPage) syncKeys() {
	p.enableGridKeys()
	p.keys.NewLink.SetEnabled(len(p.prefixes) > 0)
	_, ok := p.revocable()
	p.keys.Revoke.SetEnabled(ok)
}

func (p *filesPage) ShortHelp() []key.Binding {
	k := p.keys
	return []key.Binding{k.Up, k.Down, k.NewLink, k.Revoke, k.Back, k.Help, k.Quit}
}

func (p *filesPage) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.NewLink, k.Revoke}, k.Tabs, {k.Save, k.Back, k.Help, k.Quit}}
}
