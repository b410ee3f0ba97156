package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/testenv"
)

// The fault tests break things on purpose: a Parley process killed or
// stopped under load, the database or Redis cut, the carrier failing.
// They take a minute or two, so they run when PARLEY_TEST_FAULTS=1 (CI
// sets it).
func requireFaults(t *testing.T) {
	t.Helper()
	if !testenv.Enabled(testenv.Faults) {
		testenv.Skip(t, testenv.Faults)
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
		// The load is far above one number's carrier pace; these tests
		// measure the outbox's promises, not Plivo's throughput.
		"SEND_PACE": "off",
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
