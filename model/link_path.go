package model

import (
	"fmt"
	"strings"
)

// ValidateLinkPath checks the path a share link opens before it is stored:
// one file, named by a clean decoded absolute path (the rules of
// ValidatePrefix: no "//", no dot segment, no control character, no
// backslash, no '%', at most MaxPathLength bytes), with no wildcard, since
// a link opens exactly that path, and no trailing '/', since it opens a
// file and not a folder. Whether the path lies under a protected prefix is
// for the caller, which knows the prefixes.
func ValidateLinkPath(p string) error {
	if err := checkStoredPath("link path", p); err != nil {
		return err
	}
	if strings.Contains(p, "*") {
		return fmt.Errorf("invalid link path %q: a link opens exactly one file, so * is not allowed", p)
	}
	if strings.HasSuffix(p, "/") {
		return fmt.Errorf("invalid link path %q: a link opens one file, not a folder (drop the trailing /)", p)
	}
	return nil
}
