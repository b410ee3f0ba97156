package usecases_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestRoundRobinAssignsNewConversations(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		bob := storetest.MustSaveUser(t, s, "bob@example.com", inbox.RoleAgent)
		storetest.MustSaveUser(t, s, "cat@example.com", inbox.RoleAgent) // not available

		text := func(n int, from string) inbox.Conversation {
			t.Helper()
			clock.Advance(time.Minute)
			return storetest.MustReceive(t, svc, inboxtest.Inbound(fmt.Sprint("rr-", n), from, channel, "hello?")).Conversation
		}
		// Nobody available: new conversations stay unassigned.
		if c := text(0, "+14155551000"); c.AssigneeID != 0 {
			t.Fatalf("with nobody available assignee=%d", c.AssigneeID)
		}
		for _, u := range []inbox.User{ann, bob} {
			if got, err := svc.SetAvailable(ctx, u, true); err != nil || !got.Available {
				t.Fatalf("set available %s: %+v %v", u.Email, got, err)
			}
		}
		var got []int64
		for i := 1; i <= 4; i++ {
			got = append(got, text(i, fmt.Sprintf("+1415555%04d", 1000+i)).AssigneeID)
		}
		if want := []int64{ann.ID, bob.ID, ann.ID, bob.ID}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("assignees=%v, want %v in turn", got, want)
		}
		// A conversation that already exists is not reassigned by a text.
		if c := text(5, "+14155551001"); c.AssigneeID != ann.ID {
			t.Errorf("second text reassigned to %d", c.AssigneeID)
		}
		// Bob steps out; Ann gets the next ones.
		if _, err := svc.SetAvailable(ctx, bob, false); err != nil {
			t.Fatal(err)
		}
		if c := text(6, "+14155552000"); c.AssigneeID != ann.ID {
			t.Errorf("with Bob away assignee=%d, want Ann", c.AssigneeID)
		}
		if u, _ := s.FindUserByID(ctx, bob.ID); u.Available {
			t.Error("Bob still available")
		}
		// An unassigned conversation's new text does not assign it either.
		if c := text(7, "+14155551000"); c.AssigneeID != 0 {
			t.Errorf("old unassigned conversation got assignee %d", c.AssigneeID)
		}
		if _, err := svc.SetAvailable(ctx, inbox.User{ID: 9999}, true); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("unknown user err=%v", err)
		}
	})
}
