package plivo

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter bounds how long one 429 may stop sending, so a malformed or
// hostile header cannot stop the outbox for days.
const maxRetryAfter = time.Hour

// parseRetryAfter reads a Retry-After header (RFC 9110 §10.2.3): delay
// seconds, or an HTTP date, measured from the answer's own Date when it
// has one (the carrier's clock) and from now otherwise. It returns 0 when
// the header is missing, malformed or in the past. Plivo does not document
// the header on its 429 (its API limit is 300 requests per 5 s per
// account), so it is honoured when present and the outbox's backoff applies
// when not.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var wait time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		wait = time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	} else {
		at, err := http.ParseTime(v)
		if err != nil {
			return 0
		}
		if date, err := http.ParseTime(h.Get("Date")); err == nil {
			now = date
		}
		wait = at.Sub(now)
	}
	if wait <= 0 {
		return 0
	}
	return min(wait, maxRetryAfter)
}
