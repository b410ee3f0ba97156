package metrics_test

import (
	"io"
	"net/http/httptest"
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

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *metrics.Metrics
	m.ObserveWebhook("/hook", 200, time.Millisecond)
	m.CountMessage("inbound", "received")
	m.ObserveSend(true, time.Millisecond)
	m.CountPublish(nil)
	m.CountReceived(1)
	m.CountPanic("request")
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
