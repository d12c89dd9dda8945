package checker

import "net/http"

// sentStatus remembers the final status a handler sent, so the logs record
// what the caller got rather than the decision alone.
type sentStatus struct {
	http.ResponseWriter
	status int
	// code is set by the proxy's error handler for its own answers.
	code string
	// byLink puts the link security headers (see linkHeaders) over
	// whatever the handler set, as the header is written: a call allowed
	// by a share link always gets them, whatever the upstream answers.
	byLink bool
}

func (s *sentStatus) WriteHeader(status int) {
	if s.byLink {
		setLinkHeaders(s.ResponseWriter.Header())
	}
	if s.status == 0 && status >= 200 { // 1xx are interim
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *sentStatus) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}

// Flush keeps streaming answers streaming for handlers that assert
// http.Flusher.
func (s *sentStatus) Flush() {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	http.NewResponseController(s.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (s *sentStatus) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// sent is the status the caller got (200 when the handler wrote nothing).
func (s *sentStatus) sent() int {
	if s.status == 0 {
		return http.StatusOK
	}
	return s.status
}

// recordCode tells the sentStatus under w (through any wrappers that
// Unwrap) the denial code of an answer the checker's own writers send for
// the upstream or a body limit, so the logs name it.
func recordCode(w http.ResponseWriter, code string) {
	for w != nil {
		if s, ok := w.(*sentStatus); ok {
			s.code = code
			return
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return
		}
		w = u.Unwrap()
	}
}
