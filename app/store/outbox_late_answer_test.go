package store_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

// heldAnswers is a transport whose requests reach the carrier at once but
// whose answers come back only when released: Plivo's 202 arriving late.
type heldAnswers struct {
	release chan struct{}
}

func (h heldAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	<-h.release
	return resp, err
}

// Race: the original answer arrives after the send was marked unconfirmed
// (its worker outlived the lease) and after a lookup settled it: found, or,
// with Plivo's list lagging past the window, queued again. Either way the
// contact is texted once.
func TestReconcileRacesTheOriginalAnswerArrivingLate(t *testing.T) {
	for _, lagging := range []bool{false, true} {
		name := map[bool]string{false: "found", true: "list lags"}[lagging]
		t.Run(name, func(t *testing.T) {
			storetest.EachDB(t, func(t *testing.T, s *store.Store) {
				r := newReconcileRig(t, s)
				if lagging {
					r.api.SetLookupDelay(24 * time.Hour)
				}
				held := heldAnswers{release: make(chan struct{})}
				slow := r.reconcilingOutbox(t, held)
				m := r.MustReply(t, "late answer")
				var wg sync.WaitGroup
				wg.Go(func() {
					if _, err := slow.SendDue(context.Background()); err != nil {
						t.Error(err)
					}
				})
				waitFor(t, "the send to reach Plivo", func() bool { return len(r.api.Sends()) == 1 })
				r.clock.Advance(inbox.DefaultSendLease + time.Second)
				if n, err := r.ob.RecoverStale(context.Background()); err != nil || n != 1 {
					t.Fatalf("RecoverStale=%d, %v; want 1", n, err)
				}
				r.clock.Advance(reconcileWindow)
				r.MustReconcile(t, r.ob, 1)
				close(held.release)
				wg.Wait()
				r.MustSendDue(t, 0)
				uuid := r.api.Sends()[0].UUID
				if got := r.MustFind(t, m.ID); got.Status != inbox.StatusSent || got.ProviderUUID != uuid {
					t.Fatalf("status=%s uuid=%q, want sent as %q", got.Status, got.ProviderUUID, uuid)
				}
				if n := r.api.Count(contact, "late answer"); n != 1 {
					t.Fatalf("requests to the carrier=%d, want 1", n)
				}
			})
		})
	}
}
