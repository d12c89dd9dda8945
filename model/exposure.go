package model

import "fmt"

// Exposure summarises who can reach a workflow over HTTP, so that a list of
// hundreds of workflows can be read at a glance.
type Exposure string

// The four exposures, from least to most reachable by strangers.
const (
	ExposureScheduled Exposure = "scheduled" // not public: never callable
	ExposureAdmins    Exposure = "admins"    // public, Admin only
	ExposureUsers     Exposure = "users"     // public, User and admin
	ExposureOpen      Exposure = "open"      // public, None required
)

// Exposures lists every exposure in the order counts are shown.
var Exposures = []Exposure{ExposureOpen, ExposureUsers, ExposureAdmins, ExposureScheduled}

// ExposureOf derives the exposure from the settings, the same way Decide
// reads them: a workflow that is not public is scheduled whatever its Auth.
// An invalid Auth is reported as open, the most alarming reading, so that
// review never understates a setting it cannot make sense of.
func ExposureOf(w Workflow) Exposure {
	if !w.Public {
		return ExposureScheduled
	}
	switch w.Auth {
	case AuthUser:
		return ExposureUsers
	case AuthAdmin:
		return ExposureAdmins
	}
	return ExposureOpen
}

// CountsLine summarises exposures in one line, the same in the editor's
// header and in `flowgate review`:
// "24 workflows · 3 open · 12 users · 5 admins · 4 scheduled" ("1 workflow").
func CountsLine(total int, counts map[Exposure]int) string {
	noun := "workflows"
	if total == 1 {
		noun = "workflow"
	}
	return fmt.Sprintf("%d %s · %d open · %d users · %d admins · %d scheduled", total, noun,
		counts[ExposureOpen], counts[ExposureUsers], counts[ExposureAdmins], counts[ExposureScheduled])
}
