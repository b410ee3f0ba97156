package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// Delivery reports of one shared transaction each get their own outcome:
// a status moved, the same report twice recorded once, a carrier opt-out,
// and an unknown message refused alone.
func TestGroupCommitRecordsEachDeliveryReport(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		g := store.NewGroupCommit(s, store.GroupCommitOptions{Transactions: 1})
		svc, pub := newGroupService(s, g)
		ob := inbox.NewOutbox(inbox.OutboxOptions{Store: s, Publisher: pub, Clock: inboxtest.NewClock(t0), GroupCommit: g})
		var replies []*inbox.Message
		for i := range 3 {
			r := storetest.MustReceive(t, svc, inboxtest.Inbound(fmt.Sprintf("in-%d", i), fmt.Sprintf("+1555000002%d", i), channel, "HELLO"))
			replies = append(replies, r.Reply)
		}
		published := len(pub.Events())
		reports := []inbox.DeliveryReport{
			{MessageUUID: "out-0", MessageID: replies[0].ID, Status: "delivered", Sequence: 1},
			{MessageUUID: "out-1", MessageID: replies[1].ID, Status: "queued", Sequence: 1},
			{MessageUUID: "out-1", MessageID: replies[1].ID, Status: "queued", Sequence: 1},
			{MessageUUID: "out-2", MessageID: replies[2].ID, Status: "failed", ErrorCode: inbox.CarrierOptOutCode, Sequence: 1},
			{MessageUUID: "nobody", MessageID: 999999, Status: "delivered", Sequence: 1},
		}
		got := make([]inbox.Message, len(reports))
		errs := make([]error, len(reports))
		calls := make([]func(), len(reports))
		for i, rep := range reports {
			calls[i] = func() { got[i], errs[i] = ob.RecordDelivery(ctx, rep) }
		}
		if tries := inOneBatch(t, g, calls...); tries != 2 {
			t.Fatalf("transactions=%d, want 2 (the unknown message's report retries the rest once)", tries)
		}
		if inbox.ErrorCode(errs[4]) != inbox.ENOTFOUND {
			t.Fatalf("report for an unknown message: err=%v, want ENOTFOUND", errs[4])
		}
		wants := []struct {
			i      int
			status inbox.Status
		}{{0, inbox.StatusDelivered}, {1, inbox.StatusSent}, {2, inbox.StatusSent}, {3, inbox.StatusFailed}}
		for _, w := range wants {
			rep := reports[w.i]
			if errs[w.i] != nil || got[w.i].ID != rep.MessageID || got[w.i].Status != w.status || got[w.i].ProviderUUID != rep.MessageUUID {
				t.Fatalf("report %d: message=%+v err=%v, want message %d %s with UUID %s", w.i, got[w.i], errs[w.i], rep.MessageID, w.status, rep.MessageUUID)
			}
		}
		if timeline := mustTimeline(t, s, replies[1].ID); len(timeline) != 1 {
			t.Fatalf("timeline of the message reported twice=%d entries, want 1", len(timeline))
		}
		conv, err := s.FindConversationByID(ctx, replies[2].ConversationID)
		if err != nil || !conv.OptedOut() {
			t.Fatalf("conversation after the carrier's opt-out=%+v err=%v, want opted out", conv, err)
		}
		if n := len(pub.Events()); n <= published {
			t.Fatalf("events published=%d, want the reports' after the %d before", n, published)
		}
		mustLogWhatWasPublished(t, s, pub, 0)
	})
}
