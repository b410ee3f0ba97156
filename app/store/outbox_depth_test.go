package store_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestOutboxDepth(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		depth := func() int {
			t.Helper()
			n, err := s.OutboxDepth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := depth(); n != 0 {
			t.Fatalf("depth=%d with only an inbound text, want 0", n)
		}
		r.MustReply(t, "one")
		r.MustReply(t, "two")
		if n := depth(); n != 2 {
			t.Fatalf("depth=%d after two replies, want 2", n)
		}
		r.MustSendDue(t, 2)
		if n := depth(); n != 0 {
			t.Errorf("depth=%d after sending, want 0", n)
		}
	})
}
