package inbox

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// reportScan folds the figures of both periods into a Report.
type reportScan struct {
	cur, prev ReportRange
	hours     BusinessHours
	loc       *time.Location
	report    *Report
	errors    map[string]int
	days      map[int]daySpan // opening hours by local date, as met
}

// daySpan is one day's opening hours: BusinessHours.OpenAt for every
// contact text would rebuild them from the week each time.
type daySpan struct {
	open, close time.Time
	ok          bool
}

// openAt is BusinessHours.OpenAt through the scan's cache of days.
func (sc *reportScan) openAt(t time.Time) bool {
	y, m, d := t.In(sc.loc).Date()
	key := y*10000 + int(m)*100 + d
	sp, seen := sc.days[key]
	if !seen {
		sp.open, sp.close, sp.ok = sc.hours.span(time.Date(y, m, d, 0, 0, 0, 0, sc.loc))
		sc.days[key] = sp
	}
	return sp.ok && !t.Before(sp.open) && t.Before(sp.close)
}

// buildReport computes every figure of q from the store as of now.
//
// Counts come from the quarter-hour rollups unless a label or agent
// filter asks for conversations the rollups do not key by; then they come
// from a scan of both periods' messages. Waits, replies and the busiest
// contacts come from their rollups either way.
func buildReport(ctx context.Context, rs ReportStore, q ReportQuery, hours BusinessHours, now time.Time) (Report, error) {
	loc := hours.Location()
	cur := q.Range
	prev := cur.Previous()
	r := Report{Query: q, TimeZone: loc, Buckets: cur.Buckets(), GeneratedAt: now}
	r.Current = newPeriod(cur)
	r.Previous = newPeriod(prev)
	r.Open = openHours(hours)
	sc := &reportScan{
		cur: cur, prev: prev, hours: hours, loc: loc, report: &r,
		errors: map[string]int{}, days: map[int]daySpan{},
	}
	if err := sc.count(ctx, rs, q.Filter); err != nil {
		return Report{}, err
	}
	if err := sc.firstResponses(ctx, rs, q.Filter); err != nil {
		return Report{}, err
	}
	if err := sc.countWaiting(ctx, rs, q.Filter, now.Add(-q.UnansweredAfter)); err != nil {
		return Report{}, err
	}
	replies, err := rs.ReportReplies(ctx, q.Filter, cur.Start(), cur.End())
	if err != nil {
		return Report{}, err
	}
	for _, a := range replies {
		r.Agents = addReplies(r.Agents, a)
	}
	if r.Busiest, err = rs.ReportBusiest(ctx, q.Filter, cur.Start(), cur.End(), reportListSize); err != nil {
		return Report{}, err
	}
	sc.finishErrors()
	if err := countConsent(ctx, rs, q.Filter, &r); err != nil {
		return Report{}, err
	}
	lines, err := rs.ReportStatusLines(ctx, q.Filter, prev.Start(), cur.End())
	if err != nil {
		return Report{}, err
	}
	countResolutions(lines, &r)
	open, err := rs.ReportOpenByAssignee(ctx, q.Filter)
	if err != nil {
		return Report{}, err
	}
	for id, n := range open {
		if id != 0 {
			r.Agents = addOpenNow(r.Agents, id, n)
		}
	}
	return r, nil
}

// rollupsCount reports whether the counts' rollups can answer for f over
// [from, to): they are keyed by number, not label or assignee, and by
// whole UTC quarter-hours, on which every zone's hours fall today.
func rollupsCount(f ReportFilter, from, to time.Time) bool {
	return f.LabelID == 0 && f.AssigneeID == 0 && from.Unix()%900 == 0 && to.Unix()%900 == 0
}

// count fills in the texts, conversations opened, delivery outcomes,
// error codes and heat map of both periods.
func (sc *reportScan) count(ctx context.Context, rs ReportStore, f ReportFilter) error {
	from, to := sc.prev.Start(), sc.cur.End()
	if !rollupsCount(f, from, to) {
		if err := rs.ReportMessages(ctx, f, from, func(m ReportMessage) error {
			sc.add(m)
			return nil
		}); err != nil {
			return err
		}
		return countOpened(ctx, rs, f, sc.report)
	}
	quarters, err := rs.ReportCounts(ctx, f.Channel, from, to)
	if err != nil {
		return err
	}
	for _, qc := range quarters {
		sc.addQuarter(qc)
	}
	if sc.errors, err = rs.ReportErrorCounts(ctx, f.Channel, sc.cur.Start(), sc.cur.End()); err != nil {
		return err
	}
	return nil
}

