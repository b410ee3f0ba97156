package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

func TestVerifyCounts(t *testing.T) {
	tests := []struct {
		name    string
		acked   []string
		stored  map[string]int
		want    Verification
		wantsOK bool
	}{
		{"all stored once", []string{"a", "b"}, map[string]int{"a": 1, "b": 1}, Verification{Acked: 2, Stored: 2}, true},
		{"one missing", []string{"a", "b"}, map[string]int{"a": 1}, Verification{Acked: 2, Stored: 1, Missing: 1, Examples: []string{"b"}}, false},
		{"one stored twice", []string{"a", "b"}, map[string]int{"a": 2, "b": 1}, Verification{Acked: 2, Stored: 1, Duplicated: 1, Examples: []string{"a"}}, false},
		{"one text answered twice is stored once", []string{"a", "a"}, map[string]int{"a": 1}, Verification{Acked: 2, Stored: 1}, true},
		{"stored but never acknowledged is no fault", []string{"a"}, map[string]int{"a": 1, "z": 1}, Verification{Acked: 1, Stored: 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := VerifyCounts(tt.acked, tt.stored)
			if got.Acked != tt.want.Acked || got.Stored != tt.want.Stored || got.Missing != tt.want.Missing ||
				got.Duplicated != tt.want.Duplicated || len(got.Examples) != len(tt.want.Examples) {
				t.Fatalf("VerifyCounts=%+v, want %+v", got, tt.want)
			}
			for i := range got.Examples {
				if got.Examples[i] != tt.want.Examples[i] {
					t.Errorf("examples=%v, want %v", got.Examples, tt.want.Examples)
				}
			}
			if got.OK() != tt.wantsOK {
				t.Errorf("OK()=%v, want %v", got.OK(), tt.wantsOK)
			}
		})
	}
}

// A second of bench ingest against a Parley: every text is acknowledged
// and stored once, and a MessageUUID that was never sent is reported
// missing, so the check can fail.
func TestBenchIngestAgainstParley(t *testing.T) {
	srv := startParley(t, 0)
	ctx := context.Background()
	res, err := attackIngest(ctx, ingestOptions{
		base: srv.base, publicURL: srv.base, token: srv.token, rate: 50, workers: 4,
		duration: time.Second, contacts: 10, keywords: 20, channel: developmentNumber,
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Status["200"] != int(res.Requests) || len(res.acked) != int(res.Requests) {
		t.Fatalf("requests=%d status=%v acked=%d, want every request answered 200", res.Requests, res.Status, len(res.acked))
	}
	v, err := VerifyStored(ctx, srv.dsn, res.acked)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || v.Stored != len(res.acked) {
		t.Fatalf("verification=%+v, want all %d stored once", v, len(res.acked))
	}
	v, err = VerifyStored(ctx, srv.dsn, append(res.acked, "never-sent"))
	if err != nil {
		t.Fatal(err)
	}
	if v.OK() || v.Missing != 1 || v.Examples[0] != "never-sent" {
		t.Fatalf("verification=%+v, want the unsent MessageUUID missing", v)
	}
}

// A wrong token: Parley refuses every text, and the report counts them by
// status rather than as acknowledged.
func TestBenchIngestCountsRefusals(t *testing.T) {
	srv := startParley(t, 0)
	res, err := attackIngest(context.Background(), ingestOptions{
		base: srv.base, publicURL: srv.base, token: "a-wrong-token", rate: 20, workers: 2,
		duration: 300 * time.Millisecond, contacts: 10, channel: developmentNumber,
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.acked) != 0 || res.Status["403"] == 0 || res.Status["403"] != int(res.Requests) {
		t.Fatalf("acked=%d status=%v, want every request refused with 403", len(res.acked), res.Status)
	}
}

// ingestJSON is the part of bench ingest's JSON the tests read.
type ingestJSON struct {
	Database string `json:"database"`
	Ingest   struct {
		Requests int `json:"requests"`
		Verify   struct {
			Acked   int `json:"acknowledged"`
			Stored  int `json:"stored_once"`
			Missing int `json:"missing"`
		} `json:"verification"`
	} `json:"ingest"`
}

// runIngestJSON runs bench ingest as a script does and reads its JSON.
func runIngestJSON(t *testing.T, o Options, args ...string) ingestJSON {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{"ingest", "--rate", "40", "--duration", "500ms", "--workers", "2", "--json"}, args...)
	if err := Run(context.Background(), o, args, &out, &errOut); err != nil {
		t.Fatalf("bench ingest: %v\n%s", err, errOut.String())
	}
	var report ingestJSON
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	v := report.Ingest.Verify
	if report.Ingest.Requests == 0 || v.Acked != report.Ingest.Requests || v.Stored != v.Acked || v.Missing != 0 {
		t.Fatalf("report=%+v, want every request acknowledged and stored once", report.Ingest)
	}
	return report
}

// The command as a script runs it against a running Parley: --url, the
// token and database taken from the configuration, JSON out.
func TestBenchIngestCommandPrintsJSON(t *testing.T) {
	srv := startParley(t, 0)
	report := runIngestJSON(t, Options{AuthToken: srv.token, Channel: developmentNumber, DatabaseURL: srv.dsn}, "--url", srv.base)
	if report.Database != srv.dsn {
		t.Errorf("database=%q, want the configured %q", report.Database, srv.dsn)
	}
}

// Without --url the bench starts a Parley of its own (the parley binary's
// serve), waits for its /healthz, loads it and verifies in its database.
func TestBenchIngestStartsItsOwnParley(t *testing.T) {
	useParleyBinary(t)
	report := runIngestJSON(t, Options{Channel: developmentNumber})
	if !strings.HasPrefix(report.Database, "sqlite://") || !strings.HasSuffix(report.Database, "bench.db") {
		t.Errorf("database=%q, want the child's temporary SQLite file", report.Database)
	}
}
