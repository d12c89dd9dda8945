package checker

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A 404 speaks of what the path is: a refused spelling of a path under a
// protected prefix is about the file path, a path that is no workflow and
// no file says nothing is there, and workflow paths keep the decision
// table's message. Statuses and codes are those of every other 404.
func TestNotFoundMessagesSayWhatThePathIs(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{})
	up, hits := echoUpstream(t)
	proxy := proxyWith(t, c, up.URL, ProxyOptions{})
	auth := httptest.NewServer(c.Handler(nil))
	defer auth.Close()
	const workflowMessage = "no public API workflow with this name"
	for _, tc := range []struct{ path, message string }{
		{"/fileupload//x", fileNotCanonical},
		{"/fileupload/%2e%2e/x", fileNotCanonical},
		{"/fileupload/x%00", fileNotCanonical},
		{"/fileupload/shared%2Freport.pdf", fileNotCanonical},
		{"/FileUpload/shared/../private/salaries.pdf", fileNotCanonical},
		{"/other/report.pdf", nothingAtPath},
		{"/", nothingAtPath},
		{"/api/1.1/wf/nope", workflowMessage},
		{"/api/1.1/wf//public-none-get", workflowMessage},
		{"/API/1.1/WF/public-none-get", workflowMessage},
	} {
		r := call(t, "GET", proxy.URL+tc.path, bearerHeader(f.reader), "")
		assert.Equal(t, "404 not_found", r.outcome, "proxy %s", tc.path)
		assert.Contains(t, r.body, `"message":"`+tc.message+`"`, "proxy %s", tc.path)

		h := http.Header{"X-Forwarded-Method": {"GET"}, "X-Forwarded-Uri": {tc.path}, "Authorization": {"Bearer " + f.reader}}
		r = call(t, "GET", auth.URL+AuthPath, h, "")
		assert.Equal(t, "404 not_found", r.outcome, "forward-auth %s", tc.path)
		assert.Contains(t, r.body, `"message":"`+tc.message+`"`, "forward-auth %s", tc.path)
	}
	assert.Zero(t, hits.Load(), "nothing refused reaches the upstream")
}
