package usecases_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// Every change people make to a conversation leaves a line in its thread,
// in time order, kept in the same transaction as the change and announced
// with it; a change to nothing leaves none.
func TestThreadActivity(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		pub := &inboxtest.Publisher{}
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock, Publisher: pub})
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		conv := storetest.SeedConversations(t, svc, clock, "hello")[0]
		label, err := svc.SaveLabel(ctx, admin, inbox.Label{Name: "VIP", Color: "amber"})
		if err != nil {
			t.Fatal(err)
		}

		steps := []func() error{
			func() error {
				_, err := svc.SetConversationStatus(ctx, ann, conv.ID, inbox.ConversationClosed)
				return err
			},
			func() error {
				_, err := svc.SetConversationStatus(ctx, ann, conv.ID, inbox.ConversationClosed)
				return err
			},
			func() error {
				_, err := svc.SetConversationStatus(ctx, ann, conv.ID, inbox.ConversationOpen)
				return err
			},
			func() error { _, err := svc.AssignConversation(ctx, admin, conv.ID, ann.ID); return err },
			func() error { _, err := svc.AssignConversation(ctx, admin, conv.ID, 0); return err },
			func() error { _, err := svc.SetConversationLabel(ctx, ann, conv.ID, label.ID, true); return err },
			func() error { _, err := svc.SetConversationLabel(ctx, ann, conv.ID, label.ID, true); return err },
			func() error { _, err := svc.SetConversationLabel(ctx, ann, conv.ID, label.ID, false); return err },
			func() error { _, err := svc.SnoozeConversation(ctx, ann, conv.ID, time.Hour); return err },
			func() error { _, err := svc.WakeConversation(ctx, ann, conv.ID); return err },
			func() error { _, err := svc.SnoozeConversation(ctx, ann, conv.ID, time.Minute); return err },
			func() error { clock.Advance(2 * time.Minute); _, err := svc.WakeDueSnoozes(ctx); return err },
			func() error {
				_, err := svc.SetConversationStatus(ctx, admin, conv.ID, inbox.ConversationBlocked)
				return err
			},
			func() error {
				_, err := svc.SetConversationStatus(ctx, admin, conv.ID, inbox.ConversationOpen)
				return err
			},
			func() error { _, err := svc.SetConsentByAgent(ctx, ann, conv.ID, true); return err },
			func() error { _, err := svc.OptInByHand(ctx, admin, conv.ID, "asked by phone"); return err },
			func() error {
				_, err := svc.Receive(ctx, inboxtest.Inbound("stop-1", string(conv.ContactNumber), channel, "STOP"))
				return err
			},
		}
		for i, step := range steps {
			clock.Advance(time.Second)
			if err := step(); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}

		th, err := svc.OpenThread(ctx, conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range th.Messages.Activity {
			line := fmt.Sprintf("%d %s %d %s %s", a.ActorID, a.Kind, a.SubjectID, a.Detail, a.Source)
			if a.Until != nil {
				line += " until+" + a.Until.Sub(a.At).String()
			}
			got = append(got, strings.TrimSpace(line))
		}
		who := func(u inbox.User) string { return fmt.Sprint(u.ID) }
		want := []string{
			who(ann) + " closed 0",
			who(ann) + " reopened 0",
			who(admin) + " assigned " + who(ann),
			who(admin) + " unassigned 0",
			who(ann) + " labeled " + fmt.Sprint(label.ID) + " VIP",
			who(ann) + " unlabeled " + fmt.Sprint(label.ID) + " VIP",
			who(ann) + " snoozed 0   until+1h0m0s",
			who(ann) + " woke 0",
			who(ann) + " snoozed 0   until+1m0s",
			"0 woke 0",
			who(admin) + " blocked 0",
			who(admin) + " unblocked 0",
			who(ann) + " opted_out 0  agent",
			who(admin) + " opted_in 0 asked by phone manual",
			"0 opted_out 0 STOP keyword",
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Errorf("activity:\n got %q\nwant %q", got, want)
		}
		for i := 1; i < len(th.Messages.Activity); i++ {
			if th.Messages.Activity[i].At.Before(th.Messages.Activity[i-1].At) {
				t.Errorf("activity %d at %v, before the one above it", i, th.Messages.Activity[i].At)
			}
		}

		// Each line was announced, and the event names it.
		var announced []int64
		for _, e := range pub.Events() {
			if e.Activity != nil {
				if e.ConversationID != conv.ID {
					t.Errorf("event %+v: conversation=%d, want %d", e, e.ConversationID, conv.ID)
				}
				announced = append(announced, e.MessageID)
			}
		}
		if len(announced) != len(want) {
			t.Fatalf("announced %d activity events, want %d", len(announced), len(want))
		}
		last, err := svc.FindActivity(ctx, announced[len(announced)-1])
		if err != nil || last.Kind != inbox.ActivityOptedOut || last.Source != "keyword" {
			t.Errorf("FindActivity(last announced)=%+v, %v, want the STOP", last, err)
		}
		if _, err := svc.FindActivity(ctx, 99999); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("FindActivity(99999) err=%v, want ENOTFOUND", err)
		}
	})
}
