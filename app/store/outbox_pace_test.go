package store_test

import (
	"context"
	"log/slog"
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

// tollFree is a second sending number, a US toll-free one (25/s).
const tollFree = "+18005550100"

// newPaceRig is a rig with two sending numbers (the long code channel and
// tollFree), the API on the rig's clock, and an outbox paced by pace.
func newPaceRig(t *testing.T, s *store.Store, pace inbox.SendPace) (*rig, int64) {
	t.Helper()
	r := &rig{s: s, api: plivotest.NewAPI(t), clock: inboxtest.NewClock(t0), pub: &inboxtest.Publisher{}}
	r.api.SetClock(r.clock.Now)
	r.ob = r.pacedOutbox(t, pace)
	r.svc = inbox.NewService(inbox.Options{
		Store: s, Users: s, Clock: r.clock, Publisher: r.pub, Numbers: []inbox.Number{channel, tollFree},
	})
	r.agent = inbox.User{Email: "agent@example.com", Role: inbox.RoleAgent, CreatedAt: t0}
	if err := s.SaveUser(context.Background(), &r.agent); err != nil {
		t.Fatal(err)
	}
	r.convID = storetest.MustReceive(t, r.svc, inboxtest.Inbound("in-1", contact, channel, "hello")).Conversation.ID
	tf := storetest.MustReceive(t, r.svc, inboxtest.Inbound("in-2", contact, tollFree, "hello")).Conversation.ID
	return r, tf
}

func (r *rig) pacedOutbox(t *testing.T, pace inbox.SendPace) *inbox.Outbox {
	t.Helper()
	sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: r.api.AuthID, AuthToken: r.api.AuthToken, BaseURL: r.api.URL, CallbackURL: deliveryURL})
	if err != nil {
		t.Fatal(err)
	}
	return inbox.NewOutbox(inbox.OutboxOptions{
		Store: r.s, Sender: sender, Publisher: r.pub, Clock: r.clock, Pace: pace, Workers: 2, Log: slog.New(slog.DiscardHandler),
	})
}

func (r *rig) mustQueue(t *testing.T, convID int64, n int, text string) {
	t.Helper()
	for i := range n {
		if _, err := r.svc.SendReply(context.Background(), r.agent, convID, text+" "+string(rune('A'+i%26))+string(rune('a'+i/26))); err != nil {
			t.Fatal(err)
		}
	}
}

// sendTimes are the fake clock's times of the sends from src, in order.
func sendTimes(api *plivotest.API, src string) []time.Time {
	var at []time.Time
	for _, s := range api.Sends() {
		if s.Src == strings.TrimPrefix(src, "+") {
			at = append(at, s.At)
		}
	}
	return at
}

