package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecordAndListCalls(t *testing.T) {
	s, _ := openTemp(t)
	base := time.Date(2030, 5, 6, 7, 8, 9, 123456789, time.UTC)
	var batch []Call
	for i := 0; i < 5; i++ {
		batch = append(batch, Call{At: base.Add(time.Duration(i) * time.Second), Workflow: fmt.Sprintf("wf-%d", i%2),
			TokenID: fmt.Sprintf("tok_%d", i%3), Status: 200, RemoteAddr: "127.0.0.1:5000"})
	}
	batch[4].Status, batch[4].Code = 401, "invalid_token"
	require.NoError(t, s.RecordCalls(ctx, batch))
	require.NoError(t, s.RecordCalls(ctx, nil))

	all, err := s.ListCalls(ctx, CallFilter{})
	require.NoError(t, err)
	require.Len(t, all, 5)
	assert.Equal(t, batch[4], all[0], "newest first, every field kept")
	assert.True(t, base.Equal(all[4].At))

	byWorkflow, err := s.ListCalls(ctx, CallFilter{Workflow: "WF-1"})
	require.NoError(t, err)
	assert.Len(t, byWorkflow, 2, "workflow filter ignores case")

	both, err := s.ListCalls(ctx, CallFilter{Workflow: "wf-0", TokenID: "tok_0"})
	require.NoError(t, err)
	require.Len(t, both, 1)
	assert.Equal(t, batch[0], both[0])

	limited, err := s.ListCalls(ctx, CallFilter{Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, []Call{batch[4], batch[3]}, limited)
}

func BenchmarkRecordCalls256(b *testing.B) {
	s, err := Open(b.TempDir() + "/bench.db")
	require.NoError(b, err)
	defer s.Close()
	batch := make([]Call, 256)
	for i := range batch {
		batch[i] = Call{At: time.Now(), Workflow: "send-invoice", TokenID: "tok_abcdefghijkl", Status: 200, RemoteAddr: "127.0.0.1:1234"}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.RecordCalls(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}
