package inbox

import (
	"context"
	"time"
)

// ReportFilter narrows a report to some conversations: those on Channel
// (empty: every number), carrying LabelID (0: any) and assigned now to
// AssigneeID (0: anyone or no one). Every figure of a filtered report
// counts only those conversations.
type ReportFilter struct {
	Channel    Number
	LabelID    int64
	AssigneeID int64
}

// ReportQuery is what the reports screen asks for.
type ReportQuery struct {
	// Kind, From and To pick the days as ResolveReportRange reads them.
	Kind     ReportRangeKind
	From, To string
	// Range is the period they resolve to, in the team's time zone; Report
	// fills it in.
	Range  ReportRange
	Filter ReportFilter
	// UnansweredAfter is how long a contact's text may wait for a human
	// reply before its conversation is listed as unanswered.
	UnansweredAfter time.Duration
}

// DefaultUnansweredAfter is the unanswered list's threshold unless the
// screen asks for another.
const DefaultUnansweredAfter = 4 * time.Hour

// reportListSize is how many conversations the busiest and unanswered
// lists show.
const reportListSize = 10

// ReportMessage is one message as a report reads it: who wrote it, when,
// and how far it got.
type ReportMessage struct {
	ConversationID int64
	At             time.Time
	Direction      Direction
	// SentBy is the agent who wrote an outbound message; 0 for an
	// automatic reply (keyword, welcome, after-hours, opt-out law).
	SentBy    int64
	Status    Status
	ErrorCode string
}

// ReportStore reads what reports are computed from. The store must
// implement it as well as Store for Report.
type ReportStore interface {
	// ReportMessages calls fn with every message created at or after from
	// in the conversations f selects, in the order they were created. It
	// stops at fn's first error and returns it. A report reads it only
	// when a label or agent filter rules out the counts' rollups.
	ReportMessages(ctx context.Context, f ReportFilter, from time.Time, fn func(ReportMessage) error) error
	// ReportCounts returns the rollup of texts and conversations by
	// quarter-hour in [from, to) on channel (empty: every number), in
	// order, one entry per quarter-hour that has any.
	ReportCounts(ctx context.Context, channel Number, from, to time.Time) ([]QuarterCounts, error)
	// ReportErrorCounts counts the carrier error codes of the undelivered,
	// failed and rejected texts written in [from, to) on channel.
	ReportErrorCounts(ctx context.Context, channel Number, from, to time.Time) (map[string]int, error)
	// ReportBusiest returns the limit conversations f selects whose
	// contacts texted most in [from, to), most first and then by id.
	ReportBusiest(ctx context.Context, f ReportFilter, from, to time.Time, limit int) ([]ConversationCount, error)
	// ReportReplies counts, by agent, the human replies written in [from,
	// to) in the conversations f selects and the conversations they went
	// to.
	ReportReplies(ctx context.Context, f ReportFilter, from, to time.Time) ([]AgentReplies, error)
	// ReportWaits calls fn with each answered wait for a human that began
	// in [from, to) in the conversations f selects (see docs/reports.md).
	ReportWaits(ctx context.Context, f ReportFilter, from, to time.Time, fn func(ReportWait)) error
	// ReportWaiting counts the waits that began in [from, to) in the
	// conversations f selects and are not answered yet, and those of them
	// that began before since, and returns the limit oldest of those, by
	// start and then conversation.
	ReportWaiting(ctx context.Context, f ReportFilter, from, to, since time.Time, limit int) (Waiting, error)
	// ReportConversationsCreated returns when each conversation f selects
	// that was created in [from, to) was created.
	ReportConversationsCreated(ctx context.Context, f ReportFilter, from, to time.Time) ([]time.Time, error)
	// ReportConsentEvents returns the opt-outs and opt-ins in [from, to) of
	// the contacts of the conversations f selects.
	ReportConsentEvents(ctx context.Context, f ReportFilter, from, to time.Time) ([]ConsentEvent, error)
	// ReportOpenByAssignee counts the open conversations f selects by
	// assignee (0: unassigned).
	ReportOpenByAssignee(ctx context.Context, f ReportFilter) (map[int64]int, error)
	// ReportStatusLines returns, for every conversation f selects that was
	// closed in [from, to), its closed, reopened and unblocked activity
	// lines before to, by conversation and then in the order they
	// happened, each close with the contact's first text after it.
	ReportStatusLines(ctx context.Context, f ReportFilter, from, to time.Time) ([]ReportStatusLine, error)
}

// QuarterCounts is the rollup of one UTC quarter-hour: conversations
// opened, texts received and sent, and the sent texts by how far they
// got.
type QuarterCounts struct {
	Start            time.Time
	Opened, Received int
	Sent             int
	Delivery         DeliveryCounts
}

// AgentReplies is how many human replies one agent wrote, and to how many
// conversations.
type AgentReplies struct {
	UserID        int64
	Replies       int
	Conversations int
}

// Waiting is what ReportWaiting found: Oldest holds each conversation
// and when its wait began.
type Waiting struct {
	Count, Older int
	Oldest       []WaitingConversation
}

// ReportWait is one answered wait for a human: from a contact's text that
// no human reply had answered to the first human reply after it, which
// AnsweredBy wrote. StartedAt is to the second (every boundary a report
// compares it with is a whole second), Wait to the millisecond.
type ReportWait struct {
	StartedAt  time.Time
	Wait       time.Duration
	AnsweredBy int64
}