// runClock sends what is due through every outbox at once, then moves the
// clock on by step, until done says to stop (or a bound is hit).
func runClock(t *testing.T, r *rig, obs []*inbox.Outbox, step time.Duration, done func() bool) {
	t.Helper()
	for i := 0; !done(); i++ {
		if i == 20000 {
			t.Fatal("gave up: the queue did not drain")
		}
		var wg sync.WaitGroup
		for _, ob := range obs {
			wg.Go(func() {
				if _, err := ob.SendDue(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		r.clock.Advance(step)
	}
}

func minGap(at []time.Time) time.Duration {
	gap := time.Duration(1 << 62)
	for i := 1; i < len(at); i++ {
		gap = min(gap, at[i].Sub(at[i-1]))
	}
	return gap
}

// The measurement the issue asks for: 100 messages queued at once on a
// long code paced at 1 message a second leave over 99 s of the fake
// clock, one a second; unpaced they leave in the same instant.
func TestPaceHundredMessagesOnAOnePerSecondNumberTakeAHundredSeconds(t *testing.T) {
	for _, paced := range []bool{true, false} {
		t.Run(map[bool]string{true: "paced", false: "unpaced"}[paced], func(t *testing.T) {
			storetest.EachDB(t, func(t *testing.T, s *store.Store) {
				pace := inbox.SendPace{}
				if paced {
					pace = inbox.DefaultSendPace()
				}
				r, _ := newPaceRig(t, s, pace)
				r.mustQueue(t, r.convID, 100, "paced")
				runClock(t, r, []*inbox.Outbox{r.ob}, 100*time.Millisecond, func() bool { return len(r.api.Sends()) == 100 })
				at := sendTimes(r.api, channel)
				took := at[99].Sub(at[0])
				t.Logf("paced=%v: 100 messages from %s left over %v of the fake clock", paced, channel, took)
				switch {
				case paced && (took < 99*time.Second || took > 100*time.Second || minGap(at) < time.Second):
					t.Fatalf("paced: took %v with a least gap of %v, want 99 s to 100 s and gaps of at least 1 s", took, minGap(at))
				case !paced && took != 0:
					t.Fatalf("unpaced: took %v, want every send at once", took)
				}
			})
		})
	}
}

// Pacing holds across instances: three outboxes claiming at once never
// send two messages from one number within its second.
func TestPaceHoldsAcrossOutboxes(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r, _ := newPaceRig(t, s, inbox.DefaultSendPace())
		obs := []*inbox.Outbox{r.ob, r.pacedOutbox(t, inbox.DefaultSendPace()), r.pacedOutbox(t, inbox.DefaultSendPace())}
		r.mustQueue(t, r.convID, 20, "three outboxes")
		runClock(t, r, obs, 250*time.Millisecond, func() bool { return len(r.api.Sends()) == 20 })
		at := sendTimes(r.api, channel)
		if gap := minGap(at); gap < time.Second {
			t.Fatalf("least gap between two sends from one number=%v, want at least 1 s", gap)
		}
		if took := at[19].Sub(at[0]); took < 19*time.Second || took > 20*time.Second {
			t.Fatalf("20 sends took %v, want 19 s to 20 s", took)
		}
		for _, text := range []string{"three outboxes Aa", "three outboxes Ta"} {
			if n := r.api.Count(contact, text); n != 1 {
				t.Fatalf("requests for %q=%d, want 1", text, n)
			}
		}
	})
}

// A slow number's queue does not hold up another's: 50 messages on a
// toll-free number (25/s) leave within 2 s while the long code (1/s)
// beside it works through its 20 in 19 s.
func TestPaceASlowNumberDoesNotBlockAnother(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r, tf := newPaceRig(t, s, inbox.DefaultSendPace())
		r.mustQueue(t, r.convID, 20, "slow")
		r.mustQueue(t, tf, 50, "fast")
		runClock(t, r, []*inbox.Outbox{r.ob}, 40*time.Millisecond, func() bool { return len(r.api.Sends()) == 70 })
		slow, fast := sendTimes(r.api, channel), sendTimes(r.api, tollFree)
		t.Logf("toll-free: 50 in %v; long code: 20 in %v", fast[49].Sub(fast[0]), slow[19].Sub(slow[0]))
		// A burst of a second's worth (25) at once, then one every 40 ms.
		if took := fast[49].Sub(fast[0]); took < time.Second-40*time.Millisecond || took > 2*time.Second {
			t.Fatalf("toll-free queue took %v, want 0.96 s to 2 s", took)
		}
		if gap := minGap(fast[25:]); gap < 40*time.Millisecond {
			t.Fatalf("toll-free least gap after its burst=%v, want at least 40 ms (25/s)", gap)
		}
		if took := slow[19].Sub(slow[0]); took < 19*time.Second {
			t.Fatalf("long code took %v, want at least 19 s", took)
		}
	})
}

// A configured rate overrides the kind's default, and 0 unpaces a number.
func TestPaceConfiguredPerNumber(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		pace := inbox.DefaultSendPace()
		pace.Rates = map[inbox.Number]float64{channel: 0.5, tollFree: 0}
		r, tf := newPaceRig(t, s, pace)
		r.mustQueue(t, r.convID, 5, "half")
		r.mustQueue(t, tf, 5, "free")
		runClock(t, r, []*inbox.Outbox{r.ob}, 500*time.Millisecond, func() bool { return len(r.api.Sends()) == 10 })
		if took := sendTimes(r.api, channel); took[4].Sub(took[0]) != 8*time.Second {
			t.Fatalf("0.5/s number: 5 sends took %v, want 8 s", took[4].Sub(took[0]))
		}
		if took := sendTimes(r.api, tollFree); took[4].Sub(took[0]) != 0 {
			t.Fatalf("unpaced number: 5 sends took %v, want 0", took[4].Sub(took[0]))
		}
	})
}

// Plivo's 429 with Retry-After pauses the whole account (its API limit is
// per account): the message waits that long, is not failed, does not use
// up a try, and no number sends meanwhile; then each message goes once.
func TestRetryAfterPausesTheAccount(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r, tf := newPaceRig(t, s, inbox.DefaultSendPace())
		r.api.SetRetryAfter("120")
		r.api.Script(plivotest.RateLimited)
		first := r.MustReply(t, "told to wait")
		r.MustSendDue(t, 1)
		got := r.MustFind(t, first.ID)
		want := r.clock.Now().Add(120 * time.Second)
		if got.Status != inbox.StatusQueued || got.Attempts != 0 || got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(want) {
			t.Fatalf("after the 429: status=%s attempts=%d next=%v, want queued, 0 tries, due at %v", got.Status, got.Attempts, got.NextAttemptAt, want)
		}
		// Queued during the pause, from another number: it waits too.
		// (Queued before the first send, it would share its batch and go
		// to Plivo beside it, before the 429 was known.)
		if _, err := r.svc.SendReply(context.Background(), r.agent, tf, "other number"); err != nil {
			t.Fatal(err)
		}
		r.clock.Advance(119 * time.Second)
		r.MustSendDue(t, 0)
		r.clock.Advance(time.Second)
		r.MustSendDue(t, 2)
		if got := r.MustFind(t, first.ID); got.Status != inbox.StatusSent {
			t.Fatalf("status=%s, want sent", got.Status)
		}
		if a, b := r.api.Count(contact, "told to wait"), r.api.Count(contact, "other number"); a != 2 || b != 1 {
			t.Fatalf("requests: %d and %d, want 2 (the 429 and the send) and 1", a, b)
		}
	})
}

