package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// batchContact is the i-th of the contacts the batch tests text, beside
// the rig's own.
func batchContact(i int) string { return fmt.Sprintf("+1415556%04d", i) }

// mustConversations opens n conversations with other contacts on the
// rig's channel and returns their ids.
func (r *rig) mustConversations(t *testing.T, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		in := inboxtest.Inbound(fmt.Sprintf("batch-in-%d", i), batchContact(i), channel, "hello")
		ids[i] = storetest.MustReceive(t, r.svc, in).Conversation.ID
	}
	return ids
}

func (r *rig) mustReplyTo(t *testing.T, convID int64, text string) inbox.Message {
	t.Helper()
	m, err := r.svc.SendReply(context.Background(), r.agent, convID, text)
	if err != nil {
		t.Fatalf("SendReply(%q): %v", text, err)
	}
	return m
}

// One batch, four replies to one contact, the second failing with a 500
// and the third refused: each gets its own outcome, recorded in the one
// transaction, and the contact's requests went out in the order written.
func TestOutboxBatchWhereOneSendFails(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		r.api.Script(plivotest.Accept, plivotest.ServerError, plivotest.BadRequest, plivotest.Accept)
		var msgs []inbox.Message
		for i := range 4 {
			msgs = append(msgs, r.MustReply(t, fmt.Sprintf("batch %d", i)))
		}
		r.MustSendDue(t, 4)
		want := []struct {
			status   inbox.Status
			code     string
			attempts int
			message  string
		}{
			{inbox.StatusSent, "", 1, ""},
			{inbox.StatusQueued, "", 1, "Try 1 failed"},
			{inbox.StatusFailed, inbox.ErrorCodeRefused, 1, "Plivo refused the message"},
			{inbox.StatusSent, "", 1, ""},
		}
		for i, w := range want {
			got := r.MustFind(t, msgs[i].ID)
			if got.Status != w.status || got.ErrorCode != w.code || got.Attempts != w.attempts || !strings.Contains(got.ErrorMessage, w.message) {
				t.Errorf("batch %d: status=%s code=%q attempts=%d message=%q; want %s %q %d containing %q",
					i, got.Status, got.ErrorCode, got.Attempts, got.ErrorMessage, w.status, w.code, w.attempts, w.message)
			}
			if (got.ProviderUUID != "") != (w.status == inbox.StatusSent) {
				t.Errorf("batch %d: provider uuid %q with status %s", i, got.ProviderUUID, got.Status)
			}
			// Claimed (sending), then its outcome.
			if n := statusEvents(t, s, msgs[i].ID); n != 2 {
				t.Errorf("batch %d: status events=%d, want 2 (sending, then its outcome)", i, n)
			}
		}
		var texts []string
		for _, sent := range r.api.Sends() {
			texts = append(texts, sent.Text)
		}
		if got := strings.Join(texts, ","); got != "batch 0,batch 1,batch 2,batch 3" {
			t.Fatalf("requests=%s, want each once in the order written", got)
		}
	})
}

// A crash between the claim of a batch and the recording of its answers:
// two of five messages reached Plivo before the process died. After the
// lease every one of the five is unconfirmed, never resent blindly; the
// lookup finds the two, and the three Plivo never saw are queued again
// after the window and sent once. Each contact gets its reply once.
func TestOutboxBatchCrashBetweenClaimAndRecord(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newReconcileRig(t, s)
		convs := r.mustConversations(t, 5)
		for i, id := range convs {
			r.mustReplyTo(t, id, fmt.Sprintf("crash %d", i))
		}
		claimed := MustClaim(t, s, r.clock.Now())
		if len(claimed) != 5 {
			t.Fatalf("claimed %d, want the 5 in one batch", len(claimed))
		}
		sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: r.api.AuthID, AuthToken: r.api.AuthToken, BaseURL: r.api.URL})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range claimed[:2] {
			if _, err := sender.Send(context.Background(), inbox.OutboundSMS{MessageID: m.ID, From: m.From, To: m.To, Text: m.Body}); err != nil {
				t.Fatal(err)
			}
		}
		r.MustSendDue(t, 0)
		r.clock.Advance(inbox.DefaultSendLease + time.Second)
		if n, err := r.ob.RecoverStale(context.Background()); err != nil || n != 5 {
			t.Fatalf("RecoverStale=%d, %v; want 5", n, err)
		}
		r.MustSendDue(t, 0)
		r.MustReconcile(t, r.ob, 2)
		r.clock.Advance(reconcileWindow)
		r.MustReconcile(t, r.ob, 3)
		r.MustSendDue(t, 3)
		for i, m := range claimed {
			got := r.MustFind(t, m.ID)
			if got.Status != inbox.StatusSent {
				t.Errorf("message %d: status=%s, want sent", i, got.Status)
			}
			if n := r.api.Count(string(m.To), m.Body); n != 1 {
				t.Errorf("%q reached Plivo %d times, want once", m.Body, n)
			}
		}
	})
}

