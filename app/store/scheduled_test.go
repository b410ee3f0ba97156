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

func (r *rig) MustSchedule(t *testing.T, text string, in time.Duration) inbox.ScheduledMessage {
	t.Helper()
	sm, err := r.svc.ScheduleReply(context.Background(), r.agent, r.convID, inbox.Schedule{Text: text, DueAt: r.clock.Now().Add(in), TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatalf("ScheduleReply(%q): %v", text, err)
	}
	return sm
}

func (r *rig) MustReleaseDue(t *testing.T, want int) {
	t.Helper()
	n, err := r.ob.ReleaseDue(context.Background())
	if err != nil {
		t.Fatalf("ReleaseDue: %v", err)
	}
	if n != want {
		t.Fatalf("ReleaseDue handled %d, want %d", n, want)
	}
}

func (r *rig) MustFindScheduled(t *testing.T, id int64) inbox.ScheduledMessage {
	t.Helper()
	sm, err := r.svc.FindScheduled(context.Background(), id)
	if err != nil {
		t.Fatalf("find scheduled %d: %v", id, err)
	}
	return sm
}

func (r *rig) waiting(t *testing.T) int {
	t.Helper()
	list, err := r.svc.ListScheduled(context.Background(), r.convID)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestScheduledReplyIsSentOnceWhenDue(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		sm := r.MustSchedule(t, "Good morning! Your order ships today.", 2*time.Hour)
		if sm.State != inbox.ScheduleWaiting || !sm.DueAt.Equal(t0.Add(2*time.Hour)) || sm.TimeZone != "Europe/Berlin" {
			t.Fatalf("scheduled=%+v, want waiting for t0+2h in Europe/Berlin", sm)
		}
		at, found, err := s.NextScheduledAt(context.Background())
		if err != nil || !found || !at.Equal(sm.DueAt) {
			t.Fatalf("NextScheduledAt=%v,%v,%v, want %v", at, found, err, sm.DueAt)
		}
		r.clock.Advance(2*time.Hour - time.Second)
		r.MustReleaseDue(t, 0)
		r.MustSendDue(t, 0)
		if n := len(r.api.Sends()); n != 0 {
			t.Fatalf("sends before due=%d, want 0", n)
		}
		r.clock.Advance(time.Second)
		r.MustReleaseDue(t, 1)
		r.MustSendDue(t, 1)
		got := r.MustFindScheduled(t, sm.ID)
		if got.State != inbox.ScheduleReleased || got.MessageID == 0 {
			t.Fatalf("after release: %+v, want released as a message", got)
		}
		m := r.MustFind(t, got.MessageID)
		if m.Status != inbox.StatusSent || m.SentBy != r.agent.ID || m.Body != sm.Body || !m.CreatedAt.Equal(r.clock.Now()) {
			t.Fatalf("message=%+v, want sent by the agent, written at the due time", m)
		}
		r.MustReleaseDue(t, 0)
		r.MustSendDue(t, 0)
		if n := r.api.Count(contact, sm.Body); n != 1 {
			t.Fatalf("sends=%d, want 1", n)
		}
		if _, found, _ := s.NextScheduledAt(context.Background()); found {
			t.Fatal("NextScheduledAt found a message after the only one went out")
		}
		if _, err := r.svc.CancelScheduled(context.Background(), r.agent, sm.ID); inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Fatalf("cancel after sending: %v, want %s", err, inbox.ECONFLICT)
		}
	})
}

func TestCancelledScheduledReplyIsNeverSent(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		sm := r.MustSchedule(t, "never mind", time.Hour)
		got, err := r.svc.CancelScheduled(context.Background(), r.agent, sm.ID)
		if err != nil || got.State != inbox.ScheduleCancelled {
			t.Fatalf("CancelScheduled=%+v, %v, want cancelled", got, err)
		}
		if n := r.waiting(t); n != 0 {
			t.Fatalf("waiting after cancel=%d, want 0", n)
		}
		r.clock.Advance(2 * time.Hour)
		r.MustReleaseDue(t, 0)
		r.MustSendDue(t, 0)
		if n := len(r.api.Sends()); n != 0 {
			t.Fatalf("sends=%d, want 0", n)
		}
		later := inbox.Schedule{Text: "after all", DueAt: r.clock.Now().Add(time.Hour)}
		if _, err := r.svc.EditScheduled(context.Background(), r.agent, sm.ID, later); inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Fatalf("edit after cancel: %v, want %s", err, inbox.ECONFLICT)
		}
		if _, err := r.svc.CancelScheduled(context.Background(), r.agent, 999999); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Fatalf("cancel of no message: %v, want %s", err, inbox.ENOTFOUND)
		}
	})
}

