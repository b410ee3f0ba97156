package bench

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// A second of delivery reports against a Parley: every report is
// acknowledged and in its message's timeline once, and a report that was
// never sent is reported missing, so the check can fail.
func TestBenchReportsAgainstParley(t *testing.T) {
	srv := startParley(t, 0)
	ctx := context.Background()
	res, err := attackReports(ctx, ingestOptions{
		base: srv.base, publicURL: srv.base, token: srv.token, rate: 100, workers: 4,
		duration: time.Second, channel: developmentNumber,
	}, srv.dsn, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Status["200"] != int(res.Requests) || len(res.acked) != int(res.Requests) {
		t.Fatalf("requests=%d status=%v acked=%d, want every report answered 200", res.Requests, res.Status, len(res.acked))
	}
	if v := res.Verify; v == nil || !v.OK() || v.Stored != len(res.acked) {
		t.Fatalf("verification=%+v, want all %d recorded once", v, len(res.acked))
	}
	ref, _, _ := strings.Cut(res.acked[0], "/")
	v, err := verifyReports(ctx, srv.dsn, append(res.acked, ref+"/99"))
	if err != nil {
		t.Fatal(err)
	}
	if v.OK() || v.Missing != 1 || v.Examples[0] != ref+"/99" {
		t.Fatalf("verification=%+v, want the unsent report missing", v)
	}
}
