package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// MustSent queues a reply and sends it, returning it with its UUID.
func (r *rig) MustSent(t *testing.T, text string) inbox.Message {
	t.Helper()
	m := r.MustReply(t, text)
	r.MustSendDue(t, 1)
	return r.MustFind(t, m.ID)
}

func (r *rig) MustRecord(t *testing.T, rep inbox.DeliveryReport) inbox.Message {
	t.Helper()
	m, err := r.ob.RecordDelivery(context.Background(), rep)
	if err != nil {
		t.Fatalf("RecordDelivery(%+v): %v", rep, err)
	}
	return m
}

func mustTimeline(t *testing.T, s *store.Store, id int64) []inbox.MessageEvent {
	t.Helper()
	events, err := s.MessageEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func countEvents(t *testing.T, s *store.Store) int {
	t.Helper()
	events, err := s.EventsAfter(context.Background(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	return len(events)
}

func TestDeliveryReportsMoveForwardOnlyInAnyOrder(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		m := r.MustSent(t, "tracked")
		steps := []struct {
			status inbox.Status
			seq    int
			want   inbox.Status
		}{
			{"delivered", 3, inbox.StatusDelivered},
			{"queued", 1, inbox.StatusDelivered},
			{"sent", 2, inbox.StatusDelivered}, // a late "sent" never overwrites "delivered"
			{"undelivered", 4, inbox.StatusDelivered},
		}
		for _, st := range steps {
			before := statusEvents(t, s, m.ID)
			got := r.MustRecord(t, inbox.DeliveryReport{
				MessageUUID: m.ProviderUUID, Status: st.status, Sequence: st.seq, Raw: map[string]string{"Status": string(st.status)},
			})
			if got.Status != st.want {
				t.Fatalf("after %s (%d): status=%s, want %s", st.status, st.seq, got.Status, st.want)
			}
			moved := st.status == "delivered"
			if after := statusEvents(t, s, m.ID); (after > before) != moved {
				t.Fatalf("after %s: status events %d -> %d, want a new one only when the status moved", st.status, before, after)
			}
		}
		timeline := mustTimeline(t, s, m.ID)
		if len(timeline) != 4 {
			t.Fatalf("timeline=%d events, want 4 (every report is recorded)", len(timeline))
		}
		for i, e := range timeline {
			if e.Sequence != i+1 {
				t.Fatalf("timeline[%d] sequence=%d, want %d (ordered by Sequence)", i, e.Sequence, i+1)
			}
		}
		if timeline[0].Status != "queued" || timeline[0].Raw["Status"] != "queued" {
			t.Fatalf("timeline[0]=%+v, want the queued report with its raw form", timeline[0])
		}
	})
}

func TestDuplicateDeliveryReportChangesNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		m := r.MustSent(t, "twice")
		rep := inbox.DeliveryReport{MessageUUID: m.ProviderUUID, Status: "undelivered", ErrorCode: "30", Sequence: 2}
		first := r.MustRecord(t, rep)
		if first.Status != inbox.StatusUndelivered || first.ErrorCode != "30" {
			t.Fatalf("status=%s code=%q, want undelivered with code 30", first.Status, first.ErrorCode)
		}
		events, published := countEvents(t, s), len(r.pub.Events())
		again := r.MustRecord(t, rep)
		if again.Status != inbox.StatusUndelivered || again.ID != m.ID {
			t.Fatalf("duplicate returned status=%s id=%d, want the message as it is", again.Status, again.ID)
		}
		if n := len(mustTimeline(t, s, m.ID)); n != 1 {
			t.Fatalf("timeline=%d, want 1 after a duplicate", n)
		}
		if n := countEvents(t, s); n != events {
			t.Fatalf("events logged %d -> %d, want no change", events, n)
		}
		if n := len(r.pub.Events()); n != published {
			t.Fatalf("events published %d -> %d, want no change", published, n)
		}
	})
}

func TestDeliveryReportForUnknownMessage(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		inbound, err := s.FindMessageByProviderUUID(context.Background(), "in-1")
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			rep  inbox.DeliveryReport
			code string
		}{
			{"unknown uuid", inbox.DeliveryReport{MessageUUID: "nope", Status: "delivered"}, inbox.ENOTFOUND},
			{"unknown ref", inbox.DeliveryReport{MessageUUID: "nope", MessageID: 999999, Status: "delivered"}, inbox.ENOTFOUND},
			{"ref to an inbound message", inbox.DeliveryReport{MessageUUID: "nope", MessageID: inbound.ID, Status: "delivered"}, inbox.ENOTFOUND},
			{"unknown status", inbox.DeliveryReport{MessageUUID: "nope", Status: "exploded"}, inbox.EINVALID},
			{"no message named", inbox.DeliveryReport{Status: "delivered"}, inbox.EINVALID},
		}
		for _, tt := range tests {
			if _, err := r.ob.RecordDelivery(context.Background(), tt.rep); inbox.ErrorCode(err) != tt.code {
				t.Errorf("%s: err=%v, want %s", tt.name, err, tt.code)
			}
		}
	})
}

