package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestReceiveStoresMessageConversationAndEvents(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, pub := storetest.NewService(s)
		r := storetest.MustReceive(t, svc, inboxtest.Inbound("uuid-1", contact, channel, "hello"))
		if r.Duplicate || r.Reply == nil {
			t.Fatalf("receipt duplicate=%v reply=%v, want a fresh message with a reply", r.Duplicate, r.Reply)
		}
		got, err := s.FindMessageByProviderUUID(ctx, "uuid-1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Body != "hello" || got.Direction != inbox.DirectionInbound || got.Status != inbox.StatusReceived {
			t.Fatalf("stored message=%+v, want inbound received 'hello'", got)
		}
		if got.Raw["MessageUUID"] != "uuid-1" || !got.CreatedAt.Equal(t0) {
			t.Fatalf("stored raw=%v created=%v, want raw kept and created at %v", got.Raw, got.CreatedAt, t0)
		}
		reply, err := s.FindMessageByID(ctx, r.Reply.ID)
		if err != nil {
			t.Fatal(err)
		}
		if reply.Direction != inbox.DirectionOutbound || reply.Via != inbox.ViaXML || reply.Status != inbox.StatusQueued ||
			reply.To != contact || reply.From != channel || reply.SentBy != 0 {
			t.Fatalf("reply=%+v, want an automatic outbound XML reply to the contact", reply)
		}
		conv, err := s.FindConversationByID(ctx, r.Conversation.ID)
		if err != nil {
			t.Fatal(err)
		}
		if conv.MessageCount != 2 || conv.UnreadCount != 1 || conv.Status != inbox.ConversationOpen {
			t.Fatalf("conversation counts=%d/%d status=%s, want 2 messages, 1 unread, open", conv.MessageCount, conv.UnreadCount, conv.Status)
		}
		if conv.LastMessagePreview != inbox.Preview(reply.Body, inbox.PreviewLength) {
			t.Fatalf("preview=%q, want the reply's", conv.LastMessagePreview)
		}
		logged, err := s.EventsAfter(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		published := pub.Events()
		if len(logged) != 3 || len(published) != 3 {
			t.Fatalf("events logged=%d published=%d, want 3 each", len(logged), len(published))
		}
		for i := range logged {
			if logged[i].ID != published[i].ID || logged[i].Kind != published[i].Kind {
				t.Fatalf("event %d logged=%+v published=%+v, want the same", i, logged[i], published[i])
			}
			if i > 0 && logged[i].ID <= logged[i-1].ID {
				t.Fatalf("event ids not increasing: %d after %d", logged[i].ID, logged[i-1].ID)
			}
		}
	})
}

func TestReceiveDuplicateChangesNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, pub := storetest.NewService(s)
		first := storetest.MustReceive(t, svc, inboxtest.Inbound("dup-1", contact, channel, "hello"))
		second := storetest.MustReceive(t, svc, inboxtest.Inbound("dup-1", contact, channel, "hello"))
		if !second.Duplicate || second.Reply != nil {
			t.Fatalf("second receipt duplicate=%v reply=%v, want duplicate with no reply", second.Duplicate, second.Reply)
		}
		conv, err := s.FindConversationByID(ctx, first.Conversation.ID)
		if err != nil {
			t.Fatal(err)
		}
		if conv.MessageCount != 2 || conv.UnreadCount != 1 {
			t.Fatalf("after duplicate counts=%d/%d, want 2/1", conv.MessageCount, conv.UnreadCount)
		}
		if n := len(pub.Events()); n != 3 {
			t.Fatalf("published=%d, want 3 (nothing for the duplicate)", n)
		}
	})
}

func TestReceiveConcurrentDuplicatesStoreOnce(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, _ := storetest.NewService(s)
		const n = 30
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			fresh   int
			replies int
			errs    []error
		)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := svc.Receive(ctx, inboxtest.Inbound("same-uuid", contact, channel, "hello"))
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
					return
				}
				if !r.Duplicate {
					fresh++
				}
				if r.Reply != nil {
					replies++
				}
			}()
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("%d of %d deliveries failed, first: %v", len(errs), n, errs[0])
		}
		if fresh != 1 || replies != 1 {
			t.Fatalf("fresh=%d replies=%d, want exactly 1 each", fresh, replies)
		}
		count, err := s.CountMessagesByProviderUUID(ctx, "same-uuid")
		if err != nil {
			t.Fatal(err)
		}
		var total int
		if err := s.DB().NewRaw("SELECT count(*) FROM messages").Scan(ctx, &total); err != nil {
			t.Fatal(err)
		}
		if count != 1 || total != 2 {
			t.Fatalf("stored with uuid=%d, all messages=%d, want 1 and 2 (one text, one reply)", count, total)
		}
	})
}

