package checker

import (
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/scrape"
)

// A file call is recorded alike everywhere: the call log, the access log
// and the metrics count it under its protected prefix, and a share link
// is named by its id under link_id, never token_id.
func TestFileCallsAreRecordedUnderTheirPrefixInEveryRecord(t *testing.T) {
	f := newFixture(t)
	l := f.loggedChecker(t, Options{Metrics: prometheus.NewRegistry()})
	srv := httptest.NewServer(l.Handler(nil))
	defer srv.Close()

	require.Equal(t, "200", call(t, "GET", srv.URL+sharedFile, bearerHeader(f.reader), "").outcome)
	require.Equal(t, "200", call(t, "GET", srv.URL+sharedFile+"?fg_link="+f.link, nil, "").outcome)
	require.Equal(t, "404 not_found", call(t, "GET", srv.URL+"/fileupload//x", bearerHeader(f.reader), "").outcome)

	m := scrape.Get(t, srv.URL+MetricsPath)
	assert.EqualValues(t, 2, callsOf(m, filesPrefix, "allow", "200", "proxy"), "metrics: under the prefix")
	assert.EqualValues(t, 1, callsOf(m, "-", "deny", "404", "proxy"), "a refused path is no file")

	lines := l.accessLines(t)
	require.Len(t, lines, 3)
	calls := l.storedCalls(t, f.store)
	require.Len(t, calls, 3)
	for i, want := range []struct{ subject, tokenID, linkID string }{
		{filesPrefix, f.readerID, ""},
		{filesPrefix, "", f.linkID},
		{"-", f.readerID, ""},
	} {
		assert.Equal(t, want.subject, lines[i]["workflow"], "access log %d", i)
		assert.Equal(t, want.tokenID, lines[i]["token_id"], "access log %d", i)
		assert.Equal(t, want.linkID, lines[i]["link_id"], "access log %d", i)
		assert.Equal(t, want.subject, calls[i].Workflow, "call log %d", i)
		assert.Equal(t, want.tokenID, calls[i].TokenID, "call log %d", i)
		assert.Equal(t, want.linkID, calls[i].LinkID, "call log %d", i)
	}
}
