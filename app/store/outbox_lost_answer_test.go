package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// A send Plivo took but whose answer was lost (the client timed out) is
// not retried before AnswerLostWait; the delivery report that arrives
// meanwhile settles it, and the contact gets one text.
func TestOutboxWaitsForTheReportOfASendWhoseAnswerWasLost(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{timeout: 200 * time.Millisecond})
		r.api.Script(plivotest.AcceptLost)
		m := r.MustReply(t, "answer lost")
		r.MustSendDue(t, 1)
		got := r.MustFind(t, m.ID)
		if got.Status != inbox.StatusQueued || got.NextAttemptAt == nil || !strings.Contains(got.ErrorMessage, "did not answer") {
			t.Fatalf("after the lost answer: status=%s next=%v error=%q, want queued for a later try", got.Status, got.NextAttemptAt, got.ErrorMessage)
		}
		if wait := got.NextAttemptAt.Sub(r.clock.Now()); wait < inbox.AnswerLostWait {
			t.Fatalf("retry due in %v, want at least %v for the delivery report", wait, inbox.AnswerLostWait)
		}
		r.clock.Advance(inbox.AnswerLostWait / 2)
		r.MustSendDue(t, 0)

		// Plivo's report for the message it took, naming it by ref.
		uuid := r.api.Sends()[0].UUID
		if _, err := r.ob.RecordDelivery(ctx, inbox.DeliveryReport{MessageID: m.ID, MessageUUID: uuid, Status: inbox.StatusSent, Sequence: 1}); err != nil {
			t.Fatal(err)
		}
		r.clock.Advance(inbox.RetryCap)
		r.MustSendDue(t, 0)
		got = r.MustFind(t, m.ID)
		if got.Status != inbox.StatusSent || got.ProviderUUID != uuid {
			t.Fatalf("status=%s uuid=%q, want sent as %q", got.Status, got.ProviderUUID, uuid)
		}
		if n := r.api.Count(contact, "answer lost"); n != 1 {
			t.Fatalf("requests to the carrier=%d, want 1: the contact is texted once", n)
		}
	})
}
