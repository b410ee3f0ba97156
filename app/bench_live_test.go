package main

import (
	"context"
	"io"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestBenchLiveCountsEveryDelivery(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "parley.db")
	const token = "live-bench-token"
	// One instance on the in-process bus (a test on Redis's default channel
	// would hear every other Parley sharing that Redis server), named twice
	// so clients and webhooks take turns between "instances" as --url does.
	base := startParley(t, map[string]string{"DATABASE_URL": dsn, "PLIVO_AUTH_TOKEN": token})
	bases := []string{base, base}
	b := &liveBench{clients: 4, rate: 20, duration: time.Second, bases: bases, token: token}
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
