package inbox

import (
	"fmt"
	"testing"
	"time"
)

// TestResolutions walks status histories through the rule of
// docs/reports.md: each close measures from the creation or from the
// reopening before it, by an agent or by the contact's text.
func TestResolutions(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	line := func(kind ActivityKind, h, next int) ReportStatusLine {
		l := ReportStatusLine{CreatedAt: t0, Kind: kind, ActorID: 7, At: at(h)}
		if next > 0 {
			l.NextText = at(next)
		}
		return l
	}
	cases := []struct {
		name  string
		lines []ReportStatusLine
		want  string // start→close in hours after t0
	}{
		{"one close", []ReportStatusLine{line(ActivityClosed, 3, 0)}, "[0→3]"},
		{"closed, reopened, closed: two", []ReportStatusLine{line(ActivityClosed, 3, 0), line(ActivityReopened, 5, 0), line(ActivityClosed, 6, 0)}, "[0→3 5→6]"},
		{"reopened by the contact's text", []ReportStatusLine{line(ActivityClosed, 3, 4), line(ActivityClosed, 8, 0)}, "[0→3 4→8]"},
		{"the text before the agent's reopen", []ReportStatusLine{line(ActivityClosed, 3, 4), line(ActivityReopened, 5, 0), line(ActivityClosed, 8, 0)}, "[0→3 4→8]"},
		{"unblocked counts as reopened", []ReportStatusLine{line(ActivityClosed, 3, 0), line(ActivityUnblocked, 5, 0), line(ActivityClosed, 8, 0)}, "[0→3 5→8]"},
		{"closed twice with no reopen between", []ReportStatusLine{line(ActivityClosed, 3, 0), line(ActivityClosed, 8, 0)}, "[0→3]"},
		{"a reopen of an open conversation", []ReportStatusLine{line(ActivityUnblocked, 2, 0), line(ActivityClosed, 3, 0)}, "[0→3]"},
	}
	for _, c := range cases {
		var got []string
		for _, r := range resolutions(c.lines) {
			got = append(got, fmt.Sprintf("%d→%d", int(r.start.Sub(t0).Hours()), int(r.closed.Sub(t0).Hours())))
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("%s: resolutions=%v, want %v", c.name, got, c.want)
		}
	}
}
