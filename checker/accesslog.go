package checker

import (
	"encoding/json"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// accessLog writes one JSON line per call. It is hand-written rather than a
// slog handler because it runs on every request: slog's JSON handler took
// about half of a forward-auth answer's time. Lines keep slog's shape
// ("time", "level", "msg": "call", then the fields) so that log tooling
// reads them alike with the checker's other messages.
type accessLog struct {
	mu  sync.Mutex // a line is written whole, whatever the writer
	out io.Writer
}

// linePool recycles line buffers so logging does not allocate.
var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// write appends and writes the access line of one call. It names the token
// or share link by id only (token_id or link_id, as calls --json does): the
// secret is never logged. Every field is capped (see maxLoggedWorkflow): a
// line stays a few hundred bytes whatever the caller sent. A file call is
// logged under its protected prefix, as the call log counts it, and a call
// that named no workflow shows "-".
func (l *accessLog) write(now time.Time, via, method string, res *Result, remote string, took time.Duration) {
	bp := linePool.Get().(*[]byte)
	b := (*bp)[:0]
	b = append(b, `{"time":"`...)
	b = now.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"INFO","msg":"call","via":`...)
	b = appendJSONString(b, via)
	b = append(b, `,"method":`...)
	b = appendJSONString(b, capped(method, maxLoggedMethod))
	b = append(b, `,"workflow":`...)
	b = appendJSONString(b, loggedSubject(res))
	if res.Allowed {
		b = append(b, `,"decision":"allow"`...)
	} else {
		b = append(b, `,"decision":"deny"`...)
	}
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(res.Status), 10)
	b = append(b, `,"code":`...)
	b = appendJSONString(b, capped(res.Code, maxLoggedCode))
	b = append(b, `,"auth":`...)
	b = appendJSONString(b, res.Auth())
	tokenID, linkID := loggedCredentialIDs(res)
	b = append(b, `,"token_id":`...)
	b = appendJSONString(b, tokenID)
	b = append(b, `,"link_id":`...)
	b = appendJSONString(b, linkID)
	b = append(b, `,"remote":`...)
	b = appendJSONString(b, orDash(capped(remote, maxLoggedAddr)))
	b = append(b, `,"duration_ms":`...)
	b = appendMillis(b, took.Microseconds())
	b = append(b, "}\n"...)
	l.mu.Lock()
	l.out.Write(b) // a failed log write must not fail the call
	l.mu.Unlock()
	*bp = b
	linePool.Put(bp)
}

// appendJSONString appends s as a JSON string. Plain printable ASCII, which
// is what names, codes, ids and addresses are, is copied as is; anything
// else (a client-chosen method, say) goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			quoted, _ := json.Marshal(s)
			return append(b, quoted...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendMillis appends us microseconds as milliseconds, the way
// strconv.AppendFloat(b, float64(us)/1000, 'f', -1, 64) does ("0.012",
// "1.5", "2") but with integer arithmetic: the float formatting was a tenth
// of the access line's cost. A negative duration (the clock stepped back)
// is written as 0.
func appendMillis(b []byte, us int64) []byte {
	if us < 0 {
		us = 0
	}
	b = strconv.AppendInt(b, us/1000, 10)
	frac := us % 1000
	if frac == 0 {
		return b
	}
	digits := [3]byte{byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	n := 3
	for digits[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, digits[:n]...)
}

// orDash is s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return noValue
	}
	return s
}
