package store_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func searchIDs(t *testing.T, svc *inbox.Service, search string) []int64 {
	t.Helper()
	p, err := svc.ListConversations(context.Background(), inbox.ConversationQuery{Filter: inbox.FilterAll, Search: search})
	if err != nil {
		t.Fatalf("search %q: %v", search, err)
	}
	var ids []int64
	for _, c := range p.Conversations {
		ids = append(ids, c.ID)
	}
	return ids
}

func TestSearchWordsAcrossAConversation(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: inboxtest.NewClock(t0), Numbers: []inbox.Number{channel}})
		r := storetest.MustReceive(t, svc, inboxtest.Inbound("w-1", contact, channel, "Le café était fermé"))
		storetest.MustReceive(t, svc, inboxtest.Inbound("w-2", contact, channel, "and the parcel?"))
		storetest.MustReceive(t, svc, inboxtest.Inbound("w-3", "+14155550177", channel, "hello"))
		agent := inbox.User{Email: "ana@example.com", Role: inbox.RoleAgent, CreatedAt: t0}
		if err := s.SaveUser(ctx, &agent); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SendReply(ctx, agent, r.Conversation.ID, "Refund approved"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			search string
			want   int
		}{
			{"cafe", 1},               // accents folded
			{"CAFÉ ferme", 1},         // either way round
			{"cafe parcel", 1},        // words from two of its texts
			{"refund", 1},             // an agent's reply
			{"thanks for texting", 0}, // the automatic greeting is not indexed
			{"hello", 1},
			{"zebra", 0},
		}
		for _, tt := range tests {
			if got := searchIDs(t, svc, tt.search); len(got) != tt.want {
				t.Errorf("search %q found %d conversations, want %d", tt.search, len(got), tt.want)
			}
		}
	})
}

func TestSearchBeyondTheNewestWindow(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: inboxtest.NewClock(t0)})
		// The clock is months before the seeded activity, so this is the
		// oldest conversation, outside the window searched one by one.
		old := storetest.MustReceive(t, svc, inboxtest.Inbound("old-1", contact, channel, "zanzibar shipment"))
		if err := s.Seed(ctx, store.SeedOptions{Conversations: 1200, Messages: 2400, Channel: channel, Seed: 2}); err != nil {
			t.Fatal(err)
		}
		got := searchIDs(t, svc, "zanzib")
		if len(got) != 1 || got[0] != old.Conversation.ID {
			t.Fatalf("search found %v, want only the oldest conversation %d", got, old.Conversation.ID)
		}
		// A common word fills the page from the newest window, in order.
		p, err := svc.ListConversations(ctx, inbox.ConversationQuery{Filter: inbox.FilterAll, Search: "order", Limit: 20})
		if err != nil || len(p.Conversations) != 20 || p.Next.IsZero() {
			t.Fatalf("common word: %d conversations, next %v, %v; want a full page with more", len(p.Conversations), p.Next, err)
		}
		for i := 1; i < len(p.Conversations); i++ {
			if p.Conversations[i].LastMessageAt.After(p.Conversations[i-1].LastMessageAt) {
				t.Fatalf("results out of order at %d", i)
			}
		}
	})
}
