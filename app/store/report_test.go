package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// history is a known week of texts in New York, across the start of
// daylight saving time (Sunday 8 March 2026, 02:00 EST → 03:00 EDT), with
// business hours Monday to Friday 9:00–17:00. docs/reports.md walks
// through the same figures.
type history struct {
	*rig
	ny                *time.Location
	admin, alice, bob inbox.User
	a, b, c, d, e, f  int64
	label             inbox.Label
}

// MustAt moves the clock forward to local time day (March 2026) hh:mm in
// New York.
func (h *history) MustAt(t *testing.T, day, hh, mm int) {
	t.Helper()
	at := time.Date(2026, 3, day, hh, mm, 0, 0, h.ny)
	d := at.Sub(h.clock.Now())
	if d < 0 {
		t.Fatalf("clock at %v, cannot go back to %v", h.clock.Now(), at)
	}
	h.clock.Advance(d)
}

func (h *history) MustText(t *testing.T, from, text string) int64 {
	t.Helper()
	uuid := fmt.Sprintf("in-%s-%d", from, h.clock.Now().Unix())
	return storetest.MustReceive(t, h.svc, inboxtest.Inbound(uuid, from, channel, text)).Conversation.ID
}

// MustAnswer sends as who to conversation id and, when status is not
// empty, records the carrier's report of it.
func (h *history) MustAnswer(t *testing.T, who inbox.User, id int64, status inbox.Status, code string) {
	t.Helper()
	m, err := h.svc.SendReply(context.Background(), who, id, "on it")
	if err != nil {
		t.Fatalf("SendReply: %v", err)
	}
	h.MustSendDue(t, 1)
	if status != "" {
		h.MustRecord(t, inbox.DeliveryReport{MessageUUID: h.MustFind(t, m.ID).ProviderUUID, Status: status, ErrorCode: code})
	}
}

// must returns v, and stops the test (by panicking, which fails it) when
// err is set: history steps are not what a test checks.
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("writing the known history: %v", err))
	}
	return v
}

