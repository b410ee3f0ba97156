package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/metrics"
)

// A background loop (the event trimmer, the snooze waker) that panics is
// logged with its stack, counted, and started again; it ends when its
// context does.
func TestBackgroundLoopRestartsAfterAPanic(t *testing.T) {
	var logs bytes.Buffer
	m := &Main{Log: slog.New(slog.NewTextHandler(&logs, nil)), Metrics: metrics.New(metrics.Sources{})}
	ctx, cancel := context.WithCancel(context.Background())
	runs := 0
	m.keepRunning(ctx, "wake_snoozes", func(ctx context.Context) {
		runs++
		if runs == 1 {
			var due map[string]*int
			_ = *due["x"]
		}
		cancel()
		<-ctx.Done()
	})
	if runs != 2 {
		t.Fatalf("runs=%d, want 2 (one panic, one restart)", runs)
	}
	if !strings.Contains(logs.String(), "nil pointer dereference") || !strings.Contains(logs.String(), "unit=wake_snoozes") {
		t.Errorf("log=%q, want the panic with its unit", logs.String())
	}
	rec := httptest.NewRecorder()
	m.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if want := `parley_panics_total{unit="wake_snoozes"} 1`; !strings.Contains(string(body), want) {
		t.Errorf("metrics lack %q", want)
	}
}
