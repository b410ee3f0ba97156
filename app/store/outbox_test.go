package store_test

import (
	"context"
	"fmt"
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

const deliveryURL = "https://sms.example.com/api/sms/delivery"

// rig is an inbox over a real store, with an outbox sending through the real
// Plivo sender to a fake Plivo API.
type rig struct {
	s      *store.Store
	svc    *inbox.Service
	ob     *inbox.Outbox
	api    *plivotest.API
	clock  *inboxtest.Clock
	pub    *inboxtest.Publisher
	agent  inbox.User
	convID int64
}

type rigOptions struct {
	maxAttempts int
	timeout     time.Duration
	poll        time.Duration
	limiter     inbox.RateLimiter
	limits      inbox.SendLimits
	media       inbox.MediaLinker
}

func newRig(t *testing.T, s *store.Store, o rigOptions) *rig {
	t.Helper()
	ctx := context.Background()
	r := &rig{s: s, api: plivotest.NewAPI(t), clock: inboxtest.NewClock(t0), pub: &inboxtest.Publisher{}}
	r.ob = r.newOutbox(t, o)
	r.svc = inbox.NewService(inbox.Options{
		Store: s, Users: s, Clock: r.clock, Publisher: r.ob.WakeOnQueued(r.pub), Numbers: []inbox.Number{channel},
		Limiter: o.limiter, SendLimits: o.limits,
	})
	r.agent = inbox.User{Email: "agent@example.com", Role: inbox.RoleAgent, CreatedAt: t0}
	if err := s.SaveUser(ctx, &r.agent); err != nil {
		t.Fatal(err)
	}
	r.convID = storetest.MustReceive(t, r.svc, inboxtest.Inbound("in-1", contact, channel, "where is my order?")).Conversation.ID
	return r
}

// newOutbox returns another outbox over the same store, clock and API.
func (r *rig) newOutbox(t *testing.T, o rigOptions) *inbox.Outbox {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = 5 * time.Second
	}
	sender, err := plivo.NewSender(plivo.SenderOptions{
		AuthID: r.api.AuthID, AuthToken: r.api.AuthToken, BaseURL: r.api.URL, CallbackURL: deliveryURL, Timeout: o.timeout,
	})
	if err != nil {
		t.Fatal(err)
	}
	return inbox.NewOutbox(inbox.OutboxOptions{
		Store: r.s, Sender: sender, Publisher: r.pub, Clock: r.clock, MaxAttempts: o.maxAttempts,
		PollInterval: o.poll, Workers: 3, Log: slog.New(slog.DiscardHandler), Media: o.media,
	})
}

func (r *rig) MustReply(t *testing.T, text string) inbox.Message {
	t.Helper()
	m, err := r.svc.SendReply(context.Background(), r.agent, r.convID, text)
	if err != nil {
		t.Fatalf("SendReply(%q): %v", text, err)
	}
	return m
}

func (r *rig) MustSendDue(t *testing.T, want int) {
	t.Helper()
	n, err := r.ob.SendDue(context.Background())
	if err != nil {
		t.Fatalf("SendDue: %v", err)
	}
	if n != want {
		t.Fatalf("SendDue handled %d, want %d", n, want)
	}
}

func (r *rig) MustFind(t *testing.T, id int64) inbox.Message {
	t.Helper()
	m, err := r.s.FindOutboundMessage(context.Background(), id)
	if err != nil {
		t.Fatalf("find message %d: %v", id, err)
	}
	return m
}

// statusEvents counts the message.status events logged for a message.
func statusEvents(t *testing.T, s *store.Store, messageID int64) int {
	t.Helper()
	events, err := s.EventsAfter(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Kind == inbox.EventMessageStatus && e.MessageID == messageID {
			n++
		}
	}
	return n
}

