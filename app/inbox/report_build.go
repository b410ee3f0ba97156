package inbox

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// wait is one stretch in which a contact waited for a human: from the
// contact's first text that no human had answered to the first human
// reply after it (end zero: not answered yet).
type wait struct {
	conversationID int64
	start, end     time.Time
	by             int64 // who ended it
	inside         bool  // began inside business hours
	dropped        bool  // began before the scan after all (see buildReport)
}

// threadState is what the scan remembers of one conversation.
type threadState struct {
	open int // index of its wait still open, or -1
	// first is the index of a wait begun by the conversation's first
	// contact text or human reply of the scan, or -1: whether it really
	// began there depends on what came before the scan.
	first int
	seen  bool // a contact text or human reply was scanned
}

// reportScan folds the messages of both periods into a Report.
type reportScan struct {
	cur, prev  ReportRange
	hours      BusinessHours
	loc        *time.Location
	report     *Report
	waits      []wait
	threads    map[int64]*threadState
	agents     map[int64]*agentTally
	errors     map[string]int
	inboundCur map[int64]int
	days       map[int]daySpan // opening hours by local date, as met
	status     statusLines     // for resolution time
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

type agentTally struct {
	replies       int
	conversations map[int64]bool
}

// buildReport computes every figure of q from the store as of now.
//
// A scan of messages begins at the start of the previous period, so a
// contact text early in it looks like the start of a wait; the store is
// then asked which of those conversations were already waiting when the
// scan began, and those first waits are dropped (they began earlier, in a
// period not reported).
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
		threads: map[int64]*threadState{}, agents: map[int64]*agentTally{},
		errors: map[string]int{}, inboundCur: map[int64]int{}, days: map[int]daySpan{},
	}
	var err error
	if sc.status, err = loadStatusLines(ctx, rs, q.Filter, prev.Start(), cur.End()); err != nil {
		return Report{}, err
	}
	if err := rs.ReportMessages(ctx, q.Filter, prev.Start(), func(m ReportMessage) error {
		sc.add(m)
		return nil
	}); err != nil {
		return Report{}, err
	}
	if err := sc.dropCarriedWaits(ctx, rs); err != nil {
		return Report{}, err
	}
	sc.finishWaits(now, q.UnansweredAfter)
	sc.finishAgents()
	sc.finishLists()
	if err := countOpened(ctx, rs, q.Filter, &r); err != nil {
		return Report{}, err
	}
	if err := countConsent(ctx, rs, q.Filter, &r); err != nil {
		return Report{}, err
	}
	countResolutions(sc.status, &r)
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

func (sc *reportScan) add(m ReportMessage) {
	p, isCur := sc.period(m.At)
	if p != nil {
		i, _ := p.bucket(m.At)
		if m.Direction == DirectionInbound {
			p.Received++
			p.ReceivedSeries[i]++
		} else {
			p.Sent++
			p.SentSeries[i]++
			p.Delivery.add(m.Status, m.ErrorCode)
			if isCur && m.ErrorCode != "" && (m.Status == StatusUndelivered || m.Status == StatusFailed || m.Status == StatusRejected) {
				sc.errors[m.ErrorCode]++
			}
		}
	}
	if m.Direction == DirectionInbound {
		sc.status.noteText(m.ConversationID, m.At)
	}
	if isCur && m.Direction == DirectionInbound {
		local := m.At.In(sc.loc)
		sc.report.Heat[local.Weekday()][local.Hour()]++
		sc.inboundCur[m.ConversationID]++
	}
	if isCur && m.Direction == DirectionOutbound && m.SentBy != 0 {
		a := sc.agent(m.SentBy)
		a.replies++
		a.conversations[m.ConversationID] = true
	}
	sc.track(m)
}

// track follows the waits of m's conversation.
func (sc *reportScan) track(m ReportMessage) {
	human := m.Direction == DirectionOutbound && m.SentBy != 0
	if m.Direction != DirectionInbound && !human {
		return
	}
	th := sc.threads[m.ConversationID]
	if th == nil {
		th = &threadState{open: -1, first: -1}
		sc.threads[m.ConversationID] = th
	}
	first := !th.seen
	th.seen = true
	switch {
	case m.Direction == DirectionInbound && th.open < 0:
		sc.waits = append(sc.waits, wait{conversationID: m.ConversationID, start: m.At, inside: sc.openAt(m.At)})
		th.open = len(sc.waits) - 1
		if first {
			th.first = th.open
		}
	case human && th.open >= 0:
		sc.waits[th.open].end, sc.waits[th.open].by = m.At, m.SentBy
		th.open = -1
	}
}

