package checker

import "net/http"

// headerValues hands out one-value header slices cut from a single backing
// array, so that the four or so headers the checker sets on every call
// (identity, X-Real-IP, X-Flowgate-Query) cost one allocation instead of one
// each. Each slice has capacity 1: a later Header.Add on one of them copies
// it rather than writing into its neighbour.
type headerValues []string

// set puts value under key in h, from the next free slot (a slice of its
// own once the slots are used up).
func (v *headerValues) set(h http.Header, key, value string) {
	s := *v
	if len(s) == 0 {
		h[key] = []string{value}
		return
	}
	s[0] = value
	h[key] = s[0:1:1]
	*v = s[1:]
}