func TestDeliveryReportByRefTeachesAnXMLReplyItsUUID(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		reply := storetest.MustReceive(t, r.svc, inboxtest.Inbound("in-hi", contact, channel, "HELLO")).Reply
		got := r.MustRecord(t, inbox.DeliveryReport{MessageUUID: "xml-uuid-1", MessageID: reply.ID, Status: "queued", Sequence: 1})
		if got.ProviderUUID != "xml-uuid-1" || got.Status != inbox.StatusSent {
			t.Fatalf("uuid=%q status=%s, want the UUID learned and sent", got.ProviderUUID, got.Status)
		}
		got = r.MustRecord(t, inbox.DeliveryReport{MessageUUID: "xml-uuid-1", Status: "delivered", Sequence: 2})
		if got.ID != reply.ID || got.Status != inbox.StatusDelivered {
			t.Fatalf("by uuid: id=%d status=%s, want the reply delivered", got.ID, got.Status)
		}
		_, err := r.ob.RecordDelivery(context.Background(), inbox.DeliveryReport{MessageUUID: "other-uuid", MessageID: reply.ID, Status: "sent"})
		if inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Fatalf("ref with another uuid err=%v, want conflict", err)
		}
		if n := len(r.api.Sends()); n != 0 {
			t.Fatalf("sends=%d, want 0", n)
		}
	})
}

func TestDeliveryReportStopsARetryOfAMessagePlivoHas(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{timeout: 200 * time.Millisecond})
		r.api.Script("hang") // Plivo took it, but the answer never came
		m := r.MustReply(t, "slow answer")
		r.MustSendDue(t, 1)
		if got := r.MustFind(t, m.ID); got.Status != inbox.StatusQueued {
			t.Fatalf("after a timeout status=%s, want queued for a retry", got.Status)
		}
		got := r.MustRecord(t, inbox.DeliveryReport{MessageUUID: "late-uuid", MessageID: m.ID, Status: "queued", Sequence: 1})
		if got.Status != inbox.StatusSent || got.ProviderUUID != "late-uuid" || got.NextAttemptAt != nil {
			t.Fatalf("status=%s uuid=%q next=%v, want sent with the reported uuid and no retry", got.Status, got.ProviderUUID, got.NextAttemptAt)
		}
		r.clock.Advance(time.Hour)
		r.MustSendDue(t, 0)
		if n := r.api.Count(contact, "slow answer"); n != 1 {
			t.Fatalf("sends=%d, want 1", n)
		}
	})
}

func TestDeliveryReportResolvesAnUnconfirmedMessage(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		m := r.MustReply(t, "crashed")
		MustClaim(t, s, t0)
		r.clock.Advance(time.Hour)
		if n, err := r.ob.RecoverStale(context.Background()); err != nil || n != 1 {
			t.Fatalf("RecoverStale=%d, %v; want 1", n, err)
		}
		got := r.MustRecord(t, inbox.DeliveryReport{MessageUUID: "found-uuid", MessageID: m.ID, Status: "delivered", Sequence: 3})
		if got.Status != inbox.StatusDelivered || got.ErrorCode != "" || got.ErrorMessage != "" {
			t.Fatalf("status=%s code=%q message=%q, want delivered and the doubt cleared", got.Status, got.ErrorCode, got.ErrorMessage)
		}
	})
}

func TestCarrierOptOutReportOptsTheContactOut(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		m := r.MustSent(t, "to someone who said STOP elsewhere")
		m2 := r.MustReply(t, "queued before the report")
		got := r.MustRecord(t, inbox.DeliveryReport{MessageUUID: m.ProviderUUID, Status: "failed", ErrorCode: inbox.CarrierOptOutCode, Sequence: 2})
		if got.Status != inbox.StatusFailed || got.ErrorCode != "200" {
			t.Fatalf("status=%s code=%q, want failed with code 200", got.Status, got.ErrorCode)
		}
		conv, err := s.FindConversationByID(ctx, r.convID)
		if err != nil {
			t.Fatal(err)
		}
		if !conv.OptedOut() {
			t.Fatal("conversation not opted out after ErrorCode 200")
		}
		// A second message refused the same way adds no second opt-out.
		r.MustRecord(t, inbox.DeliveryReport{MessageUUID: "u-200", MessageID: m2.ID, Status: "undelivered", ErrorCode: "200", Sequence: 2})
		history, err := s.ConsentHistory(ctx, contact, channel)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 1 || history[0].Source != "carrier" || history[0].Kind != inbox.ConsentOptOut {
			t.Fatalf("consent history=%+v, want one opt-out from the carrier", history)
		}
		if _, err := r.svc.SendReply(ctx, r.agent, r.convID, "more"); inbox.ErrorCode(err) != inbox.EOPTEDOUT {
			t.Fatalf("SendReply after a carrier opt-out err=%v, want opted out", err)
		}
	})
}