func TestOutboxSendsAQueuedReply(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		m := r.MustReply(t, "On its way!")
		r.MustSendDue(t, 1)

		got := r.MustFind(t, m.ID)
		sends := r.api.Sends()
		if len(sends) != 1 {
			t.Fatalf("sends=%d, want 1", len(sends))
		}
		if got.Status != inbox.StatusSent || got.ProviderUUID != sends[0].UUID || got.Attempts != 1 {
			t.Fatalf("message status=%s uuid=%q attempts=%d, want sent with %q after 1 attempt", got.Status, got.ProviderUUID, got.Attempts, sends[0].UUID)
		}
		if got.NextAttemptAt != nil || got.ErrorMessage != "" {
			t.Fatalf("next attempt=%v error=%q, want neither", got.NextAttemptAt, got.ErrorMessage)
		}
		want := fmt.Sprintf("%s?ref=%d", deliveryURL, m.ID)
		if sends[0].Src != "14155550199" || sends[0].Dst != "14155550100" || sends[0].URL != want || sends[0].Text != "On its way!" {
			t.Fatalf("send=%+v, want our number to the contact with callback %s", sends[0], want)
		}
		// sending, then sent: two status events, logged and published.
		if n := statusEvents(t, s, m.ID); n != 2 {
			t.Fatalf("status events logged=%d, want 2", n)
		}
		published := 0
		for _, e := range r.pub.Events() {
			if e.Kind == inbox.EventMessageStatus && e.MessageID == m.ID && e.ConversationID == r.convID && e.ID > 0 {
				published++
			}
		}
		if published != 2 {
			t.Fatalf("status events published=%d, want 2 with ids", published)
		}
		r.MustSendDue(t, 0)
		if n := r.api.Count(contact, "On its way!"); n != 1 {
			t.Fatalf("sends after a second pass=%d, want 1", n)
		}
	})
}

func TestOutboxRetriesWithBackoffUntilSent(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		r.api.Script(plivotest.ServerError, plivotest.EmptyServerError, plivotest.RateLimited)
		m := r.MustReply(t, "retry me")
		for attempt := 1; attempt <= 3; attempt++ {
			r.MustSendDue(t, 1)
			got := r.MustFind(t, m.ID)
			if got.Status != inbox.StatusQueued || got.Attempts != attempt || got.NextAttemptAt == nil {
				t.Fatalf("after try %d: status=%s attempts=%d next=%v, want queued for another try", attempt, got.Status, got.Attempts, got.NextAttemptAt)
			}
			wait := got.NextAttemptAt.Sub(r.clock.Now())
			ceiling := inbox.RetryBase << (attempt - 1)
			if wait < time.Second || wait > ceiling {
				t.Fatalf("after try %d: backoff=%v, want within [1s, %v]", attempt, wait, ceiling)
			}
			if !strings.Contains(got.ErrorMessage, fmt.Sprintf("Try %d failed", attempt)) {
				t.Fatalf("after try %d: error message=%q, want it to say so", attempt, got.ErrorMessage)
			}
			r.MustSendDue(t, 0) // not due yet
			r.clock.Advance(wait)
		}
		r.MustSendDue(t, 1)
		got := r.MustFind(t, m.ID)
		if got.Status != inbox.StatusSent || got.Attempts != 4 || got.ErrorMessage != "" {
			t.Fatalf("final status=%s attempts=%d error=%q, want sent after 4 tries, no error", got.Status, got.Attempts, got.ErrorMessage)
		}
		if n := r.api.Count(contact, "retry me"); n != 4 {
			t.Fatalf("sends=%d, want 4", n)
		}
	})
}

func TestOutboxNeverRetriesARefusal(t *testing.T) {
	tests := []struct {
		mode plivotest.Mode
		text string
	}{
		{plivotest.BadRequest, plivotest.BadRequestText},
		{plivotest.Unauthorized, plivotest.UnauthorizedText},
	}
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		for _, tt := range tests {
			r.api.SetMode(tt.mode)
			m := r.MustReply(t, "refused "+string(tt.mode))
			r.MustSendDue(t, 1)
			r.clock.Advance(time.Hour)
			r.MustSendDue(t, 0)
			got := r.MustFind(t, m.ID)
			if got.Status != inbox.StatusFailed || got.ErrorCode != inbox.ErrorCodeRefused || !strings.Contains(got.ErrorMessage, tt.text) {
				t.Fatalf("%s: status=%s code=%q message=%q, want failed, refused, with Plivo's text", tt.mode, got.Status, got.ErrorCode, got.ErrorMessage)
			}
			if n := r.api.Count(contact, m.Body); n != 1 {
				t.Fatalf("%s: sends=%d, want 1", tt.mode, n)
			}
		}
	})
}

