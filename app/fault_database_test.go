package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/testenv"
)

// plivoTimeout is how long Plivo waits for a webhook's answer before it
// counts the try as failed; a client with this timeout is Plivo.
const plivoTimeout = 8 * time.Second

// TestDatabaseOutage cuts PostgreSQL (through a TCP proxy) under a stream
// of webhooks, then slows it far past the webhook timeout, then heals it.
// While the database is away every webhook answers 503, well before
// Plivo's 8 s, never 2xx; /readyz says the database is why; and once the
// database is back Parley takes texts again with no restart, and every
// text Plivo sent again is stored once.
func TestDatabaseOutage(t *testing.T) {
	requireFaults(t)
	pg := testenv.URL(t, testenv.Postgres) // the outage is cut between Parley and PostgreSQL
	direct := freshPostgresDatabase(t, pg)
	u, _ := url.Parse(direct)
	proxy := startFaultProxy(t, u.Host)
	u.Host = proxy.Addr()
	env := map[string]string{"DATABASE_URL": u.String(), "PLIVO_AUTH_TOKEN": faultToken, "LOG_LEVEL": "error"}
	base := startParley(t, env)
	plivo := &http.Client{Timeout: plivoTimeout}
	target := base + "/api/sms/webhook"
	l := newLedger()
	post := func(uuid string) (int, time.Duration) {
		start := time.Now()
		status, _, _ := postWebhook(plivo, target, target, faultToken, uuid, contact(1), "outage text "+uuid)
		l.webhook(uuid, status)
		return status, time.Since(start)
	}
	if status, _ := post("db-before"); status != http.StatusOK {
		t.Fatalf("webhook before the outage: %d, want 200", status)
	}

	phases := []struct {
		name   string
		break_ func()
		count  int
	}{
		{"cut", func() { proxy.Cut(true) }, 20},
		{"latency 3 s", func() { proxy.Cut(false); proxy.Latency(3 * time.Second) }, 4},
	}
	for _, ph := range phases {
		ph.break_()
		var slowest time.Duration
		for i := range ph.count {
			status, took := post(fmt.Sprintf("db-%s-%d", strings.Fields(ph.name)[0], i))
			slowest = max(slowest, took)
			if status != http.StatusServiceUnavailable {
				t.Errorf("%s: webhook %d answered %d after %v, want 503 (Plivo gives up at 8 s)", ph.name, i, status, took)
			}
			// Bounded by web.DefaultWebhookTimeout (0.9 s); twice that
			// means the bound does not hold, not a slow machine.
			if took > 2*time.Second {
				t.Errorf("%s: webhook %d took %v to answer, want about a second at most", ph.name, i, took)
			}
		}
		status, body := readyz(t, base)
		if status != http.StatusServiceUnavailable || !strings.HasPrefix(body.Checks["database"], "error") {
			t.Errorf("%s: /readyz %d %+v, want 503 naming the database", ph.name, status, body)
		}
		t.Logf("database %s: %d webhooks, each answered 503, the slowest in %v; /readyz %d %v",
			ph.name, ph.count, slowest.Round(time.Millisecond), status, body.Checks)
	}

	proxy.Latency(0)
	healed := time.Now()
	for {
		if status, _ := post(fmt.Sprintf("db-heal-%d", time.Now().UnixNano())); status == http.StatusOK {
			break
		}
		if time.Since(healed) > 30*time.Second {
			t.Fatal("Parley did not take texts again within 30 s of the database coming back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("database back: texts taken again after %v, no restart", time.Since(healed).Round(time.Millisecond))
	redrive(t, base, l, 30*time.Second)
	if status, body := readyz(t, base); status != http.StatusOK {
		t.Errorf("/readyz after the outage: %d %+v, want 200", status, body)
	}
	v, missing := storedOnce(t, direct, l)
	if v.Missing != 0 {
		t.Errorf("%d texts not stored after Plivo's retry (for example %v)", v.Missing, v.Examples)
	}
	if v.Duplicated != 0 || missing != 0 {
		t.Errorf("stored twice %d, missing events %d, want 0 and 0", v.Duplicated, missing)
	}
	t.Logf("database outage: webhooks driven %d, acknowledged %d, stored once %d, stored twice %d; answers %v",
		len(l.driven), len(l.acked), v.Stored, v.Duplicated, l.statuses)
}

type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func readyz(t *testing.T, base string) (int, readiness) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(base + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	defer resp.Body.Close()
	var r readiness
	_ = json.NewDecoder(resp.Body).Decode(&r)
	return resp.StatusCode, r
}
