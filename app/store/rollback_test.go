package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

var errCommitRefused = errors.New("commit refused")

// rollingBack is a store whose every transaction does all its work, events
// included, and then fails, so the database rolls it back.
type rollingBack struct{ *store.Store }

func (r rollingBack) Atomically(ctx context.Context, fn func(context.Context, inbox.Tx) error) error {
	return r.Store.Atomically(ctx, func(ctx context.Context, tx inbox.Tx) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		return errCommitRefused
	})
}

// A change that does not commit is not announced: live clients must never
// see an event the log does not hold.
func TestConversationChangesThatRollBackPublishNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(t0)
		pub := &inboxtest.Publisher{}
		good := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock, Publisher: pub})
		admin := storetest.MustSaveUser(t, s, "admin@example.com", inbox.RoleAdmin)
		ann := storetest.MustSaveUser(t, s, "ann@example.com", inbox.RoleAgent)
		convs := storetest.SeedConversations(t, good, clock, "awake", "asleep")
		awake, asleep := convs[0].ID, convs[1].ID
		if _, err := good.SnoozeConversation(ctx, admin, asleep, time.Hour); err != nil {
			t.Fatal(err)
		}
		label, err := good.SaveLabel(ctx, admin, inbox.Label{Name: "vip", Color: "red"})
		if err != nil {
			t.Fatal(err)
		}
		failing := inbox.NewService(inbox.Options{Store: rollingBack{s}, Users: s, Clock: clock, Publisher: pub})

		tests := []struct {
			name string
			conv int64
			do   func() error
		}{
			{"assign", awake, func() error { _, err := failing.AssignConversation(ctx, admin, awake, ann.ID); return err }},
			{"close", awake, func() error {
				_, err := failing.SetConversationStatus(ctx, admin, awake, inbox.ConversationClosed)
				return err
			}},
			{"snooze", awake, func() error { _, err := failing.SnoozeConversation(ctx, admin, awake, time.Hour); return err }},
			{"wake", asleep, func() error { _, err := failing.WakeConversation(ctx, admin, asleep); return err }},
			{"opt out", awake, func() error { _, err := failing.SetConsentByAgent(ctx, admin, awake, true); return err }},
			{"label", awake, func() error {
				_, err := failing.SetConversationLabel(ctx, admin, awake, label.ID, true)
				return err
			}},
			{"contact", awake, func() error {
				_, err := failing.SaveContact(ctx, admin, awake, inbox.Contact{Name: "Ann Customer"})
				return err
			}},
			{"note", awake, func() error { _, err := failing.AddNote(ctx, admin, awake, "call back"); return err }},
			{"reply", awake, func() error { _, err := failing.SendReply(ctx, admin, awake, "on it"); return err }},
			{"mark read", awake, func() error { _, err := failing.OpenThread(ctx, awake); return err }},
			{"receive", awake, func() error {
				_, err := failing.Receive(ctx, inboxtest.Inbound("rolled-back", string(convs[0].ContactNumber), channel, "hello?"))
				return err
			}},
		}
		for _, tt := range tests {
			published := len(pub.Events())
			logged, err := s.LatestEventID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			before, err := s.FindConversationByID(ctx, tt.conv)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.do(); inbox.ErrorCode(err) != inbox.EUNAVAILABLE || !errors.Is(err, errCommitRefused) {
				t.Errorf("%s: err=%v, want EUNAVAILABLE wrapping the failed commit", tt.name, err)
			}
			if n := len(pub.Events()) - published; n != 0 {
				t.Errorf("%s: published %d events of a rolled back change, want 0", tt.name, n)
			}
			if id, _ := s.LatestEventID(ctx); id != logged {
				t.Errorf("%s: latest event id=%d, want %d (nothing logged)", tt.name, id, logged)
			}
			if after, _ := s.FindConversationByID(ctx, tt.conv); !reflect.DeepEqual(after, before) {
				t.Errorf("%s: conversation=%+v, want unchanged %+v", tt.name, after, before)
			}
		}
	})
}
