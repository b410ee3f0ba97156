package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// TestTwoOutboxesReleaseAScheduledMessageOnce has two outboxes (two
// instances over one database) race to release and send one due message
// from many goroutines each: one release, one send.
func TestTwoOutboxesReleaseAScheduledMessageOnce(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		other := r.newOutbox(t, rigOptions{})
		sm := r.MustSchedule(t, "exactly once", time.Hour)
		r.clock.Advance(time.Hour)
		var released, sent atomic.Int64
		var wg sync.WaitGroup
		for i := range 8 {
			ob := r.ob
			if i%2 == 1 {
				ob = other
			}
			wg.Go(func() {
				n, err := ob.ReleaseDue(context.Background())
				if err != nil {
					t.Errorf("ReleaseDue: %v", err)
				}
				released.Add(int64(n))
				n, err = ob.SendDue(context.Background())
				if err != nil {
					t.Errorf("SendDue: %v", err)
				}
				sent.Add(int64(n))
			})
		}
		wg.Wait()
		if released.Load() != 1 || sent.Load() != 1 {
			t.Fatalf("released=%d sent=%d, want 1 and 1", released.Load(), sent.Load())
		}
		if n := r.api.Count(contact, "exactly once"); n != 1 {
			t.Fatalf("sends at Plivo=%d, want 1", n)
		}
		if got := r.MustFindScheduled(t, sm.ID); got.State != inbox.ScheduleReleased {
			t.Fatalf("state=%s, want released", got.State)
		}
	})
}

// TestCancelRacesTheRelease cancels due messages while the outbox releases
// them: each is either cancelled and never sent, or sent and the cancel
// refused, never both and never neither.
func TestCancelRacesTheRelease(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{})
		const rounds = 12
		cancelled := 0
		for i := range rounds {
			sm := r.MustSchedule(t, "race", time.Minute)
			r.clock.Advance(time.Minute)
			var cancelErr error
			var releasedN int
			var wg sync.WaitGroup
			wg.Go(func() { _, cancelErr = r.svc.CancelScheduled(context.Background(), r.agent, sm.ID) })
			wg.Go(func() {
				n, err := r.ob.ReleaseDue(context.Background())
				if err != nil {
					t.Errorf("ReleaseDue: %v", err)
				}
				releasedN = n
			})
			wg.Wait()
			got := r.MustFindScheduled(t, sm.ID)
			switch {
			case cancelErr == nil && releasedN == 0 && got.State == inbox.ScheduleCancelled:
				cancelled++
			case inbox.ErrorCode(cancelErr) == inbox.ECONFLICT && releasedN == 1 && got.State == inbox.ScheduleReleased:
			default:
				t.Fatalf("round %d: cancel=%v released=%d state=%s, want one winner", i, cancelErr, releasedN, got.State)
			}
		}
		r.MustSendDue(t, rounds-cancelled)
		if n := r.api.Count(contact, "race"); n != rounds-cancelled {
			t.Fatalf("sends=%d, want %d (rounds the release won)", n, rounds-cancelled)
		}
		t.Logf("cancel won %d of %d rounds", cancelled, rounds)
	})
}

// TestScheduledSendSurvivesARestart schedules a message, stops the
// outbox before it is due, and starts a new one after: it goes out once.
// The poll is an hour, so only the due-time timer can have sent it.
func TestScheduledSendSurvivesARestart(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{poll: time.Hour})
		run := func(ob *inbox.Outbox) func() {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- ob.Run(ctx) }()
			return func() {
				cancel()
				select {
				case <-done:
				case <-time.After(20 * time.Second):
					t.Fatal("Run did not return after cancel")
				}
			}
		}
		stop := run(r.ob)
		sm := r.MustSchedule(t, "after the restart", 2*time.Minute)
		stop()
		if got := r.MustFindScheduled(t, sm.ID); got.State != inbox.ScheduleWaiting {
			t.Fatalf("state after the stop=%s, want still scheduled", got.State)
		}
		r.clock.Advance(3 * time.Minute)

		stop = run(r.newOutbox(t, rigOptions{poll: time.Hour}))
		waitFor(t, "the scheduled message to be sent", func() bool {
			got := r.MustFindScheduled(t, sm.ID)
			return got.MessageID != 0 && r.MustFind(t, got.MessageID).Status == inbox.StatusSent
		})
		stop()
		stop = run(r.newOutbox(t, rigOptions{poll: time.Hour}))
		time.Sleep(200 * time.Millisecond)
		stop()
		if n := r.api.Count(contact, "after the restart"); n != 1 {
			t.Fatalf("sends=%d, want 1", n)
		}
	})
}

// TestScheduledSendWakesAtItsTime runs an outbox with an hour's poll and
// moves the clock to a second and a half before a message is due: the
// outbox's timer, re-armed by the wake, sends it when due and not before.
func TestScheduledSendWakesAtItsTime(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{poll: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.ob.Run(ctx) }()
		defer func() { cancel(); <-done }()

		sm := r.MustSchedule(t, "on the dot", time.Minute+1500*time.Millisecond)
		r.clock.Advance(time.Minute)
		r.ob.WakeScheduler()
		time.Sleep(300 * time.Millisecond)
		if got := r.MustFindScheduled(t, sm.ID); got.State != inbox.ScheduleWaiting {
			t.Fatalf("state %v before due=%s, want scheduled", 300*time.Millisecond, got.State)
		}
		// The fake clock stands still; time passing is the timer's alone.
		r.clock.Advance(1500 * time.Millisecond)
		waitFor(t, "the scheduled message to be sent", func() bool { return r.api.Count(contact, "on the dot") == 1 })
	})
}

// TestTwoInstancesSendAScheduledMessageOnce runs two outboxes, each on
// its own store over one database (two instances of Parley), with a fast
// poll; a scheduled message comes due and goes out once.
func TestTwoInstancesSendAScheduledMessageOnce(t *testing.T) {
	storetest.EachDBPair(t, func(t *testing.T, a, b *store.Store) {
		r := newRig(t, a, rigOptions{poll: 10 * time.Millisecond})
		other := *r
		other.s = b
		obB := other.newOutbox(t, rigOptions{poll: 10 * time.Millisecond})
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for _, ob := range []*inbox.Outbox{r.ob, obB} {
			wg.Go(func() {
				if err := ob.Run(ctx); err != nil {
					t.Errorf("Run: %v", err)
				}
			})
		}
		defer func() { cancel(); wg.Wait() }()

		sm := r.MustSchedule(t, "one of two instances", time.Minute)
		r.clock.Advance(time.Minute)
		waitFor(t, "the scheduled message to be sent", func() bool { return r.api.Count(contact, "one of two instances") == 1 })
		// Both keep polling well past the send: nothing goes twice.
		time.Sleep(300 * time.Millisecond)
		if n := r.api.Count(contact, "one of two instances"); n != 1 {
			t.Fatalf("sends=%d, want 1", n)
		}
		got := r.MustFindScheduled(t, sm.ID)
		if got.State != inbox.ScheduleReleased || r.MustFind(t, got.MessageID).Status != inbox.StatusSent {
			t.Fatalf("scheduled=%+v, want released and sent", got)
		}
	})
}