func TestReceiveOptOutLaw(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, _ := storetest.NewService(s)
		steps := []struct {
			text      string
			intent    string
			wantReply string
			optedOut  bool
		}{
			{"hello", "", "Hello!", false},
			{"Stop", "", inbox.OptOutReply, true},
			{"STOP", "", "", true},
			{"hello", "", "", true},
			{"help", "", "You are texting our support team.", true},
			{"info", "", "You are texting our support team.", true},
			{"start", "", inbox.OptInReply, false},
			{"whatever", "optout", inbox.OptOutReply, true},
			{"whatever", "optin", inbox.OptInReply, false},
			{"  hours ", "", "Our team answers texts", false},
		}
		var convID int64
		for i, st := range steps {
			in := inboxtest.Inbound(fmt.Sprintf("law-%d", i), contact, channel, st.text)
			in.Intent = st.intent
			r := storetest.MustReceive(t, svc, in)
			convID = r.Conversation.ID
			got := ""
			if r.Reply != nil {
				got = r.Reply.Body
			}
			if (st.wantReply == "") != (got == "") || len(got) < len(st.wantReply) || got[:len(st.wantReply)] != st.wantReply {
				t.Fatalf("step %d %q: reply=%q, want prefix %q", i, st.text, got, st.wantReply)
			}
			conv, err := s.FindConversationByID(ctx, convID)
			if err != nil {
				t.Fatal(err)
			}
			if conv.OptedOut() != st.optedOut {
				t.Fatalf("step %d %q: opted out=%v, want %v", i, st.text, conv.OptedOut(), st.optedOut)
			}
		}
		history, err := s.ConsentHistory(ctx, contact, channel)
		if err != nil {
			t.Fatal(err)
		}
		wantKinds := []inbox.ConsentKind{inbox.ConsentOptIn, inbox.ConsentOptOut, inbox.ConsentOptIn, inbox.ConsentOptOut}
		if len(history) != len(wantKinds) {
			t.Fatalf("consent events=%d, want %d", len(history), len(wantKinds))
		}
		for i, k := range wantKinds {
			if history[i].Kind != k {
				t.Fatalf("consent event %d kind=%s, want %s", i, history[i].Kind, k)
			}
		}
		if history[3].Keyword != "STOP" || history[3].Source != "keyword" || history[0].Source != "intent" {
			t.Fatalf("oldest consent=%+v newest=%+v, want STOP by keyword and optin by intent", history[3], history[0])
		}
	})
}

func TestReceiveReopensClosedConversation(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, _ := storetest.NewService(s)
		r := storetest.MustReceive(t, svc, inboxtest.Inbound("c-1", contact, channel, "question"))
		if _, err := s.DB().NewRaw("UPDATE conversations SET status = 'closed' WHERE id = ?", r.Conversation.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		r = storetest.MustReceive(t, svc, inboxtest.Inbound("c-2", contact, channel, "another question"))
		if r.Conversation.Status != inbox.ConversationOpen {
			t.Fatalf("status after new text=%s, want open", r.Conversation.Status)
		}
	})
}

func TestReceiveDoesNotAnswerBlockedContact(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, _ := storetest.NewService(s)
		r := storetest.MustReceive(t, svc, inboxtest.Inbound("b-1", contact, channel, "question"))
		if _, err := s.DB().NewRaw("UPDATE conversations SET status = 'blocked' WHERE id = ?", r.Conversation.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		r = storetest.MustReceive(t, svc, inboxtest.Inbound("b-2", contact, channel, "hello"))
		if r.Reply != nil || r.Conversation.Status != inbox.ConversationBlocked {
			t.Fatalf("blocked contact: reply=%v status=%s, want no reply and still blocked", r.Reply, r.Conversation.Status)
		}
		if n, _ := s.CountMessagesByProviderUUID(ctx, "b-2"); n != 1 {
			t.Fatalf("blocked contact's text stored %d times, want 1", n)
		}
	})
}
