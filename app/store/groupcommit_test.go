package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// inOneBatch runs calls concurrently so that all of them go in the same
// shared transaction, queued in the order given: a unit holds a
// transaction in flight until every call waits behind it. It returns how many transactions the calls took.
func inOneBatch(t *testing.T, g *store.GroupCommit, calls ...func()) int64 {
	t.Helper()
	release, started := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- g.AtomicallyShared(context.Background(), inbox.SharedUnit{}, func(context.Context, inbox.OutboxTx) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	// One at a time, so that they queue, and run, in the order given.
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call()
		}()
		for g.Queued() < i+1 {
			time.Sleep(100 * time.Microsecond)
		}
	}
	before := g.Tries()
	close(release)
	wg.Wait()
	if err := <-held; err != nil {
		t.Fatalf("holding unit: %v", err)
	}
	return g.Tries() - before
}

// receipts receives texts in one shared transaction and returns each
// one's receipt and error, in the order of texts.
type outcome struct {
	r        inbox.Receipt
	err      error
	panicked any
}

func receiveInOneBatch(t *testing.T, g *store.GroupCommit, svc *inbox.Service, texts ...inbox.Inbound) ([]outcome, int64) {
	t.Helper()
	out := make([]outcome, len(texts))
	calls := make([]func(), len(texts))
	for i, in := range texts {
		calls[i] = func() {
			defer func() { out[i].panicked = recover() }()
			out[i].r, out[i].err = svc.Receive(context.Background(), in)
		}
	}
	return out, inOneBatch(t, g, calls...)
}

func newGroupService(s *store.Store, g inbox.GroupCommitter) (*inbox.Service, *inboxtest.Publisher) {
	pub := &inboxtest.Publisher{}
	return inbox.NewService(inbox.Options{Store: s, Users: s, Tokens: s, Publisher: pub, Clock: inboxtest.NewClock(t0), GroupCommit: g}), pub
}

func replyBody(r inbox.Receipt) string {
	if r.Reply == nil {
		return ""
	}
	return r.Reply.Body
}

