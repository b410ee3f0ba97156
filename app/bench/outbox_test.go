package bench

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"
)

func TestBenchOutboxSendsEveryReply(t *testing.T) {
	res, err := runOutboxBench(context.Background(), outboxOptions{
		dsn: filepath.Join(t.TempDir(), "parley.db"), rate: 50, duration: time.Second, workers: 2, conversations: 5, channel: developmentNumber,
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.Queued != 50 || res.Sent != res.Queued || res.Failed != 0 || res.SentTwice != 0 || res.SentPerS <= 0 || res.LatencyP50Ms <= 0 {
		t.Fatalf("result=%+v, want all 50 replies sent once, with a rate and a latency", res)
	}
}
