package store_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// reconcileWindow is the outbox's ReconcileAfter in these tests.
const reconcileWindow = 10 * time.Minute

// newReconcileRig is a rig whose outbox looks lost sends up in the fake
// API's message list, with the API on the rig's clock.
func newReconcileRig(t *testing.T, s *store.Store) *rig {
	t.Helper()
	r := newRig(t, s, rigOptions{timeout: 200 * time.Millisecond})
	r.api.SetClock(r.clock.Now)
	r.ob = r.reconcilingOutbox(t, nil)
	return r
}

// reconcilingOutbox is an outbox over the rig's store, clock and API that
// reconciles through the real plivo.Lookup; transport, when set, carries
// its sends.
func (r *rig) reconcilingOutbox(t *testing.T, transport http.RoundTripper) *inbox.Outbox {
	t.Helper()
	opts := plivo.SenderOptions{
		AuthID: r.api.AuthID, AuthToken: r.api.AuthToken, BaseURL: r.api.URL, CallbackURL: deliveryURL,
		Timeout: 200 * time.Millisecond, Transport: transport,
	}
	if transport != nil {
		opts.Timeout = 5 * time.Second
	}
	sender, err := plivo.NewSender(opts)
	if err != nil {
		t.Fatal(err)
	}
	lookup, err := plivo.NewLookup(plivo.SenderOptions{AuthID: r.api.AuthID, AuthToken: r.api.AuthToken, BaseURL: r.api.URL})
	if err != nil {
		t.Fatal(err)
	}
	return inbox.NewOutbox(inbox.OutboxOptions{
		Store: r.s, Sender: sender, Publisher: r.pub, Clock: r.clock, Lookup: lookup,
		ReconcileAfter: reconcileWindow, Workers: 2, Log: slog.New(slog.DiscardHandler),
	})
}

func (r *rig) MustReconcile(t *testing.T, ob *inbox.Outbox, want int) {
	t.Helper()
	n, err := ob.Reconcile(context.Background())
	if err != nil {
		t.Fatalf("Reconcile: %v", err)
	}
	if n != want {
		t.Fatalf("Reconcile settled %d, want %d", n, want)
	}
}

// accepted counts the sends to the contact with text that Plivo took.
func accepted(api *plivotest.API, text string) int {
	n := 0
	for _, s := range api.Sends() {
		if s.Dst == strings.TrimPrefix(contact, "+") && s.Text == text && s.UUID != "" {
			n++
		}
	}
	return n
}

// mustLoseAnswer sends text with the API scripted to mode (AcceptLost or
// Hang) and checks the message is left unconfirmed for the lookup, not
// queued for a blind retry.
func (r *rig) mustLoseAnswer(t *testing.T, mode plivotest.Mode, text string) inbox.Message {
	t.Helper()
	r.api.Script(mode)
	m := r.MustReply(t, text)
	r.MustSendDue(t, 1)
	got := r.MustFind(t, m.ID)
	if got.Status != inbox.StatusFailed || got.ErrorCode != inbox.ErrorCodeUnconfirmed || got.Reconcile != inbox.ReconcilePending {
		t.Fatalf("after the lost answer: status=%s code=%q reconcile=%q, want failed, unconfirmed, pending", got.Status, got.ErrorCode, got.Reconcile)
	}
	if got.ClaimedAt == nil || !got.ClaimedAt.Equal(r.clock.Now()) {
		t.Fatalf("claimed_at=%v, want %v", got.ClaimedAt, r.clock.Now())
	}
	return got
}