// Every text of one shared transaction gets its own outcome: new or
// duplicate (of a text stored before, or of one earlier in the same
// transaction), its conversation, its automatic reply, its consent change.
func TestGroupCommitGivesEachTextItsOwnOutcome(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		g := store.NewGroupCommit(s, store.GroupCommitOptions{Transactions: 1})
		svc, pub := newGroupService(s, g)
		const (
			known, optedOut, fresh, twins, helper, stopper = "+15550000001", "+15550000002", "+15550000003",
				"+15550000004", "+15550000005", "+15550000006"
		)
		before := storetest.MustReceive(t, svc, inboxtest.Inbound("old-1", known, channel, "hello"))
		storetest.MustReceive(t, svc, inboxtest.Inbound("stop-0", optedOut, channel, "STOP"))
		published := len(pub.Events())

		aheadBefore := g.WrittenAhead()
		out, tries := receiveInOneBatch(t, g, svc,
			inboxtest.Inbound("new-1", fresh, channel, "hello"),
			inboxtest.Inbound("old-1", known, channel, "hello"),
			inboxtest.Inbound("twin", twins, channel, "where is my order?"),
			inboxtest.Inbound("twin", twins, channel, "where is my order?"),
			inboxtest.Inbound("out-1", optedOut, channel, "hello"),
			inboxtest.Inbound("help-1", helper, channel, "help"),
			inboxtest.Inbound("stop-1", stopper, channel, "STOP"),
		)
		if tries != 1 {
			t.Fatalf("transactions=%d, want 1 for the whole batch", tries)
		}
		// All but the text stored before and the second twin: one
		// statement each for their conversations and their messages.
		if n := g.WrittenAhead() - aheadBefore; n != 5 {
			t.Fatalf("texts written ahead=%d, want 5", n)
		}
		for i, o := range out {
			if o.err != nil || o.panicked != nil {
				t.Fatalf("text %d: err=%v panic=%v, want an outcome", i, o.err, o.panicked)
			}
		}
		wants := []struct {
			i        int
			contact  string
			reply    string
			optedOut bool
		}{
			{0, fresh, "Hello!", false},
			{4, optedOut, "", true},
			{5, helper, "You are texting our support team.", false},
			{6, stopper, inbox.OptOutReply, true},
		}
		for _, w := range wants {
			r := out[w.i].r
			if r.Duplicate || string(r.Conversation.ContactNumber) != w.contact || r.Message.ConversationID != r.Conversation.ID {
				t.Fatalf("text %d: duplicate=%v conversation=%+v, want new in %s's", w.i, r.Duplicate, r.Conversation, w.contact)
			}
			if got := replyBody(r); !strings.HasPrefix(got, w.reply) || (w.reply == "") != (got == "") {
				t.Fatalf("text %d: reply=%q, want prefix %q", w.i, got, w.reply)
			}
			if r.Conversation.OptedOut() != w.optedOut {
				t.Fatalf("text %d: opted out=%v, want %v", w.i, r.Conversation.OptedOut(), w.optedOut)
			}
			stored, err := s.FindMessageByProviderUUID(ctx, r.Message.ProviderUUID)
			if err != nil || stored.ID != r.Message.ID || string(stored.From) != w.contact {
				t.Fatalf("text %d: stored=%+v err=%v, want message %d from %s", w.i, stored, err, r.Message.ID, w.contact)
			}
		}
		if r := out[1].r; !r.Duplicate || r.Reply != nil {
			t.Fatalf("redelivered text: duplicate=%v reply=%v, want a duplicate with no reply", r.Duplicate, r.Reply)
		}
		if a, b := out[2].r, out[3].r; a.Duplicate == b.Duplicate {
			t.Fatalf("the same UUID twice in one batch: duplicate=%v and %v, want one new, one duplicate", a.Duplicate, b.Duplicate)
		}
		conv, err := s.FindConversationByID(ctx, before.Conversation.ID)
		if err != nil {
			t.Fatal(err)
		}
		if conv.MessageCount != 2 || conv.UnreadCount != 1 {
			t.Fatalf("after the duplicate: counts=%d/%d, want 2/1 as before", conv.MessageCount, conv.UnreadCount)
		}
		twin := out[2].r
		if twin.Duplicate {
			twin = out[3].r
		}
		if conv, err = s.FindConversationByID(ctx, twin.Conversation.ID); err != nil || conv.MessageCount != 1 || conv.UnreadCount != 1 {
			t.Fatalf("twins' conversation=%+v err=%v, want one message counted once", conv, err)
		}
		for _, uuid := range []string{"new-1", "old-1", "twin", "out-1", "help-1", "stop-1"} {
			if n, err := s.CountMessagesByProviderUUID(ctx, uuid); err != nil || n != 1 {
				t.Fatalf("messages with UUID %s=%d err=%v, want 1", uuid, n, err)
			}
		}
		history, err := s.ConsentHistory(ctx, stopper, channel)
		if err != nil || len(history) != 1 || history[0].Kind != inbox.ConsentOptOut {
			t.Fatalf("stopper's consent=%+v err=%v, want one opt-out", history, err)
		}
		mustLogWhatWasPublished(t, s, pub, published)
	})
}

