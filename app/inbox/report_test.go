package inbox

import (
	"testing"
	"time"
)

func TestResolveReportRange(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 9, 18, 0, 0, 0, ny)
	cases := []struct {
		kind                  ReportRangeKind
		from, to              string
		first, last, prevFrom string
		hours                 time.Duration // Start to End
		field                 string        // of the error, if any
	}{
		{kind: ReportToday, first: "2026-03-09", last: "2026-03-09", prevFrom: "2026-03-08", hours: 24},
		{kind: Report7Days, first: "2026-03-03", last: "2026-03-09", prevFrom: "2026-02-24", hours: 7*24 - 1},
		{kind: "", first: "2026-03-03", last: "2026-03-09", prevFrom: "2026-02-24", hours: 7*24 - 1},
		{kind: Report30Days, first: "2026-02-08", last: "2026-03-09", prevFrom: "2026-01-09", hours: 30*24 - 1},
		{kind: ReportCustom, from: "2026-03-08", to: "2026-03-08", first: "2026-03-08", last: "2026-03-08", prevFrom: "2026-03-07", hours: 23},
		{kind: ReportCustom, from: "2026-03-09", to: "2026-03-08", field: "to"},
		{kind: ReportCustom, from: "March", to: "2026-03-08", field: "from"},
		{kind: ReportCustom, from: "2025-01-01", to: "2026-03-08", field: "to"},
	}
	for _, c := range cases {
		r, err := ResolveReportRange(c.kind, c.from, c.to, now, ny)
		if c.field != "" {
			if ErrorField(err) != c.field {
				t.Errorf("%s %s..%s: err=%v, want one on %q", c.kind, c.from, c.to, err, c.field)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.kind, err)
		}
		got := []string{r.First.Format(time.DateOnly), r.Last.Format(time.DateOnly), r.Previous().First.Format(time.DateOnly)}
		if got[0] != c.first || got[1] != c.last || got[2] != c.prevFrom {
			t.Errorf("%s: first, last, previous first=%v, want %s %s %s", c.kind, got, c.first, c.last, c.prevFrom)
		}
		if d := r.End().Sub(r.Start()); d != c.hours*time.Hour {
			t.Errorf("%s: spans %v, want %v (clocks went forward on 8 March)", c.kind, d, c.hours*time.Hour)
		}
	}
}

func TestSummariseByNearestRank(t *testing.T) {
	m := func(n ...int) []time.Duration {
		var out []time.Duration
		for _, v := range n {
			out = append(out, time.Duration(v)*time.Minute)
		}
		return out
	}
	cases := []struct {
		in          []time.Duration
		median, p90 int
	}{
		{m(5), 5, 5},
		{m(10, 1), 1, 10},
		{m(3, 1, 2), 2, 3},
		{m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 5, 9},
		{m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 6, 10},
	}
	for _, c := range cases {
		got := summarise(c.in)
		if got.Count != len(c.in) || got.Median != time.Duration(c.median)*time.Minute || got.P90 != time.Duration(c.p90)*time.Minute {
			t.Errorf("summarise(%v)=%+v, want median %d min, p90 %d min", c.in, got, c.median, c.p90)
		}
	}
	if got := summarise(nil); got != (Durations{}) {
		t.Errorf("summarise(nil)=%+v, want zero", got)
	}
}

func TestReportBucketsAcrossClockChanges(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	day := ReportRange{First: time.Date(2026, 11, 1, 0, 0, 0, 0, ny), Last: time.Date(2026, 11, 1, 0, 0, 0, 0, ny)}
	p := newPeriod(day)
	if len(p.starts) != 25 {
		t.Fatalf("1 November 2026 in New York has %d hourly buckets, want 25", len(p.starts))
	}
	// 01:30 happens twice; the second (EST) is in the third bucket after
	// midnight's two EDT hours.
	second := time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)
	if i, ok := p.bucket(second); !ok || i != 2 {
		t.Errorf("bucket(01:30 EST)=%d, %v; want 2", i, ok)
	}
	if _, ok := p.bucket(day.End()); ok {
		t.Errorf("bucket(end) is inside the day, want outside")
	}
}