// addQuarter counts one quarter-hour's rollup; a quarter-hour lies
// wholly inside one bar, whatever the zone.
func (sc *reportScan) addQuarter(qc QuarterCounts) {
	p, isCur := sc.period(qc.Start)
	if p == nil {
		return
	}
	i, _ := p.bucket(qc.Start)
	p.Opened += qc.Opened
	p.OpenedSeries[i] += qc.Opened
	p.Received += qc.Received
	p.ReceivedSeries[i] += qc.Received
	p.Sent += qc.Sent
	p.SentSeries[i] += qc.Sent
	p.Delivery.Delivered += qc.Delivery.Delivered
	p.Delivery.Undelivered += qc.Delivery.Undelivered
	p.Delivery.Failed += qc.Delivery.Failed
	p.Delivery.Unconfirmed += qc.Delivery.Unconfirmed
	if isCur {
		local := qc.Start.In(sc.loc)
		sc.report.Heat[local.Weekday()][local.Hour()] += qc.Received
	}
}

func newPeriod(rr ReportRange) ReportPeriod {
	starts := rr.Buckets()
	n := len(starts)
	return ReportPeriod{
		Range: rr, OpenedSeries: make([]int, n), ReceivedSeries: make([]int, n), SentSeries: make([]int, n),
		ResolvedSeries: make([]int, n),
		Consent:        ConsentCounts{OptOutSeries: make([]int, n), OptInSeries: make([]int, n)}, starts: starts,
	}
}

// bucket returns which bar of p holds t, and false when t is outside p.
func (p *ReportPeriod) bucket(t time.Time) (int, bool) {
	if len(p.starts) == 0 || t.Before(p.starts[0]) || !t.Before(p.Range.End()) {
		return 0, false
	}
	i, _ := slices.BinarySearchFunc(p.starts, t, func(s, t time.Time) int { return s.Compare(t) })
	if i == len(p.starts) || !p.starts[i].Equal(t) {
		i--
	}
	return i, true
}

// period returns the period of the scan holding t, or nil.
func (sc *reportScan) period(t time.Time) (*ReportPeriod, bool) {
	switch {
	case !t.Before(sc.cur.Start()) && t.Before(sc.cur.End()):
		return &sc.report.Current, true
	case !t.Before(sc.prev.Start()) && t.Before(sc.prev.End()):
		return &sc.report.Previous, false
	}
	return nil, false
}

// add counts one scanned message, as addQuarter counts a rollup.
func (sc *reportScan) add(m ReportMessage) {
	p, isCur := sc.period(m.At)
	if p == nil {
		return
	}
	i, _ := p.bucket(m.At)
	if m.Direction == DirectionInbound {
		p.Received++
		p.ReceivedSeries[i]++
		if isCur {
			local := m.At.In(sc.loc)
			sc.report.Heat[local.Weekday()][local.Hour()]++
		}
		return
	}
	p.Sent++
	p.SentSeries[i]++
	p.Delivery.add(m.Status, m.ErrorCode)
	if isCur && m.ErrorCode != "" && (m.Status == StatusUndelivered || m.Status == StatusFailed || m.Status == StatusRejected) {
		sc.errors[m.ErrorCode]++
	}
}

// firstResponses turns the answered waits into first response times.
func (sc *reportScan) firstResponses(ctx context.Context, rs ReportStore, f ReportFilter) error {
	type sample struct{ inside, outside []time.Duration }
	var cur, prev sample
	byAgent := map[int64][]time.Duration{}
	err := rs.ReportWaits(ctx, f, sc.prev.Start(), sc.cur.End(), func(w ReportWait) {
		p, isCur := sc.period(w.StartedAt)
		if p == nil {
			return
		}
		d := w.Wait
		s := &prev
		if isCur {
			s = &cur
			byAgent[w.AnsweredBy] = append(byAgent[w.AnsweredBy], d)
		}
		if sc.openAt(w.StartedAt) {
			s.inside = append(s.inside, d)
		} else {
			s.outside = append(s.outside, d)
		}
	})
	if err != nil {
		return err
	}
	sc.report.Current.FirstResponseInside = summarise(cur.inside)
	sc.report.Current.FirstResponseOutside = summarise(cur.outside)
	sc.report.Previous.FirstResponseInside = summarise(prev.inside)
	sc.report.Previous.FirstResponseOutside = summarise(prev.outside)
	for id, ds := range byAgent {
		sc.report.Agents = append(sc.report.Agents, AgentFigures{User: User{ID: id}, FirstResponse: summarise(ds)})
	}
	return nil
}

// countWaiting counts each period's unanswered waits and lists the
// current period's that began before since.
func (sc *reportScan) countWaiting(ctx context.Context, rs ReportStore, f ReportFilter, since time.Time) error {
	prev, err := rs.ReportWaiting(ctx, f, sc.prev.Start(), sc.prev.End(), since, 0)
	if err != nil {
		return err
	}
	cur, err := rs.ReportWaiting(ctx, f, sc.cur.Start(), sc.cur.End(), since, reportListSize)
	if err != nil {
		return err
	}
	sc.report.Previous.Waiting, sc.report.Current.Waiting = prev.Count, cur.Count
	sc.report.UnansweredTotal, sc.report.Unanswered = cur.Older, cur.Oldest
	return nil
}