// Two instances on one database claiming batches at once, four claimers
// each: every due message is claimed by exactly one of them.
func TestTwoInstancesClaimBatchesAtOnce(t *testing.T) {
	storetest.EachDBPair(t, func(t *testing.T, a, b *store.Store) {
		r := newRig(t, a, rigOptions{})
		convs := r.mustConversations(t, 20)
		const total = 300
		for i := range total {
			r.mustReplyTo(t, convs[i%len(convs)], fmt.Sprintf("claim %d", i))
		}
		var mu sync.Mutex
		claims := map[int64]int{}
		var wg sync.WaitGroup
		for _, s := range []*store.Store{a, b, a, b, a, b, a, b} {
			wg.Go(func() {
				for {
					var got []inbox.Message
					err := s.AtomicallyOutbox(context.Background(), func(ctx context.Context, tx inbox.OutboxTx) error {
						var err error
						got, err = tx.ClaimDueMessages(ctx, r.clock.Now(), inbox.DefaultClaimBatch)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, m := range got {
						claims[m.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(claims) != total {
			t.Fatalf("claimed %d messages, want %d", len(claims), total)
		}
		for id, n := range claims {
			if n != 1 {
				t.Fatalf("message %d claimed %d times, want once", id, n)
			}
		}
	})
}

// Two instances' outboxes running at once, three workers each, over
// replies to five contacts: every reply is sent once, and on SQLite each
// contact gets theirs in the order they were written, though batches of
// one conversation may be claimed by either instance. On PostgreSQL the
// order can still break: a claimer that skipped a locked earlier message
// (SKIP LOCKED) and locked the conversation first sees nothing in sending
// (docs/decisions.md); there the test asserts each reply once and logs how
// many arrived out of order.
func TestOutboxBatchesKeepEachConversationsOrder(t *testing.T) {
	storetest.EachDBPair(t, func(t *testing.T, a, b *store.Store) {
		r := newRig(t, a, rigOptions{poll: 10 * time.Millisecond})
		other := *r
		other.s = b
		obB := other.newOutbox(t, rigOptions{poll: 10 * time.Millisecond})
		convs := r.mustConversations(t, 5)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for _, ob := range []*inbox.Outbox{r.ob, obB} {
			wg.Go(func() {
				if err := ob.Run(ctx); err != nil {
					t.Errorf("Run: %v", err)
				}
			})
		}
		defer func() { cancel(); wg.Wait() }()
		const perContact = 40
		for n := range perContact {
			for i, id := range convs {
				r.mustReplyTo(t, id, fmt.Sprintf("to %d, reply %02d", i, n))
			}
		}
		waitFor(t, "every reply to be sent", func() bool { return len(r.api.Sends()) >= perContact*len(convs) })
		got := map[string][]string{}
		for _, sent := range r.api.Sends() {
			got[sent.Dst] = append(got[sent.Dst], sent.Text)
		}
		postgres := a.DB().Dialect().Name().String() == "pg"
		for i := range convs {
			texts := got[strings.TrimPrefix(batchContact(i), "+")]
			if len(texts) != perContact || len(slices.Compact(slices.Sorted(slices.Values(texts)))) != perContact {
				t.Errorf("contact %d got %d replies, %d different; want each of %d once", i, len(texts), len(slices.Compact(slices.Sorted(slices.Values(texts)))), perContact)
			}
			switch {
			case slices.IsSorted(texts):
			case postgres:
				t.Logf("contact %d got replies out of the order written (PostgreSQL): %v", i, texts)
			default:
				t.Errorf("contact %d got %d replies in this order: %v; want %d, in the order written", i, len(texts), texts, perContact)
			}
		}
	})
}
