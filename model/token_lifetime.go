package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxLifetimeDays caps every lifetime at about a hundred years, in days or
// in hours alike.
const maxLifetimeDays = 100 * 365

// ParseTokenLifetime reads a token lifetime as both the CLI's --expires and
// the editor's token form accept it: a Go duration (90m, 12h) or a whole
// number of days (30d), positive and at most a hundred years.
func ParseTokenLifetime(s string) (time.Duration, error) {
	bad := fmt.Errorf("invalid lifetime %q: use a number of days such as 30d, or hours such as 12h", s)
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n > maxLifetimeDays {
			return 0, bad
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil || d > maxLifetimeDays*24*time.Hour {
			return 0, bad
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("invalid lifetime %q: it must be positive", s)
	}
	return d, nil
}

// Share links expire: an hour unless asked otherwise, a week at most, like
// presigned URLs, because a link travels in URLs and leaks with them.
const (
	DefaultLinkLifetime = time.Hour
	MaxLinkLifetime     = 7 * 24 * time.Hour
)

// ParseLinkLifetime reads a share link's --expires by ParseTokenLifetime's
// rules and refuses anything longer than MaxLinkLifetime.
func ParseLinkLifetime(s string) (time.Duration, error) {
	d, err := ParseTokenLifetime(s)
	if err != nil {
		return 0, err
	}
	if d > MaxLinkLifetime {
		return 0, fmt.Errorf("invalid lifetime %q: a share link lasts at most 7d", s)
	}
	return d, nil
}
