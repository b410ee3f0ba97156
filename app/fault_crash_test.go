package main

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/app/plivo/plivotest"
)

// TestCrashMidLoad kills Parley with SIGKILL while webhooks and API sends
// pour in, starts it again, lets "Plivo" retry what was never
// acknowledged, and checks the promise: every acknowledged MessageUUID is
// stored exactly once with its event, and every queued reply reaches the
// carrier exactly once. A reply the outbox was sending at the very moment
// of the kill reaches it at most once and is never resent blindly (see
// docs/decisions.md, "Sends that may or may not have happened").
func TestCrashMidLoad(t *testing.T) {
	requireFaults(t)
	api := plivotest.NewAPI(t)
	dsn := faultDatabase(t)
	p := newParleyProcess(t, buildParley(t), dsn, api, nil)
	p.start()
	api.DeliverTo(p.base, api.AuthToken)
	a := signInAgent(t, p.base)

	l := newLedger()
	stop := make(chan struct{})
	load := driveLoad(p.base, &a, l, "crash", 4, stop)
	time.Sleep(2 * time.Second)
	p.kill()
	close(stop)
	load.Wait()
	ackedAtKill := len(l.acked)
	queuedAtKill := len(l.queued)

	p.start()
	redrive(t, p.base, l, 30*time.Second)
	// After the restart, more replies, so the restarted outbox sends new
	// work as well as what was queued before the kill.
	a = signInAgent(t, p.base)
	for i := range 20 {
		text := "after restart " + itoa(i)
		status, id, err := a.send(p.base, contact(i), text)
		if err != nil || status != 202 {
			t.Fatalf("send after restart: %d %v", status, err)
		}
		l.sent(id, text, status)
	}
	states := awaitOutboxSettled(t, dsn, l, 60*time.Second)
	p.terminate(15 * time.Second)
	_ = api.WaitReports() // reports to the killed process failed; Plivo would retry them

	v, missingEvents := storedOnce(t, dsn, l)
	if !v.OK() {
		t.Errorf("texts driven and retried until acknowledged: %d not stored, %d stored twice (for example %v), want none", v.Missing, v.Duplicated, v.Examples)
	}
	if missingEvents > 0 {
		t.Errorf("%d inbound messages have no message.received event, want 0", missingEvents)
	}

	accepted, received := acceptedSends(api)
	// Double sends are counted over every text the carrier took, including
	// a reply whose 202 the kill or stop kept from the client.
	allDoubles := 0
	for text, n := range accepted {
		if n > 1 {
			allDoubles += n - 1
			t.Errorf("%q accepted by the carrier %d times, want once", text, n)
		}
	}
	sends, doubles, inFlight := 0, 0, 0
	for id, text := range l.queued {
		n := accepted[text]
		sends += n
		if n > 1 {
			doubles += n - 1
			t.Errorf("reply %d (%q) accepted by the carrier %d times, want once", id, text, n)
		}
		st := states[id]
		switch {
		case st.Status == "sending" || st.ErrorCode == "unconfirmed":
			inFlight++ // at most once, checked above
		case n != 1:
			t.Errorf("reply %d (%q) is %s (%s) and was accepted %d times, want exactly once", id, text, st.Status, st.ErrorCode, n)
		}
		if st.Events == 0 {
			t.Errorf("reply %d has no event", id)
		}
	}
	t.Logf("crash: webhooks driven %d, acknowledged %d (%d before the kill), stored once %d, stored twice %d, missing events %d",
		len(l.driven), len(l.acked), ackedAtKill, v.Stored, v.Duplicated, missingEvents)
	t.Logf("crash: replies queued %d (%d before the kill), carrier requests %d, sends accepted %d, double sends %d (over every text the carrier took: %d), in flight at the kill %d",
		len(l.queued), queuedAtKill, received, sends, doubles, allDoubles, inFlight)
	t.Logf("crash: answers by status %v", l.statuses)
	if ackedAtKill == 0 || queuedAtKill == 0 {
		t.Errorf("the kill came before any load was acknowledged (%d texts, %d replies): the test proved nothing", ackedAtKill, queuedAtKill)
	}
}

// awaitOutboxSettled waits until no queued reply is still waiting to be
// sent, and returns the stored states. Replies left in sending by a kill
// stay there until the lease runs out; they count as settled.
func awaitOutboxSettled(t *testing.T, dsn string, l *ledger, within time.Duration) map[int64]outboundState {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		states := outboundStates(t, dsn)
		waiting := 0
		l.mu.Lock()
		for id := range l.queued {
			if s := states[id].Status; s == "queued" || s == "" {
				waiting++
			}
		}
		l.mu.Unlock()
		if waiting == 0 {
			return states
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d replies still queued after %v", waiting, within)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
