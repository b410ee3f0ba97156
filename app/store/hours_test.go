package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// Business hours read back as saved; before any save, the defaults.
func TestBusinessHoursRoundTrip(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc, _ := storetest.NewService(s)
		got, err := svc.BusinessHoursSettings(ctx)
		if err != nil || got.Week != inbox.DefaultBusinessHours().Week || got.Welcome.Enabled {
			t.Fatalf("unsaved settings=%+v, %v; want the defaults", got, err)
		}
		h := inbox.DefaultBusinessHours()
		h.TimeZone = "America/New_York"
		h.Week[time.Saturday] = inbox.OpeningHours{Open: true, From: 10 * 60, To: 14 * 60}
		h.Holidays = []inbox.Holiday{{Date: "2026-12-25", Name: "Christmas"}, {Date: "2027-01-01"}}
		h.Welcome = inbox.AutoMessage{Enabled: true, Body: "Hi! It's the Parley team. ✨"}
		h.AfterHours = inbox.AutoMessage{Enabled: true, Body: "We're closed; back at 9."}
		admin := inbox.User{ID: 1, Role: inbox.RoleAdmin}
		if _, err := svc.SaveBusinessHours(ctx, inbox.User{ID: 2, Role: inbox.RoleAgent}, h); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Fatalf("an agent saving: %v, want EFORBIDDEN", err)
		}
		if _, err := svc.SaveBusinessHours(ctx, admin, h); err != nil {
			t.Fatal(err)
		}
		got, err = svc.BusinessHoursSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.TimeZone != h.TimeZone || got.Week != h.Week || len(got.Holidays) != 2 || got.Holidays[0] != h.Holidays[0] ||
			got.Welcome != h.Welcome || got.AfterHours != h.AfterHours || !got.UpdatedAt.Equal(t0) {
			t.Fatalf("read back %+v, want %+v", got, h)
		}
		// Saving again replaces the row; a refused save changes nothing.
		h.TimeZone = "Mars/Base"
		if _, err := svc.SaveBusinessHours(ctx, admin, h); inbox.ErrorCode(err) != inbox.EINVALID {
			t.Fatalf("unknown zone: %v, want EINVALID", err)
		}
		if got, _ = svc.BusinessHoursSettings(ctx); got.TimeZone != "America/New_York" {
			t.Fatalf("after a refused save: zone %q, want the saved one", got.TimeZone)
		}
		entries, _, err := svc.AuditLog(ctx, admin, 0)
		if err != nil || len(entries) != 1 || entries[0].Action != inbox.AuditHoursSaved || entries[0].Subject != "America/New_York" ||
			entries[0].Detail != "Mon 09:00–17:00, Tue 09:00–17:00, Wed 09:00–17:00, Thu 09:00–17:00, Fri 09:00–17:00, Sat 10:00–14:00; 2 holidays; welcome on, after hours on" {
			t.Fatalf("audit log after one save and one refused: %+v, %v", entries, err)
		}
	})
}

// Outside business hours a contact gets the after-hours reply once per
// closed period, a new contact the welcome (in the same text), and an
// opted-out contact or a keyword nothing more.
func TestReceiveAnswersOutsideBusinessHours(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := inboxtest.NewClock(time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)) // Monday, after five
		svc := inbox.NewService(inbox.Options{Store: s, Users: s, Clock: clock})
		h := inbox.DefaultBusinessHours()
		h.Welcome = inbox.AutoMessage{Enabled: true, Body: "Welcome!"}
		h.AfterHours = inbox.AutoMessage{Enabled: true, Body: "We're closed."}
		if _, err := svc.SaveBusinessHours(ctx, inbox.User{ID: 1, Role: inbox.RoleAdmin}, h); err != nil {
			t.Fatal(err)
		}
		reply := func(uuid, from, text string) string {
			t.Helper()
			r := storetest.MustReceive(t, svc, inboxtest.Inbound(uuid, from, channel, text))
			if r.Reply == nil {
				return ""
			}
			return r.Reply.Body
		}
		steps := []struct {
			advance    time.Duration
			uuid, from string
			text, want string
		}{
			{0, "h-1", contact, "anyone there?", "Welcome!\n\nWe're closed."},
			{time.Minute, "h-2", contact, "hello??", ""},                      // same closed period
			{time.Minute, "h-3", contact, "HOURS", "__keyword__"},             // a keyword rule answers as always
			{15 * time.Hour, "h-4", contact, "now?", ""},                      // Tuesday 09:00: open
			{9 * time.Hour, "h-5", contact, "closed again?", "We're closed."}, // Tuesday 18:00: a new closed period
			{0, "h-6", "+14155550111", "STOP", "__consent__"},                 // the opt-out law answers
			{time.Minute, "h-7", "+14155550111", "still there", ""},           // opted out: nothing
			{0, "h-8", "+14155550112", "first text, open hours later", "Welcome!\n\nWe're closed."},
		}
		for _, st := range steps {
			clock.Advance(st.advance)
			got := reply(st.uuid, st.from, st.text)
			switch st.want {
			case "__keyword__", "__consent__":
				if got == "" || got == "We're closed." || got == "Welcome!\n\nWe're closed." {
					t.Fatalf("%s %q: reply %q, want the keyword or opt-out answer", st.uuid, st.text, got)
				}
			default:
				if got != st.want {
					t.Fatalf("%s %q at %v: reply %q, want %q", st.uuid, st.text, clock.Now(), got, st.want)
				}
			}
		}
		conv, err := s.FindConversationByID(ctx, 1)
		if err != nil || conv.AfterHoursRepliedAt == nil {
			t.Fatalf("conversation 1: %v, after-hours reply at %v; want it recorded", err, conv.AfterHoursRepliedAt)
		}
	})
}