// newHistory writes the known history. Conversations: a (the rig's), b,
// f, c, d, e, in the order they open.
func newHistory(t *testing.T, s *store.Store) *history {
	t.Helper()
	ctx := context.Background()
	h := &history{rig: newRig(t, s, rigOptions{})} // a: texted Sun 1 Mar 04:30 EST
	h.ny = must(time.LoadLocation("America/New_York"))
	h.alice, h.a = h.agent, h.convID
	h.bob = inbox.User{Email: "bob@example.com", Name: "Bob", Role: inbox.RoleAgent, CreatedAt: t0}
	h.admin = inbox.User{Email: "admin@example.com", Name: "Ada", Role: inbox.RoleAdmin, CreatedAt: t0}
	for _, u := range []*inbox.User{&h.bob, &h.admin} {
		if err := s.SaveUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	hours := inbox.DefaultBusinessHours()
	hours.TimeZone = "America/New_York"
	must(h.svc.SaveBusinessHours(ctx, h.admin, hours))
	h.label = must(h.svc.SaveLabel(ctx, h.admin, inbox.Label{Name: "VIP", Color: "amber"}))
	must(h.svc.SetConversationLabel(ctx, h.admin, h.a, h.label.ID, true))
	must(h.svc.AssignConversation(ctx, h.admin, h.a, h.alice.ID))

	// The previous period, Sunday 1 to Wednesday 4 March.
	h.MustAt(t, 2, 9, 30)
	h.MustAnswer(t, h.alice, h.a, "", "") // 29 h after Sunday's text: outside hours
	h.MustAt(t, 2, 9, 40)
	must(h.svc.SetConversationStatus(ctx, h.alice, h.a, inbox.ConversationClosed)) // resolved 29 h 10 min after it opened
	h.MustAt(t, 2, 10, 0)
	must(h.svc.SetConversationStatus(ctx, h.alice, h.a, inbox.ConversationOpen))
	h.MustAt(t, 4, 10, 0)
	h.MustText(t, contact, "one more thing") // inside hours
	h.MustAt(t, 4, 10, 30)
	h.MustAnswer(t, h.alice, h.a, "", "") // 30 min

	// The reported period, Thursday 5 to Monday 9 March.
	h.MustAt(t, 5, 16, 50)
	h.MustText(t, contact, "the parcel is late") // inside: a wait begins
	h.MustAt(t, 5, 17, 5)
	h.MustText(t, contact, "hello?") // still the same wait
	h.MustAt(t, 5, 17, 30)
	must(h.svc.AddNote(ctx, h.alice, h.a, "checking with the warehouse")) // a note is no reply
	h.MustAt(t, 5, 20, 0)
	h.b = h.MustText(t, "+14155550102", "HELP") // outside; the keyword's automatic reply is no answer
	h.MustAt(t, 5, 20, 45)
	h.MustAnswer(t, h.bob, h.b, inbox.StatusUndelivered, inbox.CarrierOptOutCode) // 45 min; the carrier opts b out
	h.MustAt(t, 5, 21, 0)
	must(h.svc.SetConversationStatus(ctx, h.bob, h.b, inbox.ConversationClosed)) // resolved 1 h after it opened
	h.MustAt(t, 6, 9, 0)
	must(h.svc.SetConversationStatus(ctx, h.alice, h.b, inbox.ConversationOpen))
	h.MustAt(t, 6, 9, 10)
	h.MustAnswer(t, h.alice, h.a, inbox.StatusDelivered, "") // 16 h 20 min after Thursday 16:50
	h.MustAt(t, 6, 9, 30)
	must(h.svc.SetConversationStatus(ctx, h.alice, h.b, inbox.ConversationClosed)) // resolved again, 30 min after the reopen
	h.MustAt(t, 7, 22, 0)
	h.f = h.MustText(t, "+14155550106", "is anyone there") // outside
	h.MustAt(t, 7, 23, 30)
	h.c = h.MustText(t, "+14155550103", "my screen is broken") // outside
	h.MustAt(t, 8, 3, 30)                                      // EDT now: 3 h of clock time after 23:30 EST
	h.MustAnswer(t, h.bob, h.c, inbox.StatusFailed, "30")
	h.MustAt(t, 8, 4, 0)
	must(h.svc.SetConversationStatus(ctx, h.bob, h.c, inbox.ConversationStatus("closed"))) // resolved 3 h 30 min after Saturday 23:30 EST
	h.MustAt(t, 8, 5, 0)
	must(h.svc.SetConversationStatus(ctx, h.bob, h.c, inbox.ConversationStatus("open")))
	must(h.svc.AssignConversation(ctx, h.admin, h.c, h.bob.ID))
	h.MustAt(t, 8, 10, 0)
	h.MustText(t, "+14155550106", "hello??") // f still waiting since Saturday
	h.MustAt(t, 8, 11, 0)
	h.MustAnswer(t, h.alice, h.f, inbox.StatusDelivered, "") // 12 h after Saturday 22:00 EST
	h.MustAt(t, 9, 9, 0)
	h.d = h.MustText(t, "+14155550104", "STOP") // inside; opts out by keyword
	h.MustAt(t, 9, 10, 0)
	h.e = h.MustText(t, "+14155550105", "where is my refund") // inside
	h.MustAt(t, 9, 10, 30)
	must(h.svc.SnoozeConversation(ctx, h.alice, h.e, time.Hour)) // snoozing answers nothing
	h.MustAt(t, 9, 11, 0)
	must(h.svc.OptInByHand(ctx, h.admin, h.d, "asked us by phone to text again"))
	h.MustAt(t, 9, 18, 0) // now
	return h
}

func (h *history) MustReport(t *testing.T, first, last int, f inbox.ReportFilter) inbox.Report {
	t.Helper()
	from, to := fmt.Sprintf("2026-03-%02d", first), fmt.Sprintf("2026-03-%02d", last)
	q := inbox.ReportQuery{Kind: inbox.ReportCustom, From: from, To: to, Filter: f}
	return must(h.svc.Report(context.Background(), h.bob, q))
}

func TestReportOnKnownHistory(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		h := newHistory(t, s)
		r := h.MustReport(t, 5, 9, inbox.ReportFilter{})
		cur, prev := r.Current, r.Previous
		mins := func(m int) time.Duration { return time.Duration(m) * time.Minute }
		checks := []struct {
			name      string
			got, want any
		}{
			{"buckets", len(r.Buckets), 5},
			{"opened", cur.Opened, 5},
			{"received", cur.Received, 8},
			{"sent", cur.Sent, 6},
			{"opened by day", cur.OpenedSeries, []int{1, 0, 2, 0, 2}},
			{"received by day", cur.ReceivedSeries, []int{3, 0, 2, 1, 2}},
			{"sent by day", cur.SentSeries, []int{2, 1, 0, 2, 1}},
			{"first response inside", cur.FirstResponseInside, inbox.Durations{Count: 1, Median: mins(16*60 + 20), P90: mins(16*60 + 20)}},
			{"first response outside", cur.FirstResponseOutside, inbox.Durations{Count: 3, Median: 3 * time.Hour, P90: 12 * time.Hour}},
			{"waiting", cur.Waiting, 2},
			{"resolution", cur.Resolution, inbox.Durations{Count: 3, Median: time.Hour, P90: mins(3*60 + 30)}},
			{"resolved by day", cur.ResolvedSeries, []int{1, 1, 0, 1, 0}},
			{"previous resolution", prev.Resolution, inbox.Durations{Count: 1, Median: mins(29*60 + 10), P90: mins(29*60 + 10)}},
			{"delivery", cur.Delivery, inbox.DeliveryCounts{Delivered: 2, Undelivered: 1, Failed: 1, Unconfirmed: 2}},
			{"opt-outs", cur.Consent.OptOuts, inbox.ConsentSources{Keyword: 1, Carrier: 1}},
			{"opt-ins", cur.Consent.OptIns, inbox.ConsentSources{ByHand: 1}},
			{"opt-outs by day", cur.Consent.OptOutSeries, []int{1, 0, 0, 0, 1}},
			{"opt-ins by day", cur.Consent.OptInSeries, []int{0, 0, 0, 0, 1}},
			{"errors", r.Errors, []inbox.ErrorCount{
				{Code: "200", Words: inbox.CarrierErrorWords("200"), Count: 1},
				{Code: "30", Words: inbox.CarrierErrorWords("30"), Count: 1},
			}},
			{"unanswered total", r.UnansweredTotal, 2},
			{"unanswered", waitingIDs(r.Unanswered), []int64{h.d, h.e}},
			{"busiest", busiestIDs(r.Busiest), []string{
				fmt.Sprint(h.a, ":2"), fmt.Sprint(h.f, ":2"), fmt.Sprint(h.b, ":1"),
				fmt.Sprint(h.c, ":1"), fmt.Sprint(h.d, ":1"), fmt.Sprint(h.e, ":1"),
			}},
			{"agents", agentRows(r.Agents), []string{
				"agent@example.com: 2 conversations, 2 replies, first response 2 median 12h0m0s p90 16h20m0s, 1 open, 1 resolved",
				"bob@example.com: 2 conversations, 2 replies, first response 2 median 45m0s p90 3h0m0s, 1 open, 2 resolved",
			}},
			{"previous opened", prev.Opened, 1},
			{"previous received", prev.Received, 2},
			{"previous sent", prev.Sent, 2},
			{"previous first response inside", prev.FirstResponseInside, inbox.Durations{Count: 1, Median: 30 * time.Minute, P90: 30 * time.Minute}},
			{"previous first response outside", prev.FirstResponseOutside, inbox.Durations{Count: 1, Median: 29 * time.Hour, P90: 29 * time.Hour}},
			{"previous delivery", prev.Delivery, inbox.DeliveryCounts{Unconfirmed: 2}},
		}
		for _, c := range checks {
			if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
				t.Errorf("%s=%v, want %v", c.name, c.got, c.want)
			}
		}
		heat := map[string]int{}
		for d := range 7 {
			for hr := range 24 {
				if n := r.Heat[d][hr]; n != 0 {
					heat[fmt.Sprintf("%s %02d", time.Weekday(d).String()[:3], hr)] = n
				}
			}
		}
		wantHeat := map[string]int{"Thu 16": 1, "Thu 17": 1, "Thu 20": 1, "Sat 22": 1, "Sat 23": 1, "Sun 10": 1, "Mon 09": 1, "Mon 10": 1}
		if fmt.Sprint(heat) != fmt.Sprint(wantHeat) {
			t.Errorf("heat=%v, want %v", heat, wantHeat)
		}
		if !r.Open[time.Monday][9] || r.Open[time.Monday][17] || r.Open[time.Saturday][12] || !r.Open[time.Friday][16] {
			t.Errorf("open hours=%v, want Monday to Friday 09–17", r.Open)
		}
	})
}

