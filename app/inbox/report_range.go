package inbox

import "time"

// ReportRangeKind names how a report's dates were chosen.
type ReportRangeKind string

// The date ranges the reports screen offers.
const (
	ReportToday  ReportRangeKind = "today"
	Report7Days  ReportRangeKind = "7d"
	Report30Days ReportRangeKind = "30d"
	ReportCustom ReportRangeKind = "custom"
)

// reportMaxDays bounds a custom range: a report reads every message of
// its period and the one before, so a year is the most one page asks for.
const reportMaxDays = 366

// ReportRange is a report's period: whole calendar days in the team's time
// zone, from the start of First to the end of Last.
type ReportRange struct {
	Kind        ReportRangeKind
	First, Last time.Time // midnights in the team's zone; Last is included
}

// ResolveReportRange turns a range as picked on the screen into days in
// loc, relative to now. from and to (YYYY-MM-DD) are read only for
// ReportCustom; an unknown kind means 7 days.
//
// Errors: EINVALID (Field "from" or "to") for a malformed, reversed or
// over-long custom range.
func ResolveReportRange(kind ReportRangeKind, from, to string, now time.Time, loc *time.Location) (ReportRange, error) {
	today := midnight(now, loc)
	switch kind {
	case ReportToday:
		return ReportRange{Kind: kind, First: today, Last: today}, nil
	case Report30Days:
		return ReportRange{Kind: kind, First: addDays(today, -29), Last: today}, nil
	case ReportCustom:
		first, err := time.ParseInLocation(time.DateOnly, from, loc)
		if err != nil {
			return ReportRange{}, FieldError("from", "%q is not a date; write it as YYYY-MM-DD", from)
		}
		last, err := time.ParseInLocation(time.DateOnly, to, loc)
		if err != nil {
			return ReportRange{}, FieldError("to", "%q is not a date; write it as YYYY-MM-DD", to)
		}
		if last.Before(first) {
			return ReportRange{}, FieldError("to", "the last day must not come before the first")
		}
		if daysBetween(first, last)+1 > reportMaxDays {
			return ReportRange{}, FieldError("to", "a report covers at most %d days", reportMaxDays)
		}
		return ReportRange{Kind: kind, First: first, Last: last}, nil
	}
	return ReportRange{Kind: Report7Days, First: addDays(today, -6), Last: today}, nil
}

// Days is how many calendar days r covers.
func (r ReportRange) Days() int { return daysBetween(r.First, r.Last) + 1 }

// Start is the instant r begins.
func (r ReportRange) Start() time.Time { return r.First }

// End is the instant just after r: the midnight after Last.
func (r ReportRange) End() time.Time { return addDays(r.Last, 1) }

// Previous is the period of as many days just before r, for comparison.
func (r ReportRange) Previous() ReportRange {
	n := r.Days()
	return ReportRange{Kind: r.Kind, First: addDays(r.First, -n), Last: addDays(r.First, -1)}
}

// Hourly reports whether r is charted by the hour (one day) rather than
// by the day.
func (r ReportRange) Hourly() bool { return r.Days() == 1 }

// Buckets returns the start of each chart bar of r: its days, or its
// hours for one day. A day on which clocks change has 23 or 25 hours, and
// the buckets say so.
func (r ReportRange) Buckets() []time.Time {
	var out []time.Time
	if r.Hourly() {
		for t := r.Start(); t.Before(r.End()); t = t.Add(time.Hour) {
			out = append(out, t)
		}
		return out
	}
	for d := r.First; !d.After(r.Last); d = addDays(d, 1) {
		out = append(out, d)
	}
	return out
}

// addDays moves a midnight in its zone by n calendar days, staying at
// midnight across clock changes.
func addDays(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, t.Location())
}

// daysBetween counts calendar days from a to b (midnights in one zone).
func daysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	ua := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	ub := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}
