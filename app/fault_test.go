package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
)

// The fault tests break things on purpose: a Parley process killed or
// stopped under load, the database or Redis cut, the carrier failing.
// They take a minute or two, so they run when PARLEY_TEST_FAULTS=1 (CI
// sets it).
func requireFaults(t *testing.T) {
	t.Helper()
	if os.Getenv("PARLEY_TEST_FAULTS") != "1" {
		t.Skip("set PARLEY_TEST_FAULTS=1 to run the fault tests (CI does)")
	}
}

const faultToken = "fault-token-123"

// faultDatabase is a fresh PostgreSQL database when PARLEY_TEST_POSTGRES_URL
// is set, a SQLite file otherwise.
func faultDatabase(t *testing.T) string {
	t.Helper()
	if pg := os.Getenv("PARLEY_TEST_POSTGRES_URL"); pg != "" {
		return freshPostgresDatabase(t, pg)
	}
	return "sqlite://" + filepath.Join(t.TempDir(), "parley.db")
}

// buildParley compiles this package into a binary, as deployed.
func buildParley(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "parley")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// parleyProcess is Parley running as a real process, which the test can
// kill or stop as an operator would.
type parleyProcess struct {
	t    *testing.T
	bin  string
	env  map[string]string
	base string

	cmd    *exec.Cmd
	out    *syncBuffer
	exited chan struct{}
	err    error
}

// newParleyProcess prepares a Parley on a free port, in development mode
// (so the test can sign in) but with Plivo credentials and the fake API as
// its carrier, so it sends for real.
func newParleyProcess(t *testing.T, bin, dsn string, api *plivotest.API, extra map[string]string) *parleyProcess {
	t.Helper()
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	env := map[string]string{
		"DATABASE_URL": dsn, "PORT": fmt.Sprint(port), "PUBLIC_URL": base,
		"PLIVO_AUTH_ID": api.AuthID, "PLIVO_AUTH_TOKEN": api.AuthToken + "," + faultToken,
		"PLIVO_API_URL": api.URL + "/", "LOG_LEVEL": "warn",
		"SEND_LIMIT_PER_MINUTE": "100000", "SEND_LIMIT_PER_DAY": "10000000",
	}
	for k, v := range extra {
		env[k] = v
	}
	p := &parleyProcess{t: t, bin: bin, env: env, base: base}
	t.Cleanup(func() {
		if p.running() {
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("parley output:\n%s", p.out)
		}
	})
	return p
}

// start runs the process and waits until it is ready.
func (p *parleyProcess) start() {
	p.t.Helper()
	cmd := exec.Command(p.bin, "serve")
	cmd.Dir = p.t.TempDir() // no stray .env is read
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range p.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if p.out == nil {
		p.out = &syncBuffer{}
	}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start parley: %v", err)
	}
	p.cmd, p.exited = cmd, make(chan struct{})
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-p.exited:
			p.t.Fatalf("parley exited at start: %v\n%s", p.err, p.out)
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("parley not ready after 30 s: %v\n%s", err, p.out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *parleyProcess) running() bool {
	if p.cmd == nil {
		return false
	}
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// kill ends the process with SIGKILL: no cleanup of any kind.
func (p *parleyProcess) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		p.t.Fatalf("SIGKILL: %v", err)
	}
	<-p.exited
}

// terminate sends SIGTERM and returns how long the process took to exit,
// and its error (nil for exit status 0). It gives up after limit.
func (p *parleyProcess) terminate(limit time.Duration) (time.Duration, error) {
	p.t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-p.exited:
		return time.Since(start), p.err
	case <-time.After(limit):
		p.t.Fatalf("parley did not exit within %v of SIGTERM:\n%s", limit, p.out)
		return 0, nil
	}
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// agent is a signed-in development admin who sends through the API.
type agent struct {
	client *http.Client
	csrf   string
}

func signInAgent(t *testing.T, base string) agent {
	t.Helper()
	c := signInDev(t, base)
	resp, err := c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfMeta.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on %s/", base)
	}
	return agent{client: c, csrf: string(m[1])}
}

