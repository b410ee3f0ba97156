package store_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestSeedWritesAUsableDataset(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Seed(ctx, store.SeedOptions{Conversations: 120, Messages: 1000, Channel: channel, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		var convs, msgs int
		s.DB().NewRaw("SELECT count(*) FROM conversations").Scan(ctx, &convs)
		s.DB().NewRaw("SELECT count(*) FROM messages").Scan(ctx, &msgs)
		if convs != 120 || msgs != 1000 {
			t.Fatalf("seeded %d conversations and %d messages, want 120 and 1000", convs, msgs)
		}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s})
		p, err := svc.ListConversations(ctx, inbox.ConversationQuery{Filter: inbox.FilterAll, Search: "parcel"})
		if err != nil || len(p.Conversations) == 0 {
			t.Fatalf("search over seeded data found %d conversations (%v), want some", len(p.Conversations), err)
		}
	})
}