// TestReportCarriesWaitsAcrossTheScanStart reports Monday 9 March alone:
// its comparison period is Sunday, whose scan starts at midnight, after f
// had begun waiting (Saturday 22:00). f's Sunday text continues that
// wait; it must not count as a wait of Sunday answered in an hour.
func TestReportCarriesWaitsAcrossTheScanStart(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		h := newHistory(t, s)
		r := h.MustReport(t, 9, 9, inbox.ReportFilter{})
		if got := r.Previous.FirstResponseOutside; got.Count != 0 {
			t.Errorf("Sunday's first responses outside hours=%+v, want none (c's and f's waits began on Saturday)", got)
		}
		if got := len(r.Buckets); got != 24 {
			t.Errorf("buckets=%d, want 24 hourly bars", got)
		}
		if got, want := r.Current.ReceivedSeries[9]+r.Current.ReceivedSeries[10], 2; got != want {
			t.Errorf("received 09:00–11:00=%d, want %d", got, want)
		}
		if got := len(r.Previous.Range.Buckets()); got != 23 {
			t.Errorf("Sunday 8 March has %d hourly buckets, want 23 (clocks went forward)", got)
		}
	})
}

func TestReportFilters(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		h := newHistory(t, s)
		cases := []struct {
			name                   string
			f                      inbox.ReportFilter
			received, sent, opened int
			optOuts                int
		}{
			{"label VIP (a)", inbox.ReportFilter{LabelID: h.label.ID}, 2, 1, 0, 0},
			{"assigned to bob (c)", inbox.ReportFilter{AssigneeID: h.bob.ID}, 1, 1, 1, 0},
			{"our number", inbox.ReportFilter{Channel: channel}, 8, 6, 5, 2},
			{"another number", inbox.ReportFilter{Channel: "+14155550000"}, 0, 0, 0, 0},
		}
		for _, c := range cases {
			r := h.MustReport(t, 5, 9, c.f)
			got := []int{r.Current.Received, r.Current.Sent, r.Current.Opened, r.Current.Consent.OptOuts.Total()}
			if want := []int{c.received, c.sent, c.opened, c.optOuts}; !slices.Equal(got, want) {
				t.Errorf("%s: received, sent, opened, opt-outs=%v, want %v", c.name, got, want)
			}
		}
	})
}

func waitingIDs(ws []inbox.WaitingConversation) []int64 {
	var out []int64
	for _, w := range ws {
		out = append(out, w.Conversation.ID)
	}
	return out
}

func busiestIDs(cs []inbox.ConversationCount) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprint(c.Conversation.ID, ":", c.Texts))
	}
	return out
}

func agentRows(as []inbox.AgentFigures) []string {
	var out []string
	for _, a := range as {
		out = append(out, fmt.Sprintf("%s: %d conversations, %d replies, first response %d median %v p90 %v, %d open, %d resolved",
			a.User.Email, a.Conversations, a.Replies, a.FirstResponse.Count, a.FirstResponse.Median, a.FirstResponse.P90, a.OpenNow, a.Resolved))
	}
	return out
}
