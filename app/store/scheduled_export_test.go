package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// An export holds every scheduled send with its due time and state: the
// one sent on its message, the waiting and the cancelled ones after the
// messages, with no message id.
func TestExportHoldsScheduledSends(t *testing.T) {
	defer store.SetExportPage(2)()
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		sent := r.MustSchedule(t, "sent later", time.Hour)
		cancelled := r.MustSchedule(t, "called off", 2*time.Hour)
		waiting := r.MustSchedule(t, "still waiting", 5*time.Hour)
		if _, err := r.svc.CancelScheduled(context.Background(), r.agent, cancelled.ID); err != nil {
			t.Fatal(err)
		}
		r.clock.Advance(time.Hour)
		r.MustReleaseDue(t, 1)
		r.MustSendDue(t, 1)

		type row struct {
			id    int64
			body  string
			state inbox.ScheduleState
			due   time.Time
		}
		var got []row
		err := s.ExportMessages(context.Background(), inbox.ExportQuery{}, func(rec inbox.ExportRecord) error {
			x := row{id: rec.Message.ID, body: rec.Message.Body}
			if rec.Scheduled != nil {
				x.state, x.due = rec.Scheduled.State, rec.Scheduled.DueAt
			}
			if rec.Conversation.ID != r.convID {
				t.Errorf("record of conversation %d, want %d", rec.Conversation.ID, r.convID)
			}
			got = append(got, x)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sentMsg := r.MustFindScheduled(t, sent.ID).MessageID
		want := []row{
			{body: "where is my order?"},
			{id: sentMsg, body: "sent later", state: inbox.ScheduleReleased, due: sent.DueAt},
			{body: "called off", state: inbox.ScheduleCancelled, due: cancelled.DueAt},
			{body: "still waiting", state: inbox.ScheduleWaiting, due: waiting.DueAt},
		}
		if len(got) != len(want) {
			t.Fatalf("records=%+v, want %+v", got, want)
		}
		for i := range want {
			if got[i].body != want[i].body || got[i].state != want[i].state || !got[i].due.Equal(want[i].due) ||
				(want[i].id != 0 && got[i].id != want[i].id) || (want[i].body != "where is my order?" && want[i].id == 0 && got[i].id != 0) {
				t.Errorf("record %d=%+v, want %+v", i, got[i], want[i])
			}
		}
	})
}