// The Sending screen's numbers, on both databases: queued counts, oldest
// wait and next send per number, the account's pause, and admins only.
func TestSendingQueuesPerNumber(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r, tf := newPaceRig(t, s, inbox.DefaultSendPace())
		r.mustQueue(t, r.convID, 3, "long")
		r.clock.Advance(time.Minute)
		r.mustQueue(t, tf, 2, "toll-free")
		// One from the long code (1/s); both from the toll-free number,
		// whose burst is 25.
		r.MustSendDue(t, 3)
		if _, err := r.ob.SendingQueues(ctx, r.agent, nil); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Fatalf("agent: err=%v, want EFORBIDDEN", err)
		}
		admin := storetest.MustSaveUser(t, s, "boss@example.com", inbox.RoleAdmin)
		got, err := r.ob.SendingQueues(ctx, admin, []inbox.Number{tollFree, channel, "+14155550123"})
		if err != nil {
			t.Fatal(err)
		}
		now := r.clock.Now()
		want := []struct {
			n      inbox.Number
			queued int
			oldest time.Time
			next   time.Time
			rate   float64
		}{
			// The toll-free number's burst of 25 is not used up by two.
			{tollFree, 0, time.Time{}, time.Time{}, 25},
			{channel, 2, now.Add(-time.Minute), now.Add(time.Second), 1},
			{"+14155550123", 0, time.Time{}, time.Time{}, 1},
		}
		if len(got.Numbers) != len(want) || got.PausedUntil != nil {
			t.Fatalf("numbers=%d paused=%v, want %d and no pause", len(got.Numbers), got.PausedUntil, len(want))
		}
		for i, w := range want {
			n := got.Numbers[i]
			oldest, next := time.Time{}, time.Time{}
			if n.OldestQueuedAt != nil {
				oldest = *n.OldestQueuedAt
			}
			if n.NextSendAt != nil {
				next = *n.NextSendAt
			}
			if n.Number != w.n || n.Queued != w.queued || !oldest.Equal(w.oldest) || !next.Equal(w.next) || n.Rate != w.rate {
				t.Errorf("row %d=%s queued=%d oldest=%v next=%v rate=%v, want %s %d %v %v %v", i, n.Number, n.Queued, oldest, next, n.Rate, w.n, w.queued, w.oldest, w.next, w.rate)
			}
		}
		err = s.AtomicallyOutbox(ctx, func(ctx context.Context, tx inbox.OutboxTx) error {
			return tx.PauseSending(ctx, now.Add(time.Minute))
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, err = r.ob.SendingQueues(ctx, admin, nil); err != nil || got.PausedUntil == nil || !got.PausedUntil.Equal(now.Add(time.Minute)) {
			t.Fatalf("paused until %v, %v; want %v", got.PausedUntil, err, now.Add(time.Minute))
		}
	})
}

// Within a batch, a 429 stops what has not started: the conversation's
// next reply, claimed with the one told to wait, goes back to the queue
// untried (no attempt used up, not failed), and after the pause both go
// once, in the order they were written.
func TestRetryAfterPutsTheRestOfTheBatchBack(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r, _ := newPaceRig(t, s, inbox.SendPace{})
		r.api.SetRetryAfter("60")
		r.api.Script(plivotest.RateLimited)
		first, second := r.MustReply(t, "first"), r.MustReply(t, "second")
		r.MustSendDue(t, 1)
		if n := r.api.Count(contact, "second"); n != 0 {
			t.Fatalf("second reached Plivo %d times during the pause, want 0", n)
		}
		got := r.MustFind(t, second.ID)
		if got.Status != inbox.StatusQueued || got.Attempts != 0 || got.ErrorMessage != "" {
			t.Fatalf("second after the 429: status=%s attempts=%d message=%q, want queued, untried", got.Status, got.Attempts, got.ErrorMessage)
		}
		r.clock.Advance(59 * time.Second)
		r.MustSendDue(t, 0)
		r.clock.Advance(time.Second)
		r.MustSendDue(t, 2)
		for _, m := range []inbox.Message{first, second} {
			if got := r.MustFind(t, m.ID); got.Status != inbox.StatusSent {
				t.Fatalf("%q status=%s, want sent", m.Body, got.Status)
			}
		}
		var texts []string
		for _, s := range r.api.Sends() {
			texts = append(texts, s.Text)
		}
		if strings.Join(texts, ",") != "first,first,second" {
			t.Fatalf("requests in order: %v, want the 429'd first, first, second", texts)
		}
	})
}
