package main

import (
	"net"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/plivo/plivotest"
)

// shutdownLimit is the promise: SIGTERM to exit, whatever clients do.
const shutdownLimit = 10 * time.Second

// TestGracefulShutdownUnderLoad sends SIGTERM while webhooks and API sends
// pour in, with a live stream open, an idle keep-alive connection and a
// client trickling a request's headers. In-flight webhooks finish (no 5xx
// to anything), the live stream ends, the outbox finishes its current send
// (nothing is left in sending), and the process exits, status 0, inside
// 10 s. After a restart every queued reply goes out exactly once.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	requireFaults(t)
	api := plivotest.NewAPI(t)
	dsn := faultDatabase(t)
	p := newParleyProcess(t, buildParley(t), dsn, api, nil)
	p.start()
	api.DeliverTo(p.base, api.AuthToken)
	a := signInAgent(t, p.base)
	stream := openLiveStream(t, a.client, p.base)

	addr := p.base[len("http://"):]
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	if _, err := idle.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	if _, err := slow.Write([]byte("POST /api/sms/webhook HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}

	l := newLedger()
	stop := make(chan struct{})
	load := driveLoad(p.base, &a, l, "term", 4, stop)
	time.Sleep(1500 * time.Millisecond)
	sigterm := time.Now()
	took, exitErr := p.terminate(shutdownLimit + time.Second)
	close(stop)
	load.Wait()
	if exitErr != nil {
		t.Errorf("exit after SIGTERM: %v, want status 0; output:\n%s", exitErr, p.out)
	}
	select {
	case <-stream.ended:
	case <-time.After(time.Second):
		t.Errorf("the live stream was still open after the process exited (%d lines read)", stream.received())
	}
	fivexx := 0
	for status, n := range l.statuses {
		if status >= 500 {
			fivexx += n
		}
	}
	if fivexx > 0 {
		t.Errorf("%d answers were 5xx during the shutdown (%v), want none", fivexx, l.statuses)
	}
	left := 0
	for id := range l.queued {
		if outboundStates(t, dsn)[id].Status == "sending" {
			left++
		}
	}
	if left > 0 {
		t.Errorf("%d replies left in sending by a graceful stop, want 0: the worker finishes its send", left)
	}
	ackedAtStop, queuedAtStop := len(l.acked), len(l.queued)

	p.start()
	redrive(t, p.base, l, 30*time.Second)
	states := awaitOutboxSettled(t, dsn, l, 60*time.Second)
	p.terminate(shutdownLimit + time.Second)
	_ = api.WaitReports()

	v, missingEvents := storedOnce(t, dsn, l)
	if v.Missing != 0 {
		t.Errorf("%d texts not stored (for example %v)", v.Missing, v.Examples)
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
	sends, doubles := 0, 0
	for id, text := range l.queued {
		n := accepted[text]
		sends += n
		if n != 1 {
			t.Errorf("reply %d (%q) is %s and was accepted %d times, want exactly once", id, text, states[id].Status, n)
		}
		if n > 1 {
			doubles += n - 1
		}
	}
	if v.Duplicated > 0 || missingEvents > 0 {
		t.Errorf("stored twice %d, inbound messages without their event %d, want 0 and 0", v.Duplicated, missingEvents)
	}
	t.Logf("SIGTERM: exited in %v with status 0; answers by status %v", took.Round(time.Millisecond), l.statuses)
	if end := stream.endedAt(); !end.IsZero() {
		// The hub ends live streams as the stop begins, not when the
		// process goes: browsers reconnect elsewhere at once.
		t.Logf("SIGTERM: the live stream (%d lines) ended %v after it", stream.received(), end.Sub(sigterm).Round(time.Millisecond))
	}
	t.Logf("SIGTERM: webhooks driven %d, acknowledged %d (%d before the stop), stored once %d, stored twice %d",
		len(l.driven), len(l.acked), ackedAtStop, v.Stored, v.Duplicated)
	t.Logf("SIGTERM: replies queued %d (%d before the stop), carrier requests %d, sends accepted %d, double sends %d (over every text the carrier took: %d)",
		len(l.queued), queuedAtStop, received, sends, doubles, allDoubles)
	if ackedAtStop == 0 || queuedAtStop == 0 {
		t.Error("the stop came before any load was acknowledged: the test proved nothing")
	}
}