// mustLogWhatWasPublished checks that every event published after the
// first skip is in the log and that the log holds no other.
func mustLogWhatWasPublished(t *testing.T, s *store.Store, pub *inboxtest.Publisher, skip int) {
	t.Helper()
	logged, err := s.EventsAfter(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	published := pub.Events()
	if len(logged) != len(published) {
		t.Fatalf("events logged=%d published=%d, want the same", len(logged), len(published))
	}
	ids := map[int64]inbox.EventKind{}
	for _, e := range logged {
		ids[e.ID] = e.Kind
	}
	for _, e := range published[skip:] {
		if kind, ok := ids[e.ID]; !ok || kind != e.Kind || e.ID == 0 {
			t.Fatalf("published %+v, logged as %q (found %v)", e, kind, ok)
		}
	}
}

var errInjected = errors.New("injected failure")

// faulty is a GroupCommitter whose transaction fails the text with UUID
// fail, and panics on the text with UUID panics, each after storing it.
type faulty struct {
	inbox.GroupCommitter
	fail, panics string
}

func (f faulty) AtomicallyShared(ctx context.Context, unit inbox.SharedUnit, fn func(context.Context, inbox.OutboxTx) error) error {
	return f.GroupCommitter.AtomicallyShared(ctx, unit, func(ctx context.Context, tx inbox.OutboxTx) error {
		return fn(ctx, faultyTx{tx, f})
	})
}

type faultyTx struct {
	inbox.OutboxTx
	f faulty
}

func (t faultyTx) InsertMessage(ctx context.Context, m *inbox.Message) (bool, error) {
	ok, err := t.OutboxTx.InsertMessage(ctx, m)
	switch m.ProviderUUID {
	case t.f.fail:
		return false, errInjected
	case t.f.panics:
		panic("rule exploded")
	}
	return ok, err
}

// A text that fails, or panics, fails alone: the others of its
// transaction are stored, and what it wrote is undone.
func TestGroupCommitFailingTextFailsAlone(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		g := store.NewGroupCommit(s, store.GroupCommitOptions{Transactions: 1})
		svc, pub := newGroupService(s, faulty{GroupCommitter: g, fail: "bad", panics: "boom"})
		out, tries := receiveInOneBatch(t, g, svc,
			inboxtest.Inbound("good-1", "+15550000011", channel, "hello"),
			inboxtest.Inbound("bad", "+15550000012", channel, "hello"),
			inboxtest.Inbound("boom", "+15550000013", channel, "hello"),
			inboxtest.Inbound("good-2", "+15550000014", channel, "help"),
		)
		if tries != 3 {
			t.Fatalf("transactions=%d, want 3 (each failure retries the rest once)", tries)
		}
		if code := inbox.ErrorCode(out[1].err); code != inbox.EUNAVAILABLE || !errors.Is(out[1].err, errInjected) {
			t.Fatalf("failing text: err=%v (code %q), want EUNAVAILABLE from the injected failure", out[1].err, code)
		}
		if out[2].panicked != "rule exploded" {
			t.Fatalf("panicking text: panic=%v err=%v, want its own panic raised again", out[2].panicked, out[2].err)
		}
		for _, i := range []int{0, 3} {
			o := out[i]
			if o.err != nil || o.panicked != nil || o.r.Duplicate || o.r.Reply == nil {
				t.Fatalf("good text %d: err=%v panic=%v receipt=%+v, want stored with a reply", i, o.err, o.panicked, o.r)
			}
			if n, err := s.CountMessagesByProviderUUID(ctx, o.r.Message.ProviderUUID); err != nil || n != 1 {
				t.Fatalf("good text %d stored %d times (err %v), want 1", i, n, err)
			}
		}
		for _, uuid := range []string{"bad", "boom"} {
			if n, err := s.CountMessagesByProviderUUID(ctx, uuid); err != nil || n != 0 {
				t.Fatalf("failed text %s stored %d times (err %v), want 0", uuid, n, err)
			}
		}
		var convs int
		if err := s.DB().NewRaw("SELECT count(*) FROM conversations").Scan(ctx, &convs); err != nil {
			t.Fatal(err)
		}
		if convs != 2 {
			t.Fatalf("conversations=%d, want the good texts' 2 only", convs)
		}
		mustLogWhatWasPublished(t, s, pub, 0)

		// The failed texts come again, as Plivo retries them, and are new.
		clean, _ := newGroupService(s, g)
		for _, uuid := range []string{"bad", "boom"} {
			if r := storetest.MustReceive(t, clean, inboxtest.Inbound(uuid, "+15550000019", channel, "hello")); r.Duplicate {
				t.Fatalf("retried %s: duplicate, want new", uuid)
			}
		}
	})
}