func TestOutboxGivesUpAfterMaxAttempts(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{maxAttempts: 3})
		r.api.SetMode(plivotest.ServerError)
		m := r.MustReply(t, "doomed")
		for range 5 {
			if _, err := r.ob.SendDue(context.Background()); err != nil {
				t.Fatal(err)
			}
			r.clock.Advance(inbox.RetryCap)
		}
		got := r.MustFind(t, m.ID)
		if got.Status != inbox.StatusFailed || got.ErrorCode != inbox.ErrorCodeGaveUp || got.Attempts != 3 {
			t.Fatalf("status=%s code=%q attempts=%d, want failed, gave_up, 3", got.Status, got.ErrorCode, got.Attempts)
		}
		if n := r.api.Count(contact, "doomed"); n != 3 {
			t.Fatalf("sends=%d, want 3", n)
		}
	})
}

func TestOutboxNeverSendsXMLReplies(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		rc := storetest.MustReceive(t, r.svc, inboxtest.Inbound("in-hello", contact, channel, "HELLO"))
		if rc.Reply == nil || rc.Reply.Via != inbox.ViaXML {
			t.Fatalf("reply=%+v, want an XML auto-reply", rc.Reply)
		}
		r.clock.Advance(time.Hour)
		r.MustSendDue(t, 0)
		if got := r.MustFind(t, rc.Reply.ID); got.Status != inbox.StatusQueued {
			t.Fatalf("auto-reply status=%s, want still queued (it leaves in the XML answer)", got.Status)
		}
		if n := len(r.api.Sends()); n != 0 {
			t.Fatalf("sends=%d, want 0", n)
		}
	})
}

func TestOutboxWithholdsAMessageAfterAStop(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		m := r.MustReply(t, "queued before the STOP")
		storetest.MustReceive(t, r.svc, inboxtest.Inbound("in-stop", contact, channel, "STOP"))
		r.MustSendDue(t, 1)
		got := r.MustFind(t, m.ID)
		if got.Status != inbox.StatusFailed || got.ErrorCode != inbox.ErrorCodeOptedOut {
			t.Fatalf("status=%s code=%q, want failed, opted_out", got.Status, got.ErrorCode)
		}
		if n := len(r.api.Sends()); n != 0 {
			t.Fatalf("sends=%d, want 0", n)
		}
	})
}

func TestOutboxesSendEachMessageOnce(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		const total = 200
		for i := range total {
			r.MustReply(t, fmt.Sprintf("reply %d", i))
		}
		outboxes := []*inbox.Outbox{r.ob, r.newOutbox(t, rigOptions{})}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for _, ob := range outboxes {
			for range 4 {
				wg.Go(func() {
					if _, err := ob.SendDue(context.Background()); err != nil {
						errs <- err
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("SendDue: %v", err)
		}
		if n := len(r.api.Sends()); n != total {
			t.Fatalf("sends=%d, want %d", n, total)
		}
		for i := range total {
			if n := r.api.Count(contact, fmt.Sprintf("reply %d", i)); n != 1 {
				t.Fatalf("reply %d sent %d times, want once", i, n)
			}
		}
		var unsent int
		if err := s.DB().NewRaw("SELECT count(*) FROM messages WHERE via = 'api' AND status <> 'sent'").Scan(context.Background(), &unsent); err != nil {
			t.Fatal(err)
		}
		if unsent != 0 {
			t.Fatalf("messages not sent=%d, want 0", unsent)
		}
	})
}

// MustClaim claims every due message as a worker would, and then does
// nothing more: a crash between claim and answer.
func MustClaim(t *testing.T, s *store.Store, now time.Time) []inbox.Message {
	t.Helper()
	var claimed []inbox.Message
	err := s.AtomicallyOutbox(context.Background(), func(ctx context.Context, tx inbox.OutboxTx) error {
		var err error
		claimed, err = tx.ClaimDueMessages(ctx, now, 100)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return claimed
}

func TestRecoverStaleMarksAnInterruptedSendUnconfirmed(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		m := r.MustReply(t, "interrupted")
		if claimed := MustClaim(t, s, t0); len(claimed) != 1 || claimed[0].Status != inbox.StatusSending {
			t.Fatalf("claimed=%+v, want the reply in sending", claimed)
		}
		if again := MustClaim(t, s, t0); len(again) != 0 {
			t.Fatalf("claimed again=%d, want 0", len(again))
		}
		r.clock.Advance(time.Minute) // within the lease: a send may be under way
		if n, err := r.ob.RecoverStale(context.Background()); err != nil || n != 0 {
			t.Fatalf("RecoverStale within the lease=%d, %v; want 0", n, err)
		}
		r.clock.Advance(2 * time.Minute)
		if n, err := r.ob.RecoverStale(context.Background()); err != nil || n != 1 {
			t.Fatalf("RecoverStale after the lease=%d, %v; want 1", n, err)
		}
		got := r.MustFind(t, m.ID)
		if got.Status != inbox.StatusFailed || got.ErrorCode != inbox.ErrorCodeUnconfirmed || got.ErrorMessage != inbox.UnconfirmedMessage {
			t.Fatalf("status=%s code=%q message=%q, want failed, unconfirmed, with the explanation", got.Status, got.ErrorCode, got.ErrorMessage)
		}
		r.clock.Advance(time.Hour)
		r.MustSendDue(t, 0)
		if n, _ := r.ob.RecoverStale(context.Background()); n != 0 {
			t.Fatalf("second RecoverStale=%d, want 0", n)
		}
		if n := len(r.api.Sends()); n != 0 {
			t.Fatalf("sends=%d, want 0: an unconfirmed message is never sent blindly", n)
		}
	})
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline: it waits for progress, it does not measure it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestOutboxRunSendsOnWakeAndStopsCleanly(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		// An hour's poll: only Wake can get the reply out.
		r := newRig(t, s, rigOptions{poll: time.Hour, timeout: 300 * time.Millisecond})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.ob.Run(ctx) }()

		m := r.MustReply(t, "woken")
		waitFor(t, "the reply to be sent", func() bool { return r.MustFind(t, m.ID).Status == inbox.StatusSent })

		// A send in flight when Run is told to stop is finished and
		// recorded: the message is not left in sending.
		r.api.SetMode(plivotest.Hang)
		h := r.MustReply(t, "hanging")
		waitFor(t, "the send to reach Plivo", func() bool { return r.api.Count(contact, "hanging") == 1 })
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run=%v, want nil", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
		got := r.MustFind(t, h.ID)
		if got.Status != inbox.StatusQueued || got.Attempts != 1 {
			t.Fatalf("interrupted send status=%s attempts=%d, want queued for a retry after 1 try", got.Status, got.Attempts)
		}
	})
}

