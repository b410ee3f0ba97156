package store_test

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestCountMessagesByProviderUUIDs(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, _ := storetest.NewService(s)
		storetest.MustReceive(t, svc, inboxtest.Inbound("uuid-a", contact, channel, "one"))
		storetest.MustReceive(t, svc, inboxtest.Inbound("uuid-b", contact, channel, "two"))
		storetest.MustReceive(t, svc, inboxtest.Inbound("uuid-b", contact, channel, "two")) // Plivo retrying
		// More ids than one IN list takes, the stored ones at both ends.
		ids := []string{"uuid-a"}
		for i := range 1200 {
			ids = append(ids, fmt.Sprintf("never-sent-%d", i))
		}
		ids = append(ids, "uuid-b")
		got, err := s.CountMessagesByProviderUUIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"uuid-a": 1, "uuid-b": 1}; !maps.Equal(got, want) {
			t.Fatalf("counts=%v, want %v", got, want)
		}
		if got, err := s.CountMessagesByProviderUUIDs(ctx, nil); err != nil || len(got) != 0 {
			t.Fatalf("counts of no ids=%v, %v, want none", got, err)
		}
	})
}
