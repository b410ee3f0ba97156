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

func TestSnoozeWorkflow(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		pub := &inboxtest.Publisher{}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock, Publisher: pub})
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		convs := storetest.SeedConversations(t, svc, clock, "one", "two", "three")
		list := func(f inbox.ConversationFilter) string {
			return listIDs(t, svc, inbox.ConversationQuery{Filter: f})
		}
		ids := func(is ...int) string {
			var out []int64
			for _, i := range is {
				out = append(out, convs[i].ID)
			}
			return fmt.Sprint(out)
		}

		// Snooze two for an hour and one for a day: out of Open and
		// Unassigned, into Snoozed.
		for i, d := range map[int]time.Duration{0: time.Hour, 1: 24 * time.Hour} {
			c, err := svc.SnoozeConversation(ctx, ann, convs[i].ID, d)
			if err != nil || c.SnoozedUntil == nil || !c.Snoozed(clock.Now()) {
				t.Fatalf("snooze %d: %+v err=%v", i, c, err)
			}
		}
		for f, want := range map[inbox.ConversationFilter]string{
			inbox.FilterOpen: ids(2), inbox.FilterUnassigned: ids(2), inbox.FilterSnoozed: ids(1, 0), inbox.FilterAll: ids(2, 1, 0),
		} {
			if got := list(f); got != want {
				t.Errorf("%s=%s, want %s", f, got, want)
			}
		}
		// The title's unread count leaves the snoozed ones out until they
		// wake.
		if n, err := svc.UnreadConversations(ctx); err != nil || n != 1 {
			t.Errorf("unread conversations with two snoozed: %d, %v; want 1", n, err)
		}
		clock.Advance(2 * time.Hour)
		if n, err := svc.UnreadConversations(ctx); err != nil || n != 2 {
			t.Errorf("unread conversations once the hour's snooze ends: %d, %v; want 2", n, err)
		}
		clock.Advance(-2 * time.Hour)

		// Bad snoozes change nothing.
		for _, tt := range []struct {
			name string
			id   int64
			d    time.Duration
			code string
		}{
			{"too short", convs[2].ID, time.Second, inbox.EINVALID},
			{"too long", convs[2].ID, 91 * 24 * time.Hour, inbox.EINVALID},
			{"no such conversation", 9999, time.Hour, inbox.ENOTFOUND},
		} {
			if _, err := svc.SnoozeConversation(ctx, ann, tt.id, tt.d); inbox.ErrorCode(err) != tt.code {
				t.Errorf("%s: err=%v, want %s", tt.name, err, tt.code)
			}
		}
		if _, err := svc.SetConversationStatus(ctx, ann, convs[2].ID, inbox.ConversationClosed); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SnoozeConversation(ctx, ann, convs[2].ID, time.Hour); inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Errorf("snoozing a closed conversation err=%v, want conflict", err)
		}

		// An hour later the first is due: before the waker runs the lists
		// already show it; the waker announces it once.
		clock.Advance(time.Hour)
		if got := list(inbox.FilterOpen); got != ids(0) {
			t.Errorf("open after an hour=%s, want %s", got, ids(0))
		}
		published := len(pub.Events())
		for i, want := range []int{1, 0} {
			n, err := svc.WakeDueSnoozes(ctx)
			if err != nil || n != want {
				t.Fatalf("wake #%d=%d err=%v, want %d", i+1, n, err, want)
			}
		}
		if ev := pub.Events()[published:]; len(ev) != 1 || ev[0].ConversationID != convs[0].ID || ev[0].Kind != inbox.EventConversationUpdated {
			t.Fatalf("wake events=%+v", ev)
		}
		if c, _ := svc.FindConversation(ctx, convs[0].ID); c.SnoozedUntil != nil {
			t.Fatalf("woken conversation still has snoozed_until %v", c.SnoozedUntil)
		}

		// A text wakes the other at once; a text also reopens a closed one.
		storetest.MustReceive(t, svc, inboxtest.Inbound("wake-1", string(convs[1].ContactNumber), channel, "any news?"))
		storetest.MustReceive(t, svc, inboxtest.Inbound("wake-2", string(convs[2].ContactNumber), channel, "hello again"))
		if got := list(inbox.FilterSnoozed); got != "[]" {
			t.Errorf("snoozed after texts=%s, want none", got)
		}
		if c, _ := svc.FindConversation(ctx, convs[2].ID); c.Status != inbox.ConversationOpen {
			t.Errorf("closed conversation after a text is %s, want open", c.Status)
		}

		// Waking by hand, and closing, end a snooze.
		if _, err := svc.SnoozeConversation(ctx, ann, convs[0].ID, time.Hour); err != nil {
			t.Fatal(err)
		}
		if c, err := svc.WakeConversation(ctx, ann, convs[0].ID); err != nil || c.SnoozedUntil != nil {
			t.Fatalf("wake=%+v err=%v", c, err)
		}
		published = len(pub.Events())
		if _, err := svc.WakeConversation(ctx, ann, convs[0].ID); err != nil || len(pub.Events()) != published {
			t.Fatalf("waking an awake conversation err=%v or published", err)
		}
		if _, err := svc.SnoozeConversation(ctx, ann, convs[0].ID, time.Hour); err != nil {
			t.Fatal(err)
		}
		if c, _ := svc.SetConversationStatus(ctx, ann, convs[0].ID, inbox.ConversationClosed); c.Status != inbox.ConversationClosed {
			t.Fatal("close failed")
		}
		if c, _ := svc.FindConversation(ctx, convs[0].ID); c.SnoozedUntil != nil {
			t.Errorf("closing left the snooze: %v", c.SnoozedUntil)
		}
	})
}
