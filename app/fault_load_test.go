package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/bench"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
)

// ledger is what a load run drove and what Parley acknowledged.
type ledger struct {
	mu sync.Mutex
	// driven are inbound MessageUUIDs posted at least once; acked those
	// answered 2xx at least once.
	driven, acked map[string]bool
	// queued are outbound texts answered 202, by message id.
	queued map[int64]string
	// statuses counts the answers by status code; 0 is no answer.
	statuses map[int]int
}

func newLedger() *ledger {
	return &ledger{driven: map[string]bool{}, acked: map[string]bool{}, queued: map[int64]string{}, statuses: map[int]int{}}
}

func (l *ledger) webhook(uuid string, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.driven[uuid] = true
	l.statuses[status]++
	if status/100 == 2 {
		l.acked[uuid] = true
	}
}

func (l *ledger) sent(id int64, text string, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.statuses[status]++
	if status == http.StatusAccepted {
		l.queued[id] = text
	}
}

// unacked are the driven MessageUUIDs never acknowledged: Plivo would
// send them again.
func (l *ledger) unacked() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for u := range l.driven {
		if !l.acked[u] {
			out = append(out, u)
		}
	}
	return out
}

// contact is the n-th of a hundred valid numbers.
func contact(n int) string { return fmt.Sprintf("+1415555%04d", 100+n%100) }

// driveLoad posts signed webhooks from webhookers goroutines and API sends
// from one agent, as fast as answers come, until stop closes. prefix keeps
// the MessageUUIDs and texts of one run apart from another's.
func driveLoad(base string, a *agent, l *ledger, prefix string, webhookers int, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	target := base + "/api/sms/webhook"
	for w := range webhookers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				uuid := fmt.Sprintf("%s-in-%d-%d", prefix, w, i)
				status, _, _ := postWebhook(client, target, target, faultToken, uuid, contact(i), "load text "+uuid)
				l.webhook(uuid, status)
				if status == 0 {
					time.Sleep(100 * time.Millisecond) // down: Plivo would wait before its retry
				}
			}
		})
	}
	if a != nil {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				text := fmt.Sprintf("%s reply %d", prefix, i)
				status, id, _ := a.send(base, contact(i), text)
				l.sent(id, text, status)
				if status == 0 {
					time.Sleep(100 * time.Millisecond)
				}
			}
		})
	}
	return &wg
}

// redrive posts each unacknowledged MessageUUID again, as Plivo retries,
// until it is acknowledged.
func redrive(t *testing.T, base string, l *ledger, within time.Duration) {
	t.Helper()
	target := base + "/api/sms/webhook"
	deadline := time.Now().Add(within)
	client := &http.Client{Timeout: 10 * time.Second}
	work := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for uuid := range work {
				redriveOne(t, client, target, l, uuid, deadline)
			}
		})
	}
	for _, uuid := range l.unacked() {
		work <- uuid
	}
	close(work)
	wg.Wait()
}

// redriveOne posts uuid until it is acknowledged or deadline passes.
func redriveOne(t *testing.T, client *http.Client, target string, l *ledger, uuid string, deadline time.Time) {
	for {
		status, body, err := postWebhook(client, target, target, faultToken, uuid, contact(0), "load text "+uuid)
		l.webhook(uuid, status)
		if status/100 == 2 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("retry of %s: %d %q %v", uuid, status, body, err)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// storedOnce checks with the load tools' verifier (bench.VerifyStored)
// that every text the run drove is stored exactly once, and counts the
// inbound messages that have no message.received event.
func storedOnce(t *testing.T, dsn string, l *ledger) (v bench.Verification, missingEvents int) {
	t.Helper()
	ctx := context.Background()
	l.mu.Lock()
	driven := slices.Collect(maps.Keys(l.driven))
	l.mu.Unlock()
	checked, err := bench.VerifyStored(ctx, dsn, driven)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.DB().NewRaw(`SELECT count(*) FROM messages m WHERE m.direction = 'inbound'
		AND NOT EXISTS (SELECT 1 FROM events e WHERE e.message_id = m.id AND e.kind = 'message.received')`).Scan(ctx, &missingEvents)
	if err != nil {
		t.Fatal(err)
	}
	return *checked, missingEvents
}

// outboundState is one queued message as stored.
type outboundState struct {
	ID        int64  `bun:"id"`
	Status    string `bun:"status"`
	ErrorCode string `bun:"error_code"`
	Events    int    `bun:"events"`
}

// outboundStates reads the stored state of the given outbound messages,
// with how many events name each.
func outboundStates(t *testing.T, dsn string) map[int64]outboundState {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var rows []outboundState
	err = s.DB().NewRaw(`SELECT m.id, m.status, COALESCE(m.error_code, '') AS error_code,
		(SELECT count(*) FROM events e WHERE e.message_id = m.id) AS events
		FROM messages m WHERE m.direction = 'outbound'`).Scan(ctx, &rows)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]outboundState{}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out
}

// acceptedSends counts, per text, the sends the fake API accepted, and
// all it received.
func acceptedSends(api *plivotest.API) (accepted map[string]int, received int) {
	accepted = map[string]int{}
	for _, s := range api.Sends() {
		received++
		if s.Mode == plivotest.Accept {
			accepted[s.Text]++
		}
	}
	return accepted, received
}