// Found: Plivo lists the message the lost answer named, so it is recorded
// as sent with that UUID at once, and its delivery report then attaches.
func TestReconcileFindsALostSendAndRecordsItsUUID(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		m := r.mustLoseAnswer(t, plivotest.AcceptLost, "found")
		r.clock.Advance(time.Minute)
		r.MustReconcile(t, r.ob, 1)
		got := r.MustFind(t, m.ID)
		uuid := r.api.Sends()[0].UUID
		if got.Status != inbox.StatusSent || got.ProviderUUID != uuid || got.ErrorCode != "" || got.ErrorMessage != "" {
			t.Fatalf("status=%s uuid=%q code=%q error=%q, want sent as %q", got.Status, got.ProviderUUID, got.ErrorCode, got.ErrorMessage, uuid)
		}
		if _, err := r.ob.RecordDelivery(context.Background(), inbox.DeliveryReport{MessageUUID: uuid, Status: inbox.StatusDelivered, Sequence: 2}); err != nil {
			t.Fatal(err)
		}
		if got := r.MustFind(t, m.ID); got.Status != inbox.StatusDelivered {
			t.Fatalf("after the report: status=%s, want delivered", got.Status)
		}
		r.clock.Advance(time.Hour)
		r.MustSendDue(t, 0)
		if n := r.api.Count(contact, "found"); n != 1 {
			t.Fatalf("requests to the carrier=%d, want 1", n)
		}
		if gets, lists := r.api.Lookups(); gets != 0 || lists != 1 {
			t.Fatalf("lookups: gets=%d lists=%d, want one list", gets, lists)
		}
	})
}

// Found after a crash: a message left in sending (claimed, sent, never
// recorded) is marked unconfirmed after the lease and then found.
func TestReconcileFindsASendInterruptedByACrash(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		m := r.MustReply(t, "crashed")
		claimed := MustClaim(t, s, r.clock.Now())
		sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: r.api.AuthID, AuthToken: r.api.AuthToken, BaseURL: r.api.URL})
		if err != nil {
			t.Fatal(err)
		}
		uuid, err := sender.Send(context.Background(), inbox.OutboundSMS{MessageID: claimed[0].ID, From: claimed[0].From, To: claimed[0].To, Text: claimed[0].Body})
		if err != nil {
			t.Fatal(err)
		}
		r.clock.Advance(inbox.DefaultSendLease + time.Second)
		if n, err := r.ob.RecoverStale(context.Background()); err != nil || n != 1 {
			t.Fatalf("RecoverStale=%d, %v; want 1", n, err)
		}
		r.MustReconcile(t, r.ob, 1)
		if got := r.MustFind(t, m.ID); got.Status != inbox.StatusSent || got.ProviderUUID != uuid {
			t.Fatalf("status=%s uuid=%q, want sent as %q", got.Status, got.ProviderUUID, uuid)
		}
	})
}

// By UUID: an unconfirmed message whose UUID Parley knows is asked for by
// that UUID, not searched for.
func TestReconcileAsksByUUIDWhenKnown(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		m := r.MustReply(t, "known uuid")
		r.MustSendDue(t, 1)
		sent := r.MustFind(t, m.ID)
		err := s.AtomicallyOutbox(context.Background(), func(ctx context.Context, tx inbox.OutboxTx) error {
			sent.Status, sent.ErrorCode, sent.ErrorMessage = inbox.StatusFailed, inbox.ErrorCodeUnconfirmed, inbox.UnconfirmedMessage
			return tx.SaveOutboundState(ctx, sent)
		})
		if err != nil {
			t.Fatal(err)
		}
		r.MustReconcile(t, r.ob, 1)
		if got := r.MustFind(t, m.ID); got.Status != inbox.StatusSent || got.ProviderUUID != sent.ProviderUUID {
			t.Fatalf("status=%s uuid=%q, want sent as %q", got.Status, got.ProviderUUID, sent.ProviderUUID)
		}
		if gets, lists := r.api.Lookups(); gets != 1 || lists != 0 {
			t.Fatalf("lookups: gets=%d lists=%d, want one get", gets, lists)
		}
	})
}

