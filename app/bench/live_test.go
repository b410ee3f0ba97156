package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestBenchLiveCountsEveryDelivery(t *testing.T) {
	// One instance on the in-process bus (a test on Redis's default channel
	// would hear every other Parley sharing that Redis server), named twice
	// so clients and webhooks take turns between "instances" as --url does.
	srv := startParley(t, 0)
	bases := []string{srv.base, srv.base}
	b := &liveBench{clients: 4, rate: 20, duration: time.Second, bases: bases, token: srv.token, channel: developmentNumber}
	res, err := b.run(context.Background(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.Acked != 20 || res.EventsLost != 0 || res.Deliveries != 4*20 || res.AllP99Ms <= 0 {
		t.Fatalf("result=%+v, want 20 texts acknowledged and each seen by all 4 clients", res)
	}
	// A client that saw nothing counts every acknowledged text as lost.
	b.seen = append(b.seen, make([]atomic.Int64, 20))
	if lost := b.missing([]bool{true, true, false}); lost != 2 {
		t.Errorf("missing=%d with a client that saw nothing, want 2", lost)
	}
}

// Without --url the bench starts its own Parley with the per-user stream
// limit (LIVE_MAX_STREAMS_PER_USER, 8 by default) raised: twelve clients
// signed in as one user all connect and see every text.
func TestBenchLiveRaisesTheStreamLimit(t *testing.T) {
	useParleyBinary(t)
	var out, errOut bytes.Buffer
	args := []string{"live", "--clients", "12", "--rate", "10", "--duration", "1s", "--json"}
	if err := Run(context.Background(), Options{Channel: developmentNumber}, args, &out, &errOut); err != nil {
		t.Fatalf("bench live: %v\n%s", err, errOut.String())
	}
	var res liveResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if res.Clients != 12 || res.Acked != 10 || res.Deliveries != 12*10 || res.EventsLost != 0 || res.ServerPID == 0 {
		t.Fatalf("result=%+v, want 10 texts each seen by all 12 clients of a child server", res)
	}
}

// --ceiling runs the same clients against a bare fan-out child pushing
// as many bytes per text as Parley did, every text reaching every client
// there too, and Parley's webhooks again with one client; the figures
// come out as multiples.
func TestBenchLiveCeiling(t *testing.T) {
	useParleyBinary(t)
	var out, errOut bytes.Buffer
	args := []string{"live", "--clients", "6", "--rate", "10", "--duration", "1s", "--ceiling", "--json"}
	if err := Run(context.Background(), Options{Channel: developmentNumber}, args, &out, &errOut); err != nil {
		t.Fatalf("bench live --ceiling: %v\n%s", err, errOut.String())
	}
	var res liveResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	c := res.Ceiling
	if c == nil {
		t.Fatalf("no ceiling in %s", out.String())
	}
	if c.BytesPerText < 500 || c.BareP99Ms <= 0 || c.BareEventsLost != 0 || c.Ratio <= 0 || c.AloneWebhookP99 <= 0 {
		t.Errorf("ceiling=%+v, want Parley's bytes per text, a bare fan-out that lost nothing, and ratios", *c)
	}
	if want := res.AllP99Ms / c.BareP99Ms; c.Ratio != want {
		t.Errorf("ratio=%v, want Parley's p99 %v over the bare p99 %v", c.Ratio, res.AllP99Ms, c.BareP99Ms)
	}
}

// The bare fan-out writes each text to every stream as one event of the
// size asked for.
func TestBareFanoutFrames(t *testing.T) {
	f := &bareFanout{frame: 300}
	for _, text := range []string{"bench-1-2", strings.Repeat("long ", 100)} {
		frame := f.frameFor(text)
		if !strings.HasSuffix(string(frame), "\n\n") || !strings.Contains(string(frame), "data: "+text+"\n") {
			t.Errorf("frame %q is not one SSE event holding the text", frame)
		}
		if len(text) < 250 && len(frame) != 300 {
			t.Errorf("frame of %q is %d bytes, want 300", text, len(frame))
		}
	}
}