// Report is every figure of the reports screen for one period and the
// one before it.
type Report struct {
	Query    ReportQuery
	TimeZone *time.Location
	// Buckets start each bar of the time charts (days, or hours for one
	// day); the series of Current line up with them.
	Buckets []time.Time
	Current ReportPeriod
	// Previous is the period of as many days just before, for comparison.
	// Its series are by its own buckets and are not drawn.
	Previous ReportPeriod
	// Heat counts the period's contact texts by weekday (Sunday first) and
	// hour in the team's time zone; Open marks the hours in which the team
	// is open for at least part of the hour.
	Heat [7][24]int
	Open [7][24]bool
	// Agents are the people who replied in the period or hold open
	// conversations now, most replies first.
	Agents []AgentFigures
	// Errors are the commonest carrier error codes of the period's
	// undelivered and failed texts, most frequent first.
	Errors []ErrorCount
	// Busiest are the conversations whose contacts texted most in the
	// period.
	Busiest []ConversationCount
	// Unanswered are the conversations whose contact's text, sent in the
	// period, has waited longer than the threshold for a human reply,
	// longest first; UnansweredTotal counts them all.
	Unanswered      []WaitingConversation
	UnansweredTotal int
	GeneratedAt     time.Time
}

// ReportPeriod holds the figures of one period.
type ReportPeriod struct {
	Range    ReportRange
	Opened   int
	Received int
	Sent     int
	// The series count by bucket.
	OpenedSeries, ReceivedSeries, SentSeries []int
	// FirstResponse splits waits by whether the contact texted inside
	// business hours.
	FirstResponseInside, FirstResponseOutside Durations
	// Waiting counts waits of the period that no human has answered yet.
	Waiting int
	// Resolution measures the period's closes, each from the
	// conversation's opening or its reopening before it (see
	// resolutions); ResolvedSeries counts them by bucket.
	Resolution     Durations
	ResolvedSeries []int
	Delivery       DeliveryCounts
	Consent        ConsentCounts
	// starts are Range.Buckets(), kept for placing each message.
	starts []time.Time
}

// Durations summarises measured times: how many, the median and the 90th
// percentile (nearest rank); zero durations when Count is 0.
type Durations struct {
	Count       int
	Median, P90 time.Duration
}

// DeliveryCounts sorts the period's outbound texts by how far they got.
type DeliveryCounts struct {
	Delivered, Undelivered, Failed, Unconfirmed int
}

// Total is how many outbound texts the counts cover.
func (d DeliveryCounts) Total() int { return d.Delivered + d.Undelivered + d.Failed + d.Unconfirmed }

// ConsentCounts counts opt-outs and opt-ins by who made them, with a daily
// (or hourly) series of each.
type ConsentCounts struct {
	OptOuts, OptIns           ConsentSources
	OptOutSeries, OptInSeries []int
}

// ConsentSources splits consent changes by their source.
type ConsentSources struct {
	Keyword, Carrier, ByHand int
}

// Total is the sum over the sources.
func (c ConsentSources) Total() int { return c.Keyword + c.Carrier + c.ByHand }

// AgentFigures is one agent's share of the period.
type AgentFigures struct {
	User          User
	Conversations int // conversations the agent replied in
	Replies       int
	FirstResponse Durations // waits the agent ended
	OpenNow       int       // open conversations assigned now
	Resolved      int       // closes by the agent in the period
}

// ErrorCount is a carrier error code, what it means, and how often it
// came.
type ErrorCount struct {
	Code  string
	Words string
	Count int
}

// ConversationCount is a conversation and how many texts its contact sent
// in the period.
type ConversationCount struct {
	Conversation Conversation
	Texts        int
}

// WaitingConversation is a conversation whose contact has waited since
// Since for a human reply.
type WaitingConversation struct {
	Conversation Conversation
	Since        time.Time
}

// Report computes the reports screen for q. Agents may read it as admins
// do; it changes nothing.
//
// Errors: EFORBIDDEN for an actor who is not signed in; EINVALID (Field
// "from" or "to") for a custom range ResolveReportRange refuses; EINTERNAL
// when the store cannot report; EUNAVAILABLE.
func (s *Service) Report(ctx context.Context, actor User, q ReportQuery) (Report, error) {
	if actor.ID == 0 {
		return Report{}, Errorf(EFORBIDDEN, "sign in to read reports")
	}
	rs, ok := s.store.(ReportStore)
	if !ok {
		return Report{}, Errorf(EINTERNAL, "this store cannot report")
	}
	if q.UnansweredAfter <= 0 {
		q.UnansweredAfter = DefaultUnansweredAfter
	}
	hours, err := s.BusinessHoursSettings(ctx)
	if err != nil {
		return Report{}, err
	}
	users, err := s.ListUsers(ctx)
	if err != nil {
		return Report{}, err
	}
	now := s.now()
	if q.Range, err = ResolveReportRange(q.Kind, q.From, q.To, now, hours.Location()); err != nil {
		return Report{}, err
	}
	r, err := buildReport(ctx, rs, q, hours, now)
	if err != nil {
		return Report{}, unavailable(err)
	}
	r.Agents = agentFigures(r.Agents, users)
	if err := s.fillConversations(ctx, &r); err != nil {
		return Report{}, err
	}
	return r, nil
}

// fillConversations loads the conversations the two lists link to.
func (s *Service) fillConversations(ctx context.Context, r *Report) error {
	for i := range r.Busiest {
		c, err := s.store.FindConversationByID(ctx, r.Busiest[i].Conversation.ID)
		if err != nil {
			return unavailable(err)
		}
		r.Busiest[i].Conversation = c
	}
	for i := range r.Unanswered {
		c, err := s.store.FindConversationByID(ctx, r.Unanswered[i].Conversation.ID)
		if err != nil {
			return unavailable(err)
		}
		r.Unanswered[i].Conversation = c
	}
	return nil
}