// dropCarriedWaits drops the first wait of each conversation that was
// already waiting when the scan began.
func (sc *reportScan) dropCarriedWaits(ctx context.Context, rs ReportStore) error {
	var ids []int64
	for id, th := range sc.threads {
		if th.first >= 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	waiting, err := rs.ReportWaitingAt(ctx, ids, sc.prev.Start())
	if err != nil {
		return err
	}
	for id := range waiting {
		if th := sc.threads[id]; th != nil && th.first >= 0 {
			sc.waits[th.first].dropped = true
		}
	}
	return nil
}

// finishWaits turns the waits into first response times and the
// unanswered list.
func (sc *reportScan) finishWaits(now time.Time, after time.Duration) {
	type sample struct{ inside, outside []time.Duration }
	var cur, prev sample
	byAgent := map[int64][]time.Duration{}
	for _, w := range sc.waits {
		if w.dropped {
			continue
		}
		p, isCur := sc.period(w.start)
		if p == nil {
			continue
		}
		if w.end.IsZero() {
			p.Waiting++
			if isCur && now.Sub(w.start) > after {
				sc.report.UnansweredTotal++
				sc.report.Unanswered = append(sc.report.Unanswered, WaitingConversation{Conversation: Conversation{ID: w.conversationID}, Since: w.start})
			}
			continue
		}
		d := w.end.Sub(w.start)
		s := &prev
		if isCur {
			s = &cur
			byAgent[w.by] = append(byAgent[w.by], d)
		}
		if w.inside {
			s.inside = append(s.inside, d)
		} else {
			s.outside = append(s.outside, d)
		}
	}
	sc.report.Current.FirstResponseInside = summarise(cur.inside)
	sc.report.Current.FirstResponseOutside = summarise(cur.outside)
	sc.report.Previous.FirstResponseInside = summarise(prev.inside)
	sc.report.Previous.FirstResponseOutside = summarise(prev.outside)
	for id, ds := range byAgent {
		sc.agent(id)
		sc.report.Agents = append(sc.report.Agents, AgentFigures{User: User{ID: id}, FirstResponse: summarise(ds)})
	}
	slices.SortFunc(sc.report.Unanswered, func(a, b WaitingConversation) int {
		return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.Conversation.ID, b.Conversation.ID))
	})
	if len(sc.report.Unanswered) > reportListSize {
		sc.report.Unanswered = sc.report.Unanswered[:reportListSize]
	}
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

func (sc *reportScan) agent(id int64) *agentTally {
	a := sc.agents[id]
	if a == nil {
		a = &agentTally{conversations: map[int64]bool{}}
		sc.agents[id] = a
	}
	return a
}

func (sc *reportScan) finishAgents() {
	for id, a := range sc.agents {
		sc.report.Agents = addTally(sc.report.Agents, id, a)
	}
}

func addTally(as []AgentFigures, id int64, a *agentTally) []AgentFigures {
	for i := range as {
		if as[i].User.ID == id {
			as[i].Replies, as[i].Conversations = a.replies, len(a.conversations)
			return as
		}
	}
	return append(as, AgentFigures{User: User{ID: id}, Replies: a.replies, Conversations: len(a.conversations)})
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

func (sc *reportScan) finishLists() {
	for code, n := range sc.errors {
		sc.report.Errors = append(sc.report.Errors, ErrorCount{Code: code, Words: CarrierErrorWords(code), Count: n})
	}
	slices.SortFunc(sc.report.Errors, func(a, b ErrorCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Code, b.Code))
	})
	if len(sc.report.Errors) > reportListSize {
		sc.report.Errors = sc.report.Errors[:reportListSize]
	}
	for id, n := range sc.inboundCur {
		sc.report.Busiest = append(sc.report.Busiest, ConversationCount{Conversation: Conversation{ID: id}, Texts: n})
	}
	slices.SortFunc(sc.report.Busiest, func(a, b ConversationCount) int {
		return cmp.Or(cmp.Compare(b.Texts, a.Texts), cmp.Compare(a.Conversation.ID, b.Conversation.ID))
	})
	if len(sc.report.Busiest) > reportListSize {
		sc.report.Busiest = sc.report.Busiest[:reportListSize]
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
