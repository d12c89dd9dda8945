package model

import "fmt"

// Auth is the "Authentication" dropdown of a public API workflow. It only has
// an effect while the workflow is public; a scheduled-only workflow keeps its
// value so that turning "public" back on restores the earlier choice.
type Auth string

// The three Authentication choices, as stored and as typed on the command line.
const (
	AuthNone  Auth = "none"
	AuthUser  Auth = "user"
	AuthAdmin Auth = "admin"
)

// Auths lists the choices in the order the dropdown shows them.
var Auths = []Auth{AuthNone, AuthUser, AuthAdmin}

// Label is the dropdown text a Bubble user knows the choice by.
func (a Auth) Label() string {
	switch a {
	case AuthNone:
		return "None required"
	case AuthUser:
		return "User and admin"
	case AuthAdmin:
		return "Admin only"
	}
	return string(a)
}

// Help is the one-line explanation shown beside each dropdown option, so the
// choice can be made without reading documentation.
func (a Auth) Help() string {
	switch a {
	case AuthNone:
		return "Anyone can trigger it — use for signup/login flows"
	case AuthUser:
		return "Any authenticated user or admin token; narrow it with conditions and privacy rules"
	case AuthAdmin:
		return "Only admin API tokens"
	}
	return ""
}

// Valid reports whether a is one of the three known choices; anything else
// must never reach the database or a decision.
func (a Auth) Valid() bool {
	return a == AuthNone || a == AuthUser || a == AuthAdmin
}

// ParseAuth turns user input into an Auth, naming the bad value and the
// accepted ones when it is not valid.
func ParseAuth(s string) (Auth, error) {
	a := Auth(s)
	if !a.Valid() {
		return "", fmt.Errorf("invalid auth %q: use none, user or admin", s)
	}
	return a, nil
}

// LegacyAuth maps the old checkbox "This workflow can be run without
// authentication" onto the dropdown: checked means None required, unchecked
// means User and admin. This is the only place that mapping lives, so that
// every importer preserves behaviour the same way.
func LegacyAuth(runWithoutAuthentication bool) Auth {
	if runWithoutAuthentication {
		return AuthNone
	}
	return AuthUser
}
