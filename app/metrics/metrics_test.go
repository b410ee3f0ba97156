package metrics_test

import (
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/metrics"
)

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func TestWebhookOutcomes(t *testing.T) {
	tests := []struct {
		status int
		want   string
	}{
		{200, `parley_webhook_duration_seconds_count{outcome="ok",path="/hook"} 1`},
		{403, `parley_webhook_duration_seconds_count{outcome="rejected",path="/hook"} 1`},
		{503, `parley_webhook_duration_seconds_count{outcome="failed",path="/hook"} 1`},
	}
	for _, tt := range tests {
		m := metrics.New(metrics.Sources{})
		m.ObserveWebhook("/hook", tt.status, 3*time.Millisecond)
		if body := scrape(t, m); !strings.Contains(body, tt.want) {
			t.Errorf("status %d: metrics lack %q", tt.status, tt.want)
		}
	}
}

func TestSendsCountMessages(t *testing.T) {
	m := metrics.New(metrics.Sources{StreamsOpen: func() int { return 7 }})
	m.ObserveSend(true, time.Millisecond)
	m.ObserveSend(false, time.Millisecond)
	m.ObserveSend(false, time.Millisecond)
	body := scrape(t, m)
	for _, w := range []string{
		`parley_messages_total{direction="outbound",status="sent"} 1`,
		`parley_messages_total{direction="outbound",status="failed"} 2`,
		`parley_send_duration_seconds_count{outcome="failed"} 2`,
		`parley_sse_clients 7`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("metrics lack %q", w)
		}
	}
}

// TestNilMetricsRecordNothing calls every recording method on a nil
// *Metrics (metrics off), found by reflection so a method added later is
// held to the same contract: each must return without touching the nil
// receiver.
func TestNilMetricsRecordNothing(t *testing.T) {
	var m *metrics.Metrics
	v := reflect.ValueOf(m)
	called := 0
	for i := range v.NumMethod() {
		name := v.Type().Method(i).Name
		if name == "Handler" {
			continue // serving needs a registry; main mounts it only when metrics are on
		}
		method := v.Method(i)
		args := make([]reflect.Value, method.Type().NumIn())
		for j := range args {
			args[j] = reflect.Zero(method.Type().In(j))
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("(*Metrics)(nil).%s panicked: %v; it must be a no-op when metrics are off", name, r)
				}
			}()
			method.Call(args)
		}()
		called++
	}
	if called < 5 {
		t.Fatalf("called %d recording methods, want at least the 5 main uses", called)
	}
}

// Every recovered panic is counted by the unit it happened in.
func TestPanicsCountedByUnit(t *testing.T) {
	m := metrics.New(metrics.Sources{})
	m.CountPanic("request")
	m.CountPanic("request")
	m.CountPanic("outbox")
	body := scrape(t, m)
	for _, w := range []string{
		`parley_panics_total{unit="request"} 2`,
		`parley_panics_total{unit="outbox"} 1`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("metrics lack %q", w)
		}
	}
}