func TestEditedScheduledReplyGoesAtItsNewTimeWithItsNewText(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		sm := r.MustSchedule(t, "first draft", time.Hour)
		edit := inbox.Schedule{Text: "second draft", DueAt: r.clock.Now().Add(3 * time.Hour), TimeZone: "America/Chicago"}
		got, err := r.svc.EditScheduled(context.Background(), r.agent, sm.ID, edit)
		if err != nil || got.Body != "second draft" || !got.DueAt.Equal(edit.DueAt) || got.TimeZone != "America/Chicago" {
			t.Fatalf("EditScheduled=%+v, %v, want the new text, time and zone", got, err)
		}
		r.clock.Advance(2 * time.Hour)
		r.MustReleaseDue(t, 0)
		r.clock.Advance(time.Hour)
		r.MustReleaseDue(t, 1)
		r.MustSendDue(t, 1)
		if n, old := r.api.Count(contact, "second draft"), r.api.Count(contact, "first draft"); n != 1 || old != 0 {
			t.Fatalf("sends of the edit=%d of the first draft=%d, want 1 and 0", n, old)
		}
	})
}

func TestScheduleRefusesBadInputAndStoresNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		now := r.clock.Now()
		tests := []struct {
			name  string
			sched inbox.Schedule
			field string
		}{
			{"in the past", inbox.Schedule{Text: "hi", DueAt: now.Add(-time.Minute)}, "send_at"},
			{"now", inbox.Schedule{Text: "hi", DueAt: now}, "send_at"},
			{"more than a year ahead", inbox.Schedule{Text: "hi", DueAt: now.Add(inbox.MaxScheduleAhead + time.Minute)}, "send_at"},
			{"no time", inbox.Schedule{Text: "hi"}, "send_at"},
			{"an unknown zone", inbox.Schedule{Text: "hi", DueAt: now.Add(time.Hour), TimeZone: "Mars/Olympus"}, "tz"},
			{"a blank text", inbox.Schedule{Text: "  ", DueAt: now.Add(time.Hour)}, "text"},
		}
		for _, tt := range tests {
			_, err := r.svc.ScheduleReply(context.Background(), r.agent, r.convID, tt.sched)
			if inbox.ErrorCode(err) != inbox.EINVALID || inbox.ErrorField(err) != tt.field {
				t.Errorf("%s: err=%v, want %s on %q", tt.name, err, inbox.EINVALID, tt.field)
			}
		}
		if n := r.waiting(t); n != 0 {
			t.Fatalf("waiting after refusals=%d, want 0", n)
		}
		storetest.MustReceive(t, r.svc, inboxtest.Inbound("in-stop", contact, channel, "STOP"))
		_, err := r.svc.ScheduleReply(context.Background(), r.agent, r.convID, inbox.Schedule{Text: "hi", DueAt: now.Add(time.Hour)})
		if inbox.ErrorCode(err) != inbox.EOPTEDOUT {
			t.Fatalf("schedule to an opted-out contact: %v, want %s", err, inbox.EOPTEDOUT)
		}
		if n := r.waiting(t); n != 0 {
			t.Fatalf("waiting after an opted-out refusal=%d, want 0", n)
		}
	})
}

func TestScheduledReplyIsRefusedWhenTheContactOptsOutOrIsBlockedMeanwhile(t *testing.T) {
	for _, tt := range []struct {
		name string
		code string
		act  func(r *rig)
	}{
		{"opted out", inbox.ErrorCodeOptedOut, func(r *rig) {
			storetest.MustReceive(t, r.svc, inboxtest.Inbound("in-stop", contact, channel, "STOP"))
		}},
		{"blocked", inbox.ErrorCodeBlocked, func(r *rig) {
			if _, err := r.svc.SetConversationStatus(context.Background(), r.agent, r.convID, inbox.ConversationBlocked); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			storetest.EachDB(t, func(t *testing.T, s *store.Store) {
				r := newRig(t, s, rigOptions{})
				sm := r.MustSchedule(t, "see you tomorrow", time.Hour)
				tt.act(r)
				r.clock.Advance(time.Hour)
				r.MustReleaseDue(t, 1)
				r.MustSendDue(t, 0)
				got := r.MustFindScheduled(t, sm.ID)
				if got.State != inbox.ScheduleRefused || got.Reason == "" || got.MessageID == 0 {
					t.Fatalf("scheduled=%+v, want refused with a reason and its message", got)
				}
				m := r.MustFind(t, got.MessageID)
				if m.Status != inbox.StatusFailed || m.ErrorCode != tt.code || m.ErrorMessage != got.Reason {
					t.Fatalf("message status=%s code=%s why=%q, want failed %s saying %q", m.Status, m.ErrorCode, m.ErrorMessage, tt.code, got.Reason)
				}
				if n := len(r.api.Sends()); n != 0 {
					t.Fatalf("sends=%d, want 0", n)
				}
				conv, err := s.FindConversationByID(context.Background(), r.convID)
				if err != nil || conv.FailedReplyID != m.ID {
					t.Fatalf("failed reply mark=%d (%v), want the refused message %d", conv.FailedReplyID, err, m.ID)
				}
			})
		})
	}
}
