package plivo

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	date := func(t time.Time) string { return t.Format(http.TimeFormat) }
	cases := []struct {
		name               string
		header, dateHeader string
		want               time.Duration
	}{
		{"seconds", "120", "", 120 * time.Second},
		{"HTTP date from now", date(now.Add(90 * time.Second)), "", 90 * time.Second},
		{"HTTP date from the answer's Date", date(now.Add(90 * time.Second)), date(now.Add(30 * time.Second)), 60 * time.Second},
		{"missing", "", "", 0},
		{"zero", "0", "", 0},
		{"negative", "-5", "", 0},
		{"in the past", date(now.Add(-time.Minute)), "", 0},
		{"malformed", "soon", "", 0},
		{"capped", "999999", "", maxRetryAfter},
	}
	for _, c := range cases {
		h := http.Header{}
		if c.header != "" {
			h.Set("Retry-After", c.header)
		}
		if c.dateHeader != "" {
			h.Set("Date", c.dateHeader)
		}
		if got := parseRetryAfter(h, now); got != c.want {
			t.Errorf("%s: parseRetryAfter(%q)=%v, want %v", c.name, c.header, got, c.want)
		}
	}
}