// Many concurrent texts, some delivered twice, each get exactly their own
// outcome, however the group commit batches them.
func TestGroupCommitConcurrentTextsGetTheirOwnOutcomes(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		g := store.NewGroupCommit(s, store.GroupCommitOptions{MaxBatch: 8})
		svc, pub := newGroupService(s, g)
		const texts, copies, contacts = 24, 2, 5
		type result struct {
			uuid, contact string
			r             inbox.Receipt
			err           error
		}
		results := make(chan result, texts*copies)
		var wg sync.WaitGroup
		for i := range texts * copies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := i % texts
				uuid, from := fmt.Sprintf("c-%d", n), fmt.Sprintf("+1555000%04d", n%contacts)
				r, err := svc.Receive(ctx, inboxtest.Inbound(uuid, from, channel, "order "+uuid))
				results <- result{uuid, from, r, err}
			}()
		}
		wg.Wait()
		close(results)
		fresh := map[string]int{}
		for res := range results {
			if res.err != nil {
				t.Fatalf("text %s: %v", res.uuid, res.err)
			}
			if res.r.Duplicate {
				continue
			}
			fresh[res.uuid]++
			m := res.r.Message
			if m.ProviderUUID != res.uuid || m.Body != "order "+res.uuid || string(res.r.Conversation.ContactNumber) != res.contact ||
				m.ConversationID != res.r.Conversation.ID {
				t.Fatalf("text %s from %s got message %+v in conversation %+v", res.uuid, res.contact, m, res.r.Conversation)
			}
			stored, err := s.FindMessageByProviderUUID(ctx, res.uuid)
			if err != nil || stored.ID != m.ID {
				t.Fatalf("text %s: stored=%+v err=%v, want message %d", res.uuid, stored, err, m.ID)
			}
		}
		for i := range texts {
			if uuid := fmt.Sprintf("c-%d", i); fresh[uuid] != 1 {
				t.Fatalf("text %s new %d times, want exactly once", uuid, fresh[uuid])
			}
		}
		var unread, inbound int
		if err := s.DB().NewRaw("SELECT coalesce(sum(unread_count), 0) FROM conversations").Scan(ctx, &unread); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().NewRaw("SELECT count(*) FROM messages WHERE direction = 'inbound'").Scan(ctx, &inbound); err != nil {
			t.Fatal(err)
		}
		if unread != texts || inbound != texts {
			t.Fatalf("unread=%d inbound messages=%d, want %d each", unread, inbound, texts)
		}
		mustLogWhatWasPublished(t, s, pub, 0)
	})
}

// A unit whose caller has given up before its transaction begins is not
// run, and the others of its batch are.
func TestGroupCommitSkipsAUnitWhoseCallerLeft(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		g := store.NewGroupCommit(s, store.GroupCommitOptions{Transactions: 1})
		ctx, cancel := context.WithCancel(context.Background())
		ran := make([]bool, 2)
		errs := make([]error, 2)
		inOneBatch(t, g,
			func() {
				errs[0] = g.AtomicallyShared(ctx, inbox.SharedUnit{}, func(context.Context, inbox.OutboxTx) error { ran[0] = true; return nil })
			},
			func() {
				for g.Queued() == 0 {
					time.Sleep(time.Millisecond)
				}
				cancel()
				errs[1] = g.AtomicallyShared(context.Background(), inbox.SharedUnit{}, func(context.Context, inbox.OutboxTx) error { ran[1] = true; return nil })
			},
		)
		if ran[0] || !errors.Is(errs[0], context.Canceled) {
			t.Fatalf("abandoned unit ran=%v err=%v, want not run and context.Canceled", ran[0], errs[0])
		}
		if !ran[1] || errs[1] != nil {
			t.Fatalf("other unit ran=%v err=%v, want run and committed", ran[1], errs[1])
		}
	})
}