// send queues a text through POST /api/sms/send and returns the status
// and the message id of a 202.
func (a agent) send(base, to, text string) (int, int64, error) {
	body, _ := json.Marshal(map[string]string{"to": to, "text": text})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/sms/send", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", a.csrf)
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	var out struct {
		ID int64 `json:"id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.ID, nil
}

// ledger is what a load run drove and what Parley acknowledged.
type ledger struct {
	mu sync.Mutex
	// driven are inbound MessageUUIDs posted at least once; acked those
	// answered 2xx at least once.
	driven, acked map[string]bool
	// queued are outbound texts answered 202, by message id.
	queued map[int64]string
	// statuses counts the answers by status code; 0 is no answer.
	statuses map[int]int
}

func newLedger() *ledger {
	return &ledger{driven: map[string]bool{}, acked: map[string]bool{}, queued: map[int64]string{}, statuses: map[int]int{}}
}

func (l *ledger) webhook(uuid string, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.driven[uuid] = true
	l.statuses[status]++
	if status/100 == 2 {
		l.acked[uuid] = true
	}
}

func (l *ledger) sent(id int64, text string, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.statuses[status]++
	if status == http.StatusAccepted {
		l.queued[id] = text
	}
}

// unacked are the driven MessageUUIDs never acknowledged: Plivo would
// send them again.
func (l *ledger) unacked() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for u := range l.driven {
		if !l.acked[u] {
			out = append(out, u)
		}
	}
	return out
}

// contact is the n-th of a hundred valid numbers.
func contact(n int) string { return fmt.Sprintf("+1415555%04d", 100+n%100) }

// driveLoad posts signed webhooks from webhookers goroutines and API sends
// from one agent, as fast as answers come, until stop closes. prefix keeps
// the MessageUUIDs and texts of one run apart from another's.
func driveLoad(base string, a *agent, l *ledger, prefix string, webhookers int, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	target := base + "/api/sms/webhook"
	for w := range webhookers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				uuid := fmt.Sprintf("%s-in-%d-%d", prefix, w, i)
				status, _, _ := postWebhook(client, target, target, faultToken, uuid, contact(i), "load text "+uuid)
				l.webhook(uuid, status)
				if status == 0 {
					time.Sleep(100 * time.Millisecond) // down: Plivo would wait before its retry
				}
			}
		})
	}
	if a != nil {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				text := fmt.Sprintf("%s reply %d", prefix, i)
				status, id, _ := a.send(base, contact(i), text)
				l.sent(id, text, status)
				if status == 0 {
					time.Sleep(100 * time.Millisecond)
				}
			}
		})
	}
	return &wg
}

// redrive posts each unacknowledged MessageUUID again, as Plivo retries,
// until it is acknowledged.
func redrive(t *testing.T, base string, l *ledger, within time.Duration) {
	t.Helper()
	target := base + "/api/sms/webhook"
	deadline := time.Now().Add(within)
	client := &http.Client{Timeout: 10 * time.Second}
	work := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for uuid := range work {
				redriveOne(t, client, target, l, uuid, deadline)
			}
		})
	}
	for _, uuid := range l.unacked() {
		work <- uuid
	}
	close(work)
	wg.Wait()
}

// redriveOne posts uuid until it is acknowledged or deadline passes.
func redriveOne(t *testing.T, client *http.Client, target string, l *ledger, uuid string, deadline time.Time) {
	for {
		status, body, err := postWebhook(client, target, target, faultToken, uuid, contact(0), "load text "+uuid)
		l.webhook(uuid, status)
		if status/100 == 2 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("retry of %s: %d %q %v", uuid, status, body, err)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// storeCounts opens the database and counts, per inbound MessageUUID,
// the stored messages, and the inbound messages with no message.received
// event.
func storeCounts(t *testing.T, dsn string) (perUUID map[string]int, missingEvents int) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var rows []struct {
		UUID string `bun:"provider_uuid"`
		N    int    `bun:"n"`
	}
	if err := s.DB().NewRaw("SELECT provider_uuid, count(*) AS n FROM messages WHERE direction = 'inbound' GROUP BY provider_uuid").Scan(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	perUUID = map[string]int{}
	for _, r := range rows {
		perUUID[r.UUID] = r.N
	}
	err = s.DB().NewRaw(`SELECT count(*) FROM messages m WHERE m.direction = 'inbound'
		AND NOT EXISTS (SELECT 1 FROM events e WHERE e.message_id = m.id AND e.kind = 'message.received')`).Scan(ctx, &missingEvents)
	if err != nil {
		t.Fatal(err)
	}
	return perUUID, missingEvents
}

// outboundState is one queued message as stored.
type outboundState struct {
	ID        int64  `bun:"id"`
	Status    string `bun:"status"`
	ErrorCode string `bun:"error_code"`
	Events    int    `bun:"events"`
}

// outboundStates reads the stored state of the given outbound messages,
// with how many events name each.
func outboundStates(t *testing.T, dsn string) map[int64]outboundState {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var rows []outboundState
	err = s.DB().NewRaw(`SELECT m.id, m.status, COALESCE(m.error_code, '') AS error_code,
		(SELECT count(*) FROM events e WHERE e.message_id = m.id) AS events
		FROM messages m WHERE m.direction = 'outbound'`).Scan(ctx, &rows)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]outboundState{}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out
}

// acceptedSends counts, per text, the sends the fake API accepted, and
// all it received.
func acceptedSends(api *plivotest.API) (accepted map[string]int, received int) {
	accepted = map[string]int{}
	for _, s := range api.Sends() {
		received++
		if s.Mode == plivotest.Accept {
			accepted[s.Text]++
		}
	}
	return accepted, received
}
