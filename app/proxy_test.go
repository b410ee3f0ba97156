package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
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

	"github.com/andybalholm/brotli"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/plivo/simulator"
	"github.com/parleyhq/parley/app/testenv"
)

// The deployment of README's "Deploying": two instances on one PostgreSQL
// and one Redis behind deploy/nginx.conf, run by Debian's nginx. Only with
// PARLEY_TEST_NGINX=1 (CI sets it and installs nginx); then PostgreSQL,
// Redis and nginx must all be there.
func TestBehindNginx(t *testing.T) {
	if !testenv.Enabled(testenv.Nginx) {
		testenv.Skip(t, testenv.Nginx)
	}
	if os.Getenv("PARLEY_TEST_POSTGRES_URL") == "" || os.Getenv("PARLEY_TEST_REDIS_URL") == "" {
		t.Fatal("PARLEY_TEST_NGINX=1 needs PARLEY_TEST_POSTGRES_URL and PARLEY_TEST_REDIS_URL: the instances share PostgreSQL and Redis")
	}
	nginxBin, err := exec.LookPath("nginx")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/nginx"); serr != nil {
			t.Fatalf("PARLEY_TEST_NGINX=1 but there is no nginx (apt-get install nginx-light): %v", err)
		}
		nginxBin = "/usr/sbin/nginx"
	}
	dsn, rd := sharedBackends(t)
	rd = withClientName(t, rd, fmt.Sprintf("parley-proxy-test-%d", time.Now().UnixNano()))

	proxyPort, port1, port2 := freePort(t), freePort(t), freePort(t)
	proxyURL := fmt.Sprintf("http://127.0.0.1:%d", proxyPort)
	const token = "proxy-token-123"
	channel := testRedisChannel()
	env := func(port int) map[string]string {
		return map[string]string{
			"DATABASE_URL": dsn, "REDIS_URL": rd, "REDIS_CHANNEL": channel, "PLIVO_AUTH_TOKEN": token,
			"PUBLIC_URL": proxyURL, "PORT": fmt.Sprint(port), "TRUSTED_PROXIES": "127.0.0.1",
			"LOG_LEVEL": "error",
		}
	}
	instances := []*proxiedInstance{{t: t, env: env(port1)}, {t: t, env: env(port2)}}
	for _, in := range instances {
		in.start()
		t.Cleanup(in.stop)
	}
	nginxLog := startNginx(t, nginxBin, proxyPort, port1, port2)

	// (a) Development sign-in through the proxy: CSRF token, form, cookie
	// session, the inbox.
	client := signInDev(t, proxyURL)
	if resp, err := client.Get(proxyURL + "/"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / through nginx after sign-in: %v %v, want 200", resp, err)
	} else {
		resp.Body.Close()
	}

	// (a2) Compression: what Parley compressed passes through untouched
	// (one encoding, never two), and the live stream is never compressed.
	checkCompressionThroughProxy(t, client, proxyURL)

	// (b) A webhook signed for PUBLIC_URL (the proxy) is accepted through
	// the proxy, whatever Host nginx passes on; a wrong signature is not.
	webhookURL := proxyURL + "/api/sms/webhook"
	status, body, err := postWebhook(http.DefaultClient, webhookURL, webhookURL, token, "proxy-hello-1", "+14155550131", "hello")
	if err != nil || status != http.StatusOK || !strings.Contains(body, "<Message") {
		t.Fatalf("signed webhook through nginx: %d %q %v, want 200 with the greeting", status, body, err)
	}
	if status, _, err := postWebhook(http.DefaultClient, webhookURL, webhookURL, "not-the-token", "proxy-hello-2", "+14155550131", "hello"); err != nil || status != http.StatusForbidden {
		t.Fatalf("wrongly signed webhook through nginx: %d %v, want 403", status, err)
	}

	// (c) Live: two streams held through the proxy; the webhook goes
	// straight to an instance (still signed for PUBLIC_URL), and the stream
	// on the other instance gets the event through Redis.
	streams := []*liveStream{openLiveStream(t, client, proxyURL), openLiveStream(t, client, proxyURL)}
	deadline := time.Now().Add(liveWait)
	for instances[0].clients()+instances[1].clients() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("streams registered: %d and %d, want 2 in all", instances[0].clients(), instances[1].clients())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Post to an instance that does not hold every stream, so at least one
	// stream is on the other instance.
	target := instances[0]
	if instances[1].clients() == 0 {
		target = instances[1]
	}
	t.Logf("streams per instance: %d and %d; webhook to the instance on port %s",
		instances[0].clients(), instances[1].clients(), target.env["PORT"])
	direct := "http://127.0.0.1:" + target.env["PORT"] + "/api/sms/webhook"
	if status, body, err := postWebhook(http.DefaultClient, direct, webhookURL, token, "proxy-live-1", "+14155550132", "across the proxy"); err != nil || status != http.StatusOK {
		t.Fatalf("webhook straight to an instance: %d %q %v", status, body, err)
	}
	for _, s := range streams {
		s.await(t, "across the proxy", liveWait)
	}
	// Tabs that go away free their slots on the instances at once: nginx
	// passes the close on, and the instance notices it before any
	// heartbeat (15 s) would.
	for _, s := range streams {
		s.close()
	}
	for deadline := time.Now().Add(liveWait); instances[0].clients()+instances[1].clients() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("streams registered %v after the client closed them: %d and %d, want none",
				liveWait, instances[0].clients(), instances[1].clients())
		}
		time.Sleep(10 * time.Millisecond)
	}

	// (d) Rolling restart: webhooks through nginx every 20 ms while each
	// instance in turn shuts down gracefully and starts again. Every one
	// must be acknowledged, and stored exactly once.
	var (
		mu       sync.Mutex
		acked    []string
		failures []string
	)
	stop := make(chan struct{})
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		c := &http.Client{Timeout: 15 * time.Second}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			uuid := fmt.Sprintf("rolling-%05d", i)
			status, body, err := postWebhook(c, webhookURL, webhookURL, token, uuid, "+14155550133", "rolling restart "+uuid)
			mu.Lock()
			if err == nil && status >= 200 && status < 300 {
				acked = append(acked, uuid)
			} else {
				failures = append(failures, fmt.Sprintf("%s: %d %q %v", uuid, status, body, err))
			}
			mu.Unlock()
		}
	}()
	pause := func(d time.Duration) { time.Sleep(d) }
	pause(300 * time.Millisecond)
	for _, in := range instances {
		in.stop()
		pause(500 * time.Millisecond) // webhooks go on meanwhile, to the other instance
		in.start()
		in.waitHealthy()
		// Let nginx take the instance back (fail_timeout in nginx.conf)
		// before the next one goes down, as an operator's script would.
		pause(3500 * time.Millisecond)
	}
	close(stop)
	<-loopDone

	mu.Lock()
	defer mu.Unlock()
	if len(failures) > 0 {
		t.Errorf("%d of %d webhooks were not acknowledged during the rolling restart:\n%s",
			len(failures), len(failures)+len(acked), strings.Join(failures, "\n"))
	}
	if len(acked) < 100 {
		t.Errorf("only %d webhooks acknowledged during the rolling restart, want at least 100", len(acked))
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored := map[string]int{}
	rows, err := db.Query("SELECT provider_uuid, count(*) FROM messages WHERE provider_uuid LIKE 'rolling-%' GROUP BY provider_uuid")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var uuid string
		var n int
		if err := rows.Scan(&uuid, &n); err != nil {
			t.Fatal(err)
		}
		stored[uuid] = n
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for _, uuid := range acked {
		if stored[uuid] != 1 {
			t.Errorf("acknowledged webhook %s stored %d times, want exactly once", uuid, stored[uuid])
		}
	}
	upstreams := map[string]int{}
	retried := 0
	for line := range strings.SplitSeq(nginxLog.String(), "\n") {
		if !strings.Contains(line, "/api/sms/webhook") {
			continue
		}
		if _, ups, ok := strings.Cut(line, " upstream="); ok {
			ups, _, _ = strings.Cut(ups, " upstream_status=")
			for u := range strings.SplitSeq(ups, ",") {
				upstreams[strings.TrimSpace(u)]++
			}
			if strings.Contains(ups, ",") {
				retried++
			}
		}
	}
	t.Logf("rolling restart: %d webhooks acknowledged, %d stored, %d retried by nginx on the other instance; upstream use %v",
		len(acked), len(stored), retried, upstreams)
	for _, port := range []int{port1, port2} {
		if upstreams[fmt.Sprintf("127.0.0.1:%d", port)] == 0 {
			t.Errorf("nginx never sent a webhook to 127.0.0.1:%d; access log:\n%s", port, nginxLog.String())
		}
	}
}