// summarise returns the count, median and 90th percentile of ds by the
// nearest-rank method: the smallest value with at least that share of
// the values at or below it.
func summarise(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	slices.Sort(ds)
	rank := func(p int) time.Duration { return ds[(p*len(ds)+99)/100-1] }
	return Durations{Count: len(ds), Median: rank(50), P90: rank(90)}
}

func addReplies(as []AgentFigures, a AgentReplies) []AgentFigures {
	for i := range as {
		if as[i].User.ID == a.UserID {
			as[i].Replies, as[i].Conversations = a.Replies, a.Conversations
			return as
		}
	}
	return append(as, AgentFigures{User: User{ID: a.UserID}, Replies: a.Replies, Conversations: a.Conversations})
}

func addOpenNow(as []AgentFigures, id int64, n int) []AgentFigures {
	for i := range as {
		if as[i].User.ID == id {
			as[i].OpenNow = n
			return as
		}
	}
	return append(as, AgentFigures{User: User{ID: id}, OpenNow: n})
}

// agentFigures names the agents and orders them, most replies first;
// figures for ids that are no longer users keep a blank user with the id.
func agentFigures(as []AgentFigures, users []User) []AgentFigures {
	for i := range as {
		for _, u := range users {
			if u.ID == as[i].User.ID {
				as[i].User = u
			}
		}
	}
	slices.SortFunc(as, func(a, b AgentFigures) int {
		return cmp.Or(cmp.Compare(b.Replies, a.Replies), cmp.Compare(b.OpenNow, a.OpenNow), cmp.Compare(a.User.ID, b.User.ID))
	})
	return as
}

func (sc *reportScan) finishErrors() {
	for code, n := range sc.errors {
		if n > 0 {
			sc.report.Errors = append(sc.report.Errors, ErrorCount{Code: code, Words: CarrierErrorWords(code), Count: n})
		}
	}
	slices.SortFunc(sc.report.Errors, func(a, b ErrorCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Code, b.Code))
	})
	if len(sc.report.Errors) > reportListSize {
		sc.report.Errors = sc.report.Errors[:reportListSize]
	}
}

// add counts one outbound text; one Parley could not confirm handing to
// the carrier counts as unconfirmed, not failed.
func (d *DeliveryCounts) add(s Status, code string) {
	if s == StatusFailed && code == ErrorCodeUnconfirmed {
		d.Unconfirmed++
		return
	}
	switch s {
	case StatusDelivered:
		d.Delivered++
	case StatusUndelivered:
		d.Undelivered++
	case StatusFailed, StatusRejected:
		d.Failed++
	default:
		d.Unconfirmed++
	}
}

// openHours marks each weekday hour in which the team is open for at
// least part of the hour. Holidays are dates, not weekdays, and do not
// show here.
func openHours(h BusinessHours) [7][24]bool {
	var out [7][24]bool
	for d, o := range h.Week {
		if !o.Open {
			continue
		}
		for hr := range 24 {
			out[d][hr] = o.From < (hr+1)*60 && o.To > hr*60
		}
	}
	return out
}

func countOpened(ctx context.Context, rs ReportStore, f ReportFilter, r *Report) error {
	times, err := rs.ReportConversationsCreated(ctx, f, r.Previous.Range.Start(), r.Current.Range.End())
	if err != nil {
		return err
	}
	for _, t := range times {
		for _, p := range []*ReportPeriod{&r.Current, &r.Previous} {
			if i, ok := p.bucket(t); ok {
				p.Opened++
				p.OpenedSeries[i]++
			}
		}
	}
	return nil
}

func countConsent(ctx context.Context, rs ReportStore, f ReportFilter, r *Report) error {
	events, err := rs.ReportConsentEvents(ctx, f, r.Previous.Range.Start(), r.Current.Range.End())
	if err != nil {
		return err
	}
	for _, e := range events {
		for _, p := range []*ReportPeriod{&r.Current, &r.Previous} {
			i, ok := p.bucket(e.OccurredAt)
			if !ok {
				continue
			}
			sources, series := &p.Consent.OptIns, p.Consent.OptInSeries
			if e.Kind == ConsentOptOut {
				sources, series = &p.Consent.OptOuts, p.Consent.OptOutSeries
			}
			series[i]++
			switch e.Source {
			case "carrier":
				sources.Carrier++
			case "agent", "manual":
				sources.ByHand++
			default:
				sources.Keyword++
			}
		}
	}
	return nil
}