// Not found: nothing is decided inside the carrier's window; after it the
// message is sent again, once. When the second send's answer is lost too
// and Plivo has no record of it either, it is left for a person, never
// sent a third time.
func TestReconcileResendsOnceWhenPlivoHasNoRecord(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		m := r.mustLoseAnswer(t, plivotest.Hang, "not found")
		r.clock.Advance(reconcileWindow - time.Second)
		r.MustReconcile(t, r.ob, 0)
		if got := r.MustFind(t, m.ID); got.Status != inbox.StatusFailed || got.Reconcile != inbox.ReconcilePending {
			t.Fatalf("inside the window: status=%s reconcile=%q, want still pending", got.Status, got.Reconcile)
		}
		r.clock.Advance(time.Second)
		r.MustReconcile(t, r.ob, 1)
		got := r.MustFind(t, m.ID)
		if got.Status != inbox.StatusQueued || got.Reconcile != inbox.ReconcileResent || !strings.Contains(got.ErrorMessage, "no record") {
			t.Fatalf("after the window: status=%s reconcile=%q error=%q, want queued, resent", got.Status, got.Reconcile, got.ErrorMessage)
		}
		r.MustReconcile(t, r.ob, 0)
		r.api.Script(plivotest.Hang)
		r.MustSendDue(t, 1)
		r.clock.Advance(reconcileWindow)
		r.MustReconcile(t, r.ob, 1)
		got = r.MustFind(t, m.ID)
		if got.Status != inbox.StatusFailed || got.Reconcile != inbox.ReconcilePerson || !strings.Contains(got.ErrorMessage, "third time") {
			t.Fatalf("after the second lost answer: status=%s reconcile=%q error=%q, want left for a person", got.Status, got.Reconcile, got.ErrorMessage)
		}
		r.clock.Advance(time.Hour)
		r.MustReconcile(t, r.ob, 0)
		r.MustSendDue(t, 0)
		if n := r.api.Count(contact, "not found"); n != 2 {
			t.Fatalf("requests to the carrier=%d, want 2", n)
		}
	})
}

// Ambiguous: two messages between the same numbers in the window that no
// other message of ours carries; Parley cannot tell which is this one, so
// a person decides, with both UUIDs shown.
func TestReconcileLeavesTwoCandidatesForAPerson(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		m := r.mustLoseAnswer(t, plivotest.AcceptLost, "ambiguous")
		// Another message between the same numbers, sent outside Parley
		// (Plivo's console) a moment later.
		r.clock.Advance(time.Second)
		r.api.SendXML(strings.TrimPrefix(channel, "+"), strings.TrimPrefix(contact, "+"), "from the console", "")
		r.clock.Advance(time.Minute)
		r.MustReconcile(t, r.ob, 1)
		got := r.MustFind(t, m.ID)
		sends := r.api.Sends()
		if got.Status != inbox.StatusFailed || got.ErrorCode != inbox.ErrorCodeUnconfirmed || got.Reconcile != inbox.ReconcilePerson {
			t.Fatalf("status=%s code=%q reconcile=%q, want unconfirmed, left for a person", got.Status, got.ErrorCode, got.Reconcile)
		}
		for _, s := range sends {
			if !strings.Contains(got.ErrorMessage, s.UUID) {
				t.Fatalf("evidence %q does not name %s", got.ErrorMessage, s.UUID)
			}
		}
		if !strings.HasPrefix(got.ErrorMessage, "Plivo lists 2 messages") {
			t.Fatalf("evidence=%q, want it to say Plivo lists 2 messages", got.ErrorMessage)
		}
		r.clock.Advance(time.Hour)
		r.MustReconcile(t, r.ob, 0)
		r.MustSendDue(t, 0)
		if n := r.api.Count(contact, "ambiguous"); n != 1 {
			t.Fatalf("requests to the carrier=%d, want 1", n)
		}
	})
}

// A candidate another message of ours already carries is not this one.
func TestReconcileIgnoresMessagesParleyAlreadyKnows(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		r.MustReply(t, "earlier, confirmed")
		r.MustSendDue(t, 1)
		m := r.mustLoseAnswer(t, plivotest.AcceptLost, "lost")
		r.clock.Advance(time.Minute)
		r.MustReconcile(t, r.ob, 1)
		lost := r.api.Sends()[1].UUID
		if got := r.MustFind(t, m.ID); got.Status != inbox.StatusSent || got.ProviderUUID != lost {
			t.Fatalf("status=%s uuid=%q, want sent as %q", got.Status, got.ProviderUUID, lost)
		}
	})
}