// proxiedInstance is one Parley that can be stopped and started again on
// the same port.
type proxiedInstance struct {
	t    *testing.T
	env  map[string]string
	mu   sync.Mutex
	m    *Main
	done chan error
}

func (in *proxiedInstance) start() {
	in.t.Helper()
	addr := "127.0.0.1:" + in.env["PORT"]
	var ln net.Listener
	var err error
	for deadline := time.Now().Add(5 * time.Second); ; {
		if ln, err = net.Listen("tcp", addr); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		in.t.Fatalf("listen on %s: %v", addr, err)
	}
	cfg, err := config.Load(func(k string) string { return in.env[k] })
	if err != nil {
		ln.Close()
		in.t.Fatal(err)
	}
	m, err := NewMain(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		ln.Close()
		in.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ln) }()
	in.mu.Lock()
	in.m, in.done = m, done
	in.mu.Unlock()
}

// stop shuts the instance down as SIGTERM would; stopping a stopped one
// does nothing.
func (in *proxiedInstance) stop() {
	in.mu.Lock()
	m, done := in.m, in.done
	in.m = nil
	in.mu.Unlock()
	if m == nil {
		return
	}
	if err := m.Shutdown(5 * time.Second); err != nil {
		in.t.Errorf("shutdown: %v", err)
	}
	if err := <-done; err != nil {
		in.t.Errorf("serve: %v", err)
	}
}

