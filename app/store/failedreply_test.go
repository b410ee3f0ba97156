package store_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// failedMark is the rig conversation's failed-reply mark and whether the
// Failed list shows it.
func (r *rig) failedMark(t *testing.T) (int64, bool) {
	t.Helper()
	ctx := context.Background()
	c, err := r.s.FindConversationByID(ctx, r.convID)
	if err != nil {
		t.Fatal(err)
	}
	page, err := r.s.ListConversations(ctx, inbox.ConversationQuery{Filter: inbox.FilterFailed, Now: t0}.Normalise())
	if err != nil {
		t.Fatal(err)
	}
	return c.FailedReplyID, len(page.Conversations) == 1 && page.Conversations[0].ID == r.convID
}

// A conversation is marked while its last reply failed, and listed under
// Failed; a later reply that gets through, or sending the failed one
// again, clears it; a late failure of an older reply does not mark it
// again.
func TestFailedReplyMark(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		if id, listed := r.failedMark(t); id != 0 || listed {
			t.Fatalf("new conversation: mark=%d listed=%v, want none", id, listed)
		}

		first := r.MustSent(t, "first")
		r.MustRecord(t, inbox.DeliveryReport{MessageUUID: first.ProviderUUID, Status: inbox.StatusUndelivered, ErrorCode: "80", Sequence: 2})
		if id, listed := r.failedMark(t); id != first.ID || !listed {
			t.Fatalf("after undelivered: mark=%d listed=%v, want %d and listed", id, listed, first.ID)
		}
		if ev := r.pub.Events(); !hasKind(ev, inbox.EventConversationUpdated, r.convID) {
			t.Fatalf("events %+v, want the conversation's row announced when it is marked", ev)
		}

		again, err := r.svc.RetryMessage(ctx, r.agent, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if id, listed := r.failedMark(t); id != 0 || listed {
			t.Fatalf("after retry: mark=%d listed=%v, want cleared", id, listed)
		}
		r.MustSendDue(t, 1)
		r.MustRecord(t, inbox.DeliveryReport{MessageUUID: r.MustFind(t, again.ID).ProviderUUID, Status: inbox.StatusFailed, ErrorCode: "30", Sequence: 2})
		if id, _ := r.failedMark(t); id != again.ID {
			t.Fatalf("retry failed: mark=%d, want %d", id, again.ID)
		}

		later := r.MustSent(t, "later")
		if id, listed := r.failedMark(t); id != 0 || listed {
			t.Fatalf("a later reply reached the carrier: mark=%d listed=%v, want cleared", id, listed)
		}
		// A report retried by Plivo, saying the older reply failed, comes
		// after the later one went through: the last reply fared well.
		r.MustRecord(t, inbox.DeliveryReport{MessageUUID: r.MustFind(t, again.ID).ProviderUUID, Status: inbox.StatusRejected, Sequence: 3})
		if id, _ := r.failedMark(t); id != 0 {
			t.Fatalf("late failure of an older reply: mark=%d, want none (reply %d went through)", id, later.ID)
		}

		if _, err := r.svc.SetConversationStatus(ctx, r.agent, r.convID, inbox.ConversationClosed); err != nil {
			t.Fatal(err)
		}
		r.MustRecord(t, inbox.DeliveryReport{MessageUUID: later.ProviderUUID, Status: inbox.StatusUndelivered, ErrorCode: "80", Sequence: 2})
		if id, listed := r.failedMark(t); id != later.ID || listed {
			t.Fatalf("closed conversation: mark=%d listed=%v, want marked but not in the Failed list", id, listed)
		}
	})
}

func hasKind(events []inbox.Event, kind inbox.EventKind, conversationID int64) bool {
	for _, e := range events {
		if e.Kind == kind && e.ConversationID == conversationID {
			return true
		}
	}
	return false
}