// Lookup errors: retried while the window lasts (the message waits), then
// left for a person with the error as evidence; nothing is sent again.
func TestReconcileLeavesLookupFailuresForAPerson(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		m := r.mustLoseAnswer(t, plivotest.AcceptLost, "lookup fails")
		r.api.FailLookups(http.StatusInternalServerError)
		r.clock.Advance(time.Minute)
		r.MustReconcile(t, r.ob, 0)
		r.clock.Advance(reconcileWindow)
		r.MustReconcile(t, r.ob, 1)
		got := r.MustFind(t, m.ID)
		if got.Reconcile != inbox.ReconcilePerson || !strings.Contains(got.ErrorMessage, "could not ask Plivo") || !strings.Contains(got.ErrorMessage, "HTTP 500") {
			t.Fatalf("reconcile=%q error=%q, want left for a person naming the failure", got.Reconcile, got.ErrorMessage)
		}
		r.MustSendDue(t, 0)
		if n := r.api.Count(contact, "lookup fails"); n != 1 {
			t.Fatalf("requests to the carrier=%d, want 1", n)
		}
	})
}

// Race: several reconcilers on several outboxes settle one lost send at
// once after the window; the message is queued again by one of them and
// sent once more, never twice.
func TestReconcilersAtOnceResendOnce(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		m := r.mustLoseAnswer(t, plivotest.Hang, "raced")
		r.clock.Advance(reconcileWindow)
		obs := []*inbox.Outbox{r.ob, r.reconcilingOutbox(t, nil), r.reconcilingOutbox(t, nil), r.reconcilingOutbox(t, nil)}
		var wg sync.WaitGroup
		settled := make([]int, len(obs))
		for i, ob := range obs {
			wg.Go(func() {
				n, err := ob.Reconcile(context.Background())
				if err != nil {
					t.Error(err)
				}
				settled[i] = n
				if _, err := ob.SendDue(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		total := 0
		for _, n := range settled {
			total += n
		}
		if total != 1 {
			t.Fatalf("reconcilers settled %d in all, want 1", total)
		}
		if got := r.MustFind(t, m.ID); got.Status != inbox.StatusSent {
			t.Fatalf("status=%s, want sent", got.Status)
		}
		if n := accepted(r.api, "raced"); n != 1 {
			t.Fatalf("sends Plivo took=%d, want 1", n)
		}
		if n := r.api.Count(contact, "raced"); n != 2 {
			t.Fatalf("requests to the carrier=%d, want 2 (the lost one and one resend)", n)
		}
	})
}

// Race: the delivery report of the lost send arrives while it is being
// reconciled, here with Plivo's list lagging past the window (the worst
// case); whichever commits first, the message ends sent and is not sent
// again.
func TestReconcileRacesTheDeliveryReport(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		r.api.SetLookupDelay(24 * time.Hour)
		for round := range 5 {
			text := "report races " + string(rune('a'+round))
			m := r.mustLoseAnswer(t, plivotest.AcceptLost, text)
			r.clock.Advance(reconcileWindow)
			uuid := r.api.Sends()[len(r.api.Sends())-1].UUID
			var wg sync.WaitGroup
			wg.Go(func() {
				if _, err := r.ob.Reconcile(context.Background()); err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() {
				if _, err := r.ob.RecordDelivery(context.Background(), inbox.DeliveryReport{MessageID: m.ID, MessageUUID: uuid, Status: inbox.StatusSent, Sequence: 1}); err != nil {
					t.Error(err)
				}
			})
			wg.Wait()
			r.MustSendDue(t, 0)
			if got := r.MustFind(t, m.ID); got.Status != inbox.StatusSent || got.ProviderUUID != uuid {
				t.Fatalf("round %d: status=%s uuid=%q, want sent as %q", round, got.Status, got.ProviderUUID, uuid)
			}
			if n := r.api.Count(contact, text); n != 1 {
				t.Fatalf("round %d: requests to the carrier=%d, want 1", round, n)
			}
		}
	})
}
