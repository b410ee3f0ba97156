package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// testSeed is PARLEY_TEST_SEED when set (to replay a failure), else a
// new one, logged.
func testSeed(t *testing.T) uint64 {
	t.Helper()
	if v := os.Getenv("PARLEY_TEST_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("PARLEY_TEST_SEED=%q: %v", v, err)
		}
		return n
	}
	n := uint64(time.Now().UnixNano())
	t.Logf("PARLEY_TEST_SEED=%d", n)
	return n
}

// randomHistory writes three weeks of texts, replies, keyword answers,
// delivery reports, closes and reopens in New York across the start of
// daylight saving time, with a label on every conversation (so that a
// report filtered by it scans the messages), and returns the label.
func randomHistory(t *testing.T, s *store.Store, seed uint64) (*rig, inbox.User, inbox.Label) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
	r := newRig(t, s, rigOptions{})
	admin := inbox.User{Email: "admin@example.com", Name: "Ada", Role: inbox.RoleAdmin, CreatedAt: t0}
	bob := inbox.User{Email: "bob@example.com", Name: "Bob", Role: inbox.RoleAgent, CreatedAt: t0}
	for _, u := range []*inbox.User{&admin, &bob} {
		if err := s.SaveUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	agents := []inbox.User{r.agent, bob}
	hours := inbox.DefaultBusinessHours()
	hours.TimeZone = "America/New_York"
	must(r.svc.SaveBusinessHours(ctx, admin, hours))
	all := must(r.svc.SaveLabel(ctx, admin, inbox.Label{Name: "All", Color: "amber"}))
	must(r.svc.SetConversationLabel(ctx, admin, r.convID, all.ID, true))
	convs := map[string]int64{contact: r.convID}
	bodies := []string{"where is my parcel", "hello?", "HELP", "STOP", "START", "HOURS", "thanks"}
	statuses := []inbox.Status{inbox.StatusDelivered, inbox.StatusDelivered, inbox.StatusUndelivered, inbox.StatusFailed, inbox.StatusSent, ""}
	codes := []string{"30", "200", "451", ""}
	end := t0.Add(20 * 24 * time.Hour)
	for n := 0; r.clock.Now().Before(end); n++ {
		r.clock.Advance(time.Duration(1+rng.IntN(240)) * time.Minute)
		from := fmt.Sprintf("+1415555%04d", 110+rng.IntN(12))
		switch k := rng.IntN(10); {
		case k < 5: // a contact texts
			uuid := fmt.Sprintf("rand-%d", n)
			id := storetest.MustReceive(t, r.svc, inboxtest.Inbound(uuid, from, channel, bodies[rng.IntN(len(bodies))])).Conversation.ID
			if _, seen := convs[from]; !seen {
				convs[from] = id
				must(r.svc.SetConversationLabel(ctx, admin, id, all.ID, true))
			}
		case k < 8: // an agent answers a conversation
			id, ok := convs[from]
			if !ok {
				continue
			}
			m, err := r.svc.SendReply(ctx, agents[rng.IntN(2)], id, "on it")
			if err != nil {
				continue // opted out: the reply is refused, which is fine here
			}
			r.MustSendDue(t, 1)
			if st := statuses[rng.IntN(len(statuses))]; st != "" {
				code := ""
				if st == inbox.StatusUndelivered || st == inbox.StatusFailed {
					code = codes[rng.IntN(len(codes))]
				}
				r.MustRecord(t, inbox.DeliveryReport{MessageUUID: r.MustFind(t, m.ID).ProviderUUID, Status: st, ErrorCode: code})
			}
		case k < 9: // an agent closes or reopens
			id, ok := convs[from]
			if !ok {
				continue
			}
			status := inbox.ConversationClosed
			if rng.IntN(2) == 0 {
				status = inbox.ConversationOpen
			}
			_, _ = r.svc.SetConversationStatus(ctx, agents[rng.IntN(2)], id, status)
		default: // a text Parley could not confirm handing over
			if _, err := s.DB().ExecContext(ctx, `UPDATE messages SET status = 'failed', error_code = 'unconfirmed'
				WHERE id = (SELECT MAX(id) FROM messages WHERE direction = 'outbound')`); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A text stored out of order, as a replay of an old webhook would be:
	// the conversation's waits are rebuilt.
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO messages (conversation_id, provider_uuid, direction, from_number, to_number, status, created_at, updated_at)
		VALUES (?, 'replayed', 'inbound', ?, ?, 'received', ?, ?)`,
		r.convID, contact, channel, t0.Add(36*time.Hour), t0.Add(36*time.Hour)); err != nil {
		t.Fatal(err)
	}
	return r, admin, all
}

// reportsOf computes the report for several ranges, unfiltered or by f.
func reportsOf(t *testing.T, svc *inbox.Service, who inbox.User, f inbox.ReportFilter) []inbox.Report {
	t.Helper()
	var out []inbox.Report
	for _, rg := range [][2]string{{"2026-03-01", "2026-03-21"}, {"2026-03-05", "2026-03-11"}, {"2026-03-08", "2026-03-08"}, {"2026-03-09", "2026-03-09"}, {"2026-03-15", "2026-03-20"}} {
		q := inbox.ReportQuery{Kind: inbox.ReportCustom, From: rg[0], To: rg[1], Filter: f}
		r := must(svc.Report(context.Background(), who, q))
		r.Query.Filter = inbox.ReportFilter{}
		out = append(out, r)
	}
	return out
}

// rebuildRollups empties the rollups and runs the migration's backfill.
func rebuildRollups(t *testing.T, s *store.Store) {
	t.Helper()
	if err := s.RebuildReportRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
}

type waitRow struct {
	conversation int64
	start, end   time.Time
	by           int64
}

func (w waitRow) String() string {
	return fmt.Sprintf("%d %s→%s by %d", w.conversation, w.start.UTC().Format(time.RFC3339Nano), w.end.UTC().Format(time.RFC3339Nano), w.by)
}

// storedWaits reads report_waits, checking each wait's start in seconds
// and length in milliseconds against its timestamps.
func storedWaits(t *testing.T, s *store.Store) []string {
	t.Helper()
	rows, err := s.DB().QueryContext(context.Background(),
		"SELECT conversation_id, started_at, answered_at, answered_by, started_s, wait_ms FROM report_waits ORDER BY conversation_id, started_at")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var (
			w        waitRow
			end      sql.NullTime
			by       sql.NullInt64
			startS   int64
			waitedMs sql.NullInt64
		)
		if err := rows.Scan(&w.conversation, &w.start, &end, &by, &startS, &waitedMs); err != nil {
			t.Fatal(err)
		}
		w.end, w.by = end.Time, by.Int64
		if startS != w.start.Unix() || waitedMs.Valid != end.Valid || (end.Valid && waitedMs.Int64 != end.Time.Sub(w.start).Round(time.Millisecond).Milliseconds()) {
			t.Errorf("wait %s: started_s %d, wait_ms %+v, want %d and the wait in milliseconds", w, startS, waitedMs, w.start.Unix())
		}
		out = append(out, w.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// expectedWaits follows each conversation's messages in the order a
// report reads them, by the rule of docs/reports.md, independently of
// the SQL.
func expectedWaits(t *testing.T, s *store.Store) []string {
	t.Helper()
	rows, err := s.DB().QueryContext(context.Background(), `SELECT conversation_id, created_at, direction, sent_by FROM messages
		WHERE direction = 'inbound' OR sent_by IS NOT NULL ORDER BY conversation_id, created_at, direction, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var (
		out  []string
		open *waitRow
		conv int64 = -1
	)
	flush := func() {
		if open != nil {
			out = append(out, open.String())
			open = nil
		}
	}
	for rows.Next() {
		var (
			id  int64
			at  time.Time
			dir string
			by  sql.NullInt64
		)
		if err := rows.Scan(&id, &at, &dir, &by); err != nil {
			t.Fatal(err)
		}
		if id != conv {
			flush()
			conv = id
		}
		switch {
		case dir == "inbound" && open == nil:
			open = &waitRow{conversation: id, start: at}
		case dir == "outbound" && open != nil:
			open.end, open.by = at, by.Int64
			flush()
		}
	}
	flush()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The rollups the triggers keep, the ones the migration backfills from
// the same history, and a scan of the messages give the same report,
// figure for figure; and the waits are the ones the rule defines.
func TestReportRollupsMatchTheScanAndTheBackfill(t *testing.T) {
	seed := testSeed(t)
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r, admin, all := randomHistory(t, s, seed)
		if got, want := storedWaits(t, s), expectedWaits(t, s); !reflect.DeepEqual(got, want) {
			t.Errorf("waits kept by the triggers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		live := reportsOf(t, r.svc, admin, inbox.ReportFilter{})
		scanned := reportsOf(t, r.svc, admin, inbox.ReportFilter{LabelID: all.ID})
		for i := range live {
			compareReports(t, fmt.Sprintf("range %d: rollups against the scan", i), live[i], scanned[i])
		}
		rebuildRollups(t, s)
		if got, want := storedWaits(t, s), expectedWaits(t, s); !reflect.DeepEqual(got, want) {
			t.Errorf("waits backfilled:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		rebuilt := reportsOf(t, r.svc, admin, inbox.ReportFilter{})
		for i := range live {
			compareReports(t, fmt.Sprintf("range %d: backfilled rollups against the triggers'", i), rebuilt[i], live[i])
		}
		if live[0].Current.Received < 50 || live[0].Current.FirstResponseInside.Count == 0 || live[0].Current.Delivery.Failed+live[0].Current.Delivery.Undelivered == 0 {
			t.Errorf("the history is too thin to test much: %+v", live[0].Current)
		}
	})
}

func compareReports(t *testing.T, name string, got, want inbox.Report) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		for _, part := range []struct {
			name      string
			got, want any
		}{
			{"current", got.Current, want.Current}, {"previous", got.Previous, want.Previous},
			{"heat", got.Heat, want.Heat}, {"agents", agentRows(got.Agents), agentRows(want.Agents)},
			{"errors", got.Errors, want.Errors}, {"busiest", busiestIDs(got.Busiest), busiestIDs(want.Busiest)},
			{"unanswered", waitingIDs(got.Unanswered), waitingIDs(want.Unanswered)},
			{"unanswered total", got.UnansweredTotal, want.UnansweredTotal},
		} {
			if !reflect.DeepEqual(part.got, part.want) {
				t.Errorf("%s: %s differ:\n got %+v\nwant %+v", name, part.name, part.got, part.want)
			}
		}
		t.Errorf("%s: reports differ", name)
	}
}

// A removed agent's replies stay human replies: the first response times
// and the agent's figures do not change when the agent leaves.
func TestReportKeepsARemovedAgentsReplies(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		h := newHistory(t, s)
		before := h.MustReport(t, 5, 9, inbox.ReportFilter{})
		if err := h.svc.RemoveUser(context.Background(), h.admin, h.bob.ID); err != nil {
			t.Fatal(err)
		}
		after := h.MustReport(t, 5, 9, inbox.ReportFilter{})
		if !reflect.DeepEqual(after.Current.FirstResponseOutside, before.Current.FirstResponseOutside) {
			t.Errorf("first responses outside hours after bob left=%+v, before=%+v", after.Current.FirstResponseOutside, before.Current.FirstResponseOutside)
		}
		var replies int
		for _, a := range after.Agents {
			if a.User.ID == h.bob.ID {
				replies = a.Replies
			}
		}
		if replies != 2 {
			t.Errorf("bob's replies after he left=%d, want 2", replies)
		}
	})
}

// A close whose reopening text came long before the periods shown is
// still measured from that text: the store looks up each close's next
// contact text, however old.
func TestResolutionFindsAReopeningTextBeforeThePeriods(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{}) // texted at t0, 1 March 2026 09:30 UTC
		day := 24 * time.Hour
		r.clock.Advance(day)
		must(r.svc.SetConversationStatus(ctx, r.agent, r.convID, inbox.ConversationClosed))
		r.clock.Advance(day) // 3 March: the contact texts again, which reopens it
		storetest.MustReceive(t, r.svc, inboxtest.Inbound("again", contact, channel, "one more thing"))
		reopened := r.clock.Now()
		r.clock.Advance(37 * day) // 9 April
		must(r.svc.SetConversationStatus(ctx, r.agent, r.convID, inbox.ConversationClosed))
		closed := r.clock.Now()
		r.clock.Advance(day)
		q := inbox.ReportQuery{Kind: inbox.ReportCustom, From: "2026-04-05", To: "2026-04-10"}
		rep := must(r.svc.Report(ctx, r.agent, q))
		got := rep.Current.Resolution
		if want := closed.Sub(reopened); got.Count != 1 || got.Median != want {
			t.Errorf("resolution=%+v, want one of %v (from the reopening text of 3 March)", got, want)
		}
	})
}
