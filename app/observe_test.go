package main

import (
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestMetricsAndProfilerOnTheirOwnListeners(t *testing.T) {
	metricsAddr, debugAddr := freeAddr(t), freeAddr(t)
	env := map[string]string{
		"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db"), "PLIVO_AUTH_TOKEN": "sim-token-123",
		"METRICS_ADDRESS": metricsAddr, "DEBUG_ADDRESS": debugAddr,
	}
	base := startParley(t, env)
	simulateText(t, env, "--text", "hello") // answered by the default greeting rule

	want := []string{
		`parley_webhook_duration_seconds_count{outcome="ok",path="/api/sms/webhook"} 1`,
		`parley_messages_total{direction="inbound",status="received"} 1`,
		`parley_messages_total{direction="outbound",status="queued"} 1`,
		`parley_bus_published_total{outcome="ok"}`,
		`parley_sse_clients 0`,
		`parley_outbox_depth 0`,
		`go_sql_max_open_connections{db_name="parley"} 1`,
	}
	var body string
	// The bus delivers to the counting subscription asynchronously.
	for deadline := time.Now().Add(5 * time.Second); ; {
		var code int
		code, body = get(t, "http://"+metricsAddr+"/metrics")
		if code != http.StatusOK {
			t.Fatalf("GET /metrics answered %d", code)
		}
		if !strings.Contains(body, "parley_bus_received_total 0") || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, w := range append(want, "parley_bus_received_total ") {
		if !strings.Contains(body, w) {
			t.Errorf("/metrics lacks %q", w)
		}
	}
	if strings.Contains(body, "parley_bus_received_total 0") {
		t.Errorf("no bus event counted as received")
	}
	if code, page := get(t, base+"/metrics"); code == http.StatusOK && strings.Contains(page, "parley_") {
		t.Errorf("the public port serves metrics")
	}
	if code, page := get(t, "http://"+debugAddr+"/debug/pprof/"); code != http.StatusOK || !strings.Contains(page, "goroutine") {
		t.Errorf("GET /debug/pprof/ answered %d %.80q", code, page)
	}
	if t.Failed() {
		t.Log(body)
	}
}