func (in *proxiedInstance) clients() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.m == nil {
		return 0
	}
	return in.m.Hub.Clients()
}

// waitHealthy waits until the instance itself answers /readyz.
func (in *proxiedInstance) waitHealthy() {
	in.t.Helper()
	deadline := time.Now().Add(liveWait)
	for {
		resp, err := http.Get("http://127.0.0.1:" + in.env["PORT"] + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			in.t.Fatalf("instance on port %s not ready: %v", in.env["PORT"], err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// postWebhook posts an inbound text to target, signed as Plivo signs it
// for signURL (Parley's PUBLIC_URL + the path), and returns the answer.
func postWebhook(c *http.Client, target, signURL, token, uuid, from, text string) (int, string, error) {
	form := simulator.InboundForm(from, defaultSimulatedNumber, text, uuid)
	req, err := simulator.SignedWebhook(context.Background(), token, target, signURL, http.MethodPost, form)
	if err != nil {
		return 0, "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// syncBuffer is a bytes.Buffer safe to write from a child process's pipe
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// renderNginxConf is deploy/nginx.conf with the compose addresses replaced
// by loopback ones and everything nginx writes kept under prefix, so an
// unprivileged nginx can run it.
func renderNginxConf(t *testing.T, prefix string, proxyPort, port1, port2 int) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "deploy", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf := string(raw)
	for _, r := range []struct{ old, new string }{
		{"server parley1:3000 ", fmt.Sprintf("server 127.0.0.1:%d ", port1)},
		{"server parley2:3000 ", fmt.Sprintf("server 127.0.0.1:%d ", port2)},
		{"listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", proxyPort)},
		{"access_log /dev/stdout parley;", "access_log " + filepath.Join(prefix, "access.log") + " parley;"},
		{"http {\n", "http {\n" +
			"    client_body_temp_path tmp/body;\n    proxy_temp_path tmp/proxy;\n" +
			"    fastcgi_temp_path tmp/fastcgi;\n    uwsgi_temp_path tmp/uwsgi;\n    scgi_temp_path tmp/scgi;\n"},
	} {
		if n := strings.Count(conf, r.old); n != 1 {
			t.Fatalf("deploy/nginx.conf has %q %d times, want once: the test rewrites it", r.old, n)
		}
		conf = strings.Replace(conf, r.old, r.new, 1)
	}
	return conf
}

// startNginx runs deploy/nginx.conf in the foreground in front of the two
// ports and returns its access log, read live.
func startNginx(t *testing.T, bin string, proxyPort, port1, port2 int) *fileTail {
	t.Helper()
	// Not t.TempDir: its 0700 parents would keep nginx's workers (nobody,
	// when the test runs as root) out of the temp paths.
	prefix, err := os.MkdirTemp("", "parley-nginx-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(prefix) })
	if err := os.Chmod(prefix, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(prefix, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	confPath := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(renderNginxConf(t, prefix, proxyPort, port1, port2)), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd := exec.Command(bin, "-e", "stderr", "-c", confPath, "-p", prefix+"/",
		"-g", "daemon off; pid "+filepath.Join(prefix, "nginx.pid")+"; error_log stderr;")
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT) // graceful
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("nginx said:\n%s", stderr.String())
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", proxyPort)
	deadline := time.Now().Add(liveWait)
	for {
		select {
		case err := <-exited:
			t.Fatalf("nginx exited: %v\n%s", err, stderr.String())
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx on %s not answering /healthz: %v\n%s", base, err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return &fileTail{path: filepath.Join(prefix, "access.log")}
}

// fileTail reads a file nginx writes.
type fileTail struct{ path string }

func (f *fileTail) String() string {
	b, err := os.ReadFile(f.path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err.Error()
	}
	return string(b)
}

// checkCompressionThroughProxy asks for the inbox and its stylesheet in
// brotli and in gzip through nginx, and opens the live stream accepting
// both: the page and stylesheet come in exactly the encoding asked for
// and decode to the page, and the stream comes plain.
func checkCompressionThroughProxy(t *testing.T, client *http.Client, proxyURL string) {
	t.Helper()
	get := func(path, accept string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, proxyURL+path, nil)
		// Set by hand, so the client hands over the raw body.
		req.Header.Set("Accept-Encoding", accept)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s through nginx: %v", path, err)
		}
		defer resp.Body.Close()
		var r io.Reader = resp.Body
		switch resp.Header.Get("Content-Encoding") {
		case "br":
			r = brotli.NewReader(r)
		case "gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatalf("GET %s through nginx: gzip: %v", path, err)
			}
			r = zr
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("GET %s through nginx: decode %q: %v", path, resp.Header.Get("Content-Encoding"), err)
		}
		return resp, body
	}
	_, page := get("/", "identity")
	css := regexp.MustCompile(`/static/css/app\.[0-9a-f]+\.css`).Find(page)
	if css == nil {
		t.Fatalf("no stylesheet on the inbox through nginx")
	}
	for _, path := range []string{"/", string(css)} {
		for _, enc := range []string{"br", "gzip"} {
			resp, body := get(path, enc)
			if got := resp.Header.Values("Content-Encoding"); len(got) != 1 || got[0] != enc {
				t.Errorf("GET %s (%s) through nginx: Content-Encoding=%q, want %q once", path, enc, got, enc)
			}
			if path == "/" && !bytes.Contains(body, []byte("<html")) {
				t.Errorf("GET / (%s) through nginx decodes to no page", enc)
			}
		}
	}
	// A page another site asked for stays plain all the way (BREACH): nginx
	// must not compress what Parley left plain on purpose.
	if resp, body := get("/", "gzip, br", "Sec-Fetch-Site", "cross-site"); resp.Header.Get("Content-Encoding") != "" || !bytes.Contains(body, []byte("<html")) {
		t.Errorf("GET / from another site through nginx: Content-Encoding=%q, want a plain page", resp.Header.Get("Content-Encoding"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), liveWait)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, proxyURL+"/events", nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET /events through nginx: %v", err)
	}
	defer resp.Body.Close()
	if ce := resp.Header.Get("Content-Encoding"); ce != "" || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("GET /events through nginx: %s with Content-Encoding %q, want a plain text/event-stream", resp.Header.Get("Content-Type"), ce)
	}
}
