package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"flowgate/model"
)

// Styles is every look the editor uses, built once by DefaultStyles so that
// View never builds a style. Colours are the terminal's 16 ANSI colours, so
// they follow the user's theme without asking the terminal for its
// background; with NO_COLOR (or a dumb terminal) lipgloss drops them and
// the text alone still says everything: badges are words and the selection
// and focus are marked with characters.
type Styles struct {
	Header, Title, Tab, ActiveTab, Path lipgloss.Style
	Counts                              lipgloss.Style

	// Pane and FocusedPane frame the list and the panel; the focused one
	// also changes its border shape so focus shows without colour.
	Pane, FocusedPane lipgloss.Style
	PaneTitle         lipgloss.Style

	// Badges are pre-rendered, fixed-width exposure badges for list rows.
	Badges       map[model.Exposure]string
	Name         lipgloss.Style
	SelectedName lipgloss.Style
	Method       lipgloss.Style
	UnsavedMark  string
	StaleMark    string
	MigratedMark string
	// MarkedMark goes before the name of a workflow marked for a bulk
	// edit; Marked is the header's "N marked".
	MarkedMark string
	Marked     lipgloss.Style

	Heading     lipgloss.Style
	Label       lipgloss.Style
	FocusLabel  lipgloss.Style
	Value       lipgloss.Style
	Dim         lipgloss.Style
	Option      lipgloss.Style
	FocusOption lipgloss.Style
	OptionHelp  lipgloss.Style
	Allow, Deny lipgloss.Style
	Warning     lipgloss.Style
	Unsaved     lipgloss.Style

	StatusInfo, StatusOK, StatusError lipgloss.Style

	Dialog      lipgloss.Style
	DialogTitle lipgloss.Style
	Secret      lipgloss.Style
	Changed     lipgloss.Style

	TableHeader lipgloss.Style
	SelectedRow lipgloss.Style
	Severity    map[model.Severity]lipgloss.Style

	Help help.Styles
}

// ANSI colours by number: they adapt to the user's terminal theme.
const (
	colorRed     = lipgloss.Color("1")
	colorGreen   = lipgloss.Color("2")
	colorYellow  = lipgloss.Color("3")
	colorBlue    = lipgloss.Color("4")
	colorMagenta = lipgloss.Color("5")
	colorCyan    = lipgloss.Color("6")
	colorGray    = lipgloss.Color("8")
)

// badgeWidth fits the longest badge, SCHEDULED.
const badgeWidth = 9

// DefaultStyles builds the editor's styles.
func DefaultStyles() *Styles {
	s := &Styles{}
	s.Header = lipgloss.NewStyle()
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(colorMagenta)
	s.Tab = lipgloss.NewStyle().Foreground(colorGray)
	s.ActiveTab = lipgloss.NewStyle().Bold(true).Underline(true)
	s.Path = lipgloss.NewStyle().Foreground(colorGray)
	s.Counts = lipgloss.NewStyle().Foreground(colorCyan)

	s.Pane = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorGray)
	s.FocusedPane = lipgloss.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(colorMagenta)
	s.PaneTitle = lipgloss.NewStyle().Bold(true)

	badge := lipgloss.NewStyle().Width(badgeWidth).Bold(true)
	s.Badges = map[model.Exposure]string{
		model.ExposureScheduled: badge.Bold(false).Faint(true).Render("SCHEDULED"),
		model.ExposureOpen:      badge.Foreground(colorRed).Render("OPEN"),
		model.ExposureUsers:     badge.Foreground(colorYellow).Render("USERS"),
		model.ExposureAdmins:    badge.Foreground(colorGreen).Render("ADMINS"),
	}
	s.Name = lipgloss.NewStyle()
	s.SelectedName = lipgloss.NewStyle().Bold(true).Foreground(colorMagenta)
	s.Method = lipgloss.NewStyle().Foreground(colorBlue)
	s.UnsavedMark = lipgloss.NewStyle().Foreground(colorYellow).Render("●")
	s.StaleMark = lipgloss.NewStyle().Foreground(colorRed).Render("!")
	s.MigratedMark = lipgloss.NewStyle().Foreground(colorYellow).Render("?")
	s.MarkedMark = lipgloss.NewStyle().Bold(true).Foreground(colorCyan).Render("✓")
	s.Marked = lipgloss.NewStyle().Bold(true).Foreground(colorCyan)

	s.Heading = lipgloss.NewStyle().Bold(true)
	s.Label = lipgloss.NewStyle()
	s.FocusLabel = lipgloss.NewStyle().Bold(true).Foreground(colorMagenta)
	s.Value = lipgloss.NewStyle().Bold(true)
	s.Dim = lipgloss.NewStyle().Foreground(colorGray)
	s.Option = lipgloss.NewStyle()
	s.FocusOption = lipgloss.NewStyle().Bold(true).Foreground(colorMagenta)
	s.OptionHelp = lipgloss.NewStyle().Foreground(colorGray)
	s.Allow = lipgloss.NewStyle().Foreground(colorGreen)
	s.Deny = lipgloss.NewStyle().Foreground(colorRed)
	s.Warning = lipgloss.NewStyle().Bold(true).Foreground(colorYellow)
	s.Unsaved = lipgloss.NewStyle().Foreground(colorYellow)

	s.StatusInfo = lipgloss.NewStyle()
	s.StatusOK = lipgloss.NewStyle().Foreground(colorGreen)
	s.StatusError = lipgloss.NewStyle().Bold(true).Foreground(colorRed)

	s.Dialog = lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(colorMagenta).Padding(0, 1)
	s.DialogTitle = lipgloss.NewStyle().Bold(true)
	s.Secret = lipgloss.NewStyle().Bold(true).Foreground(colorGreen)
	s.Changed = lipgloss.NewStyle().Bold(true).Foreground(colorYellow)

	s.TableHeader = lipgloss.NewStyle().Bold(true).Underline(true)
	s.SelectedRow = lipgloss.NewStyle().Bold(true).Foreground(colorMagenta)
	s.Severity = map[model.Severity]lipgloss.Style{
		model.SeverityHigh:   lipgloss.NewStyle().Bold(true).Foreground(colorRed),
		model.SeverityMedium: lipgloss.NewStyle().Foreground(colorRed),
		model.SeverityLow:    lipgloss.NewStyle().Foreground(colorYellow),
		model.SeverityInfo:   lipgloss.NewStyle().Foreground(colorCyan),
	}

	key := lipgloss.NewStyle().Foreground(colorCyan)
	desc := lipgloss.NewStyle().Foreground(colorGray)
	s.Help = help.Styles{
		Ellipsis: desc, ShortKey: key, ShortDesc: desc, ShortSeparator: desc,
		FullKey: key, FullDesc: desc, FullSeparator: desc,
	}
	return s
}