// panickySender panics on the text boom, as a bug in a carrier adapter
// would, and sends everything else through next.
type panickySender struct{ next inbox.Sender }

func (p panickySender) Send(ctx context.Context, m inbox.OutboundSMS) (string, error) {
	if m.Text == "boom" {
		var s *inbox.OutboundSMS
		return s.Text, nil
	}
	return p.next.Send(ctx, m)
}

// TestOutboxWorkerSurvivesAPanic runs one worker whose sender panics on
// one message: the panic is counted, the worker goes on and sends the
// conversation's next message, and the panicked one counts as a send whose
// answer was lost (it may have reached the carrier): not resent at once.
func TestOutboxWorkerSurvivesAPanic(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		sender, err := plivo.NewSender(plivo.SenderOptions{
			AuthID: r.api.AuthID, AuthToken: r.api.AuthToken, BaseURL: r.api.URL, CallbackURL: deliveryURL, Timeout: 5 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		panics := map[string]int{}
		ob := inbox.NewOutbox(inbox.OutboxOptions{
			Store: s, Sender: panickySender{next: sender}, Clock: r.clock, Workers: 1, PollInterval: 10 * time.Millisecond,
			Log: slog.New(slog.DiscardHandler),
			OnPanic: func(unit string) {
				mu.Lock()
				defer mu.Unlock()
				panics[unit]++
			},
		})
		boom := r.MustReply(t, "boom")
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- ob.Run(ctx) }()
		defer func() { cancel(); <-done }()

		waitFor(t, "the panic to be counted", func() bool { mu.Lock(); defer mu.Unlock(); return panics["outbox"] == 1 })
		after := r.MustReply(t, "after the panic")
		waitFor(t, "the next reply to be sent", func() bool { return r.MustFind(t, after.ID).Status == inbox.StatusSent })
		// This outbox has no lookup: a lost answer waits for a delivery
		// report before it is tried again.
		got := r.MustFind(t, boom.ID)
		if got.Status != inbox.StatusQueued || got.Attempts != 1 || got.NextAttemptAt == nil || got.NextAttemptAt.Before(r.clock.Now().Add(inbox.AnswerLostWait)) {
			t.Errorf("panicked message status=%s attempts=%d next=%v, want queued after 1 try, not before %v", got.Status, got.Attempts, got.NextAttemptAt, inbox.AnswerLostWait)
		}
		if n := r.api.Count(contact, "boom"); n != 0 {
			t.Errorf("boom reached Plivo %d times, want 0", n)
		}
	})
}
