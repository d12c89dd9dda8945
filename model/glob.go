package model

// globMatch reports whether s matches pattern, where '*' matches any run of
// bytes (none included) and every other byte matches itself. With fold,
// ASCII letters match regardless of case (workflow names); with inSegment,
// '*' never matches a '/' (paths, as path.Match does). It is the one matcher
// behind scopes: it never allocates, because the checker runs it per request.
//
// Only the most recent '*' is ever widened on a mismatch. That is enough for
// patterns whose only wildcard is '*' (widening an earlier one can never help
// more), and it bounds the work by len(pattern)*len(s), both of which are
// capped by validation.
func globMatch(pattern, s string, fold, inSegment bool) bool {
	px, sx := 0, 0
	star, starS := -1, 0 // last '*' seen in pattern, and where its run in s ends
	for sx < len(s) {
		if px < len(pattern) {
			switch c := pattern[px]; {
			case c == '*':
				star, starS = px, sx
				px++
				continue
			case c == s[sx] || fold && lowerASCII(c) == lowerASCII(s[sx]):
				px++
				sx++
				continue
			}
		}
		if star < 0 || inSegment && s[starS] == '/' {
			return false
		}
		starS++
		px, sx = star+1, starS
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// lowerASCII folds an ASCII capital to lower case and leaves other bytes
// alone: names are ASCII, so no Unicode folding can smuggle a match in.
func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}
