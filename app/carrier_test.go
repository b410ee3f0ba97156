package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
)

func newDevMain(t *testing.T) *Main {
	t.Helper()
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db"), "PUBLIC_URL": "http://127.0.0.1:3999", "PORT": "3999"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMain(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// The refusals counted in memory reach the database when the flusher
// stops, and nothing is written while there are none.
func TestRefusalsAreFlushedAsTheServerStops(t *testing.T) {
	m := newDevMain(t)
	m.refusals.Add("wrong")
	m.refusals.Add("wrong")
	m.refusals.Add("replayed")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m.flushRefusals(ctx)
	got, err := m.Store.WebhookRefusals(context.Background(), time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got["wrong"] != 2 || got["replayed"] != 1 {
		t.Errorf("stored refusals=%v, want wrong 2, replayed 1", got)
	}
	if left := m.refusals.Drain(); len(left) != 0 {
		t.Errorf("left in memory=%v, want none", left)
	}
}

// Development's simulated account has the default number to connect and
// one on another application, so Settings → Plivo works on a fresh clone.
func TestDevelopmentSimulatesAPlivoAccount(t *testing.T) {
	m := newDevMain(t)
	if m.Carrier == nil {
		t.Fatal("no simulated carrier in development")
	}
	nums := m.Carrier.Numbers()
	if len(nums) != 2 || nums[0].Number != "14155550199" || nums[1].AppID == "" {
		t.Errorf("simulated numbers=%+v, want the default one and one on another application", nums)
	}
	if got := inbox.RouteOf(inbox.CarrierNumber{AppID: nums[1].AppID}, map[string]inbox.CarrierApp{nums[1].AppID: {MessageURL: m.Carrier.Applications()[0].MessageURL}}, "http://127.0.0.1:3999/api/sms/webhook"); got != inbox.RouteElsewhere {
		t.Errorf("route of the second=%s, want elsewhere", got)
	}
}
