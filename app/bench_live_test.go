package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestBenchLiveCountsEveryDelivery(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "parley.db")
	const token = "live-bench-token"
	instances := 1
	redis := os.Getenv("PARLEY_TEST_REDIS_URL")
	if redis != "" {
		instances = 2 // on one bus: clients and webhooks alternate between them
	}
	var bases []string
	for range instances {
		bases = append(bases, startParley(t, map[string]string{"DATABASE_URL": dsn, "PLIVO_AUTH_TOKEN": token, "REDIS_URL": redis}))
	}
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
