package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// TestOutboxRidesOutACarrierOutage runs replies through ten minutes (on
// the rig's clock) of a failing carrier: 500s, 429s, empty 500s, hanging
// connections, in turn. Every reply stays queued, showing agents which try
// failed and that Parley will try again, none gives up, and once the API
// answers again each is accepted exactly once.
func TestOutboxRidesOutACarrierOutage(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		r := newRig(t, s, rigOptions{timeout: 200 * time.Millisecond})
		const replies = 8
		var ids []int64
		for i := range replies {
			ids = append(ids, r.MustReply(t, fmt.Sprintf("outage reply %d", i)).ID)
		}
		// Each failure mode for 2½ minutes, hanging connections included.
		modes := []plivotest.Mode{plivotest.ServerError, plivotest.RateLimited, plivotest.EmptyServerError, plivotest.Hang}
		const outage, step = 10 * time.Minute, 5 * time.Second
		start := r.clock.Now()
		shown := 0
		for elapsed := time.Duration(0); elapsed < outage; elapsed += step {
			r.api.SetMode(modes[int(elapsed/(outage/time.Duration(len(modes))))])
			if _, err := r.ob.SendDue(t.Context()); err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				m := r.MustFind(t, id)
				if m.Status != inbox.StatusQueued && m.Status != inbox.StatusSending {
					t.Fatalf("after %v of outage reply %d is %s (%s: %s), want queued", elapsed, id, m.Status, m.ErrorCode, m.ErrorMessage)
				}
				if m.Attempts > 0 && strings.Contains(m.ErrorMessage, "Parley will try again") {
					shown++
				}
			}
			r.clock.Advance(step)
		}
		outageRequests := len(r.api.Sends())
		r.api.SetMode(plivotest.Accept)
		var attempts []int
		for deadline := r.clock.Now().Add(inbox.RetryCap * 2); ; {
			if _, err := r.ob.SendDue(t.Context()); err != nil {
				t.Fatal(err)
			}
			done := 0
			attempts = attempts[:0]
			for _, id := range ids {
				m := r.MustFind(t, id)
				if m.Status == inbox.StatusSent {
					done++
				}
				attempts = append(attempts, m.Attempts)
			}
			if done == replies {
				break
			}
			if r.clock.Now().After(deadline) {
				t.Fatalf("%d of %d replies sent within %v of the carrier's recovery", done, replies, inbox.RetryCap*2)
			}
			r.clock.Advance(step)
		}
		accepted, doubles := 0, 0
		for i, id := range ids {
			n := 0
			for _, sd := range r.api.Sends() {
				if sd.Text == fmt.Sprintf("outage reply %d", i) && sd.Mode == plivotest.Accept {
					n++
				}
			}
			accepted += n
			if n != 1 {
				doubles += max(n-1, 0)
				t.Errorf("reply %d accepted %d times, want exactly once", id, n)
			}
			if ev := statusEvents(t, s, id); ev < attempts[i] {
				t.Errorf("reply %d: %d status events for %d tries, want one per try at least", id, ev, attempts[i])
			}
		}
		if shown == 0 {
			t.Error("no reply ever showed that a try failed and Parley will try again")
		}
		t.Logf("carrier outage of %v: %d replies, %d requests refused or unanswered, tries per reply %v, all sent %v after the outage began; sends accepted %d, double sends %d",
			outage, replies, outageRequests, attempts, r.clock.Now().Sub(start), accepted, doubles)
	})
}
