package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/live"
	"github.com/parleyhq/parley/app/plivo/plivotest"
)

// benchToken signs the webhooks of the Parley that bench-live starts.
const benchToken = "bench-live-token"

// benchText marks a bench text with its sequence number and send time
// (Unix ns), which clients read back out of the HTML.
var (
	benchText = regexp.MustCompile(`bench-(\d+)-(\d+)`)
	benchMark = []byte("bench-")
)

// benchLive measures the live feed: N SSE clients signed in as the
// development admin, webhooks at a fixed rate, and for each text the time
// from sending its webhook to its arrival on each client. Unless --url is
// given it starts its own Parley as a child process (this binary, "serve"
// on a temporary SQLite file, with the per-user stream limit raised to
// --clients), so the server's memory is measured apart from the clients'.
func benchLive(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench-live", flag.ContinueOnError)
	fs.SetOutput(stdout)
	clients := fs.Int("clients", 100, "SSE clients to open")
	rate := fs.Int("rate", 100, "webhooks per second")
	duration := fs.Duration("duration", 10*time.Second, "how long to send webhooks")
	target := fs.String("url", "", "a running Parley in development mode (default: start one); its per-user stream limit (8) applies")
	pid := fs.Int("pid", 0, "with --url: the server's process id, to report its memory")
	serveOnly := fs.Bool("serve", false, "internal: run the server bench-live starts")
	maxStreams := fs.Int("max-streams", 0, "internal: per-user stream limit of the server")
	if err := fs.Parse(args); err != nil || *clients < 1 || *rate < 1 || *duration <= 0 {
		return errUsage
	}
	if *serveOnly {
		return benchServe(ctx, cfg, *maxStreams, stdout)
	}
	raiseFileLimit(uint64(*clients)*2+512, stdout)

	b := &bench{clients: *clients, rate: *rate, duration: *duration, base: strings.TrimRight(*target, "/"), pid: *pid}
	token := ""
	if len(cfg.PlivoAuthTokens) > 0 {
		token = cfg.PlivoAuthTokens[0]
	}
	if b.base == "" {
		stop, err := b.startServer(ctx, stdout)
		if err != nil {
			return err
		}
		defer stop()
		token = benchToken
	}
	b.token = token
	return b.run(ctx, stdout)
}

// benchServe is the child process: a Parley whose hub lets one user hold
// maxStreams streams.
func benchServe(ctx context.Context, cfg config.Config, maxStreams int, stdout io.Writer) error {
	log := newLogger(cfg, os.Stderr)
	m, err := newMain(ctx, cfg, log, live.HubOptions{MaxStreamsPerUser: maxStreams})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", cfg.Port))
	if err != nil {
		m.Close()
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- m.Serve(ln) }()
	fmt.Fprintln(stdout, "ready")
	select {
	case err := <-errc:
		m.Close()
		return err
	case <-ctx.Done():
	}
	return m.Shutdown(5 * time.Second)
}

// raiseFileLimit lifts the soft open-file limit towards want (each client
// holds a connection, and the child server one per client).
func raiseFileLimit(want uint64, stdout io.Writer) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur >= want {
		return
	}
	lim.Cur = min(want, lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fmt.Fprintf(stdout, "warning: cannot raise the open-file limit to %d: %v\n", want, err)
	}
}

type bench struct {
	clients  int
	rate     int
	duration time.Duration
	base     string
	pid      int
	token    string

	connected  atomic.Int64
	reconnects atomic.Int64
	// seen[c][seq] is how long after its webhook was sent client c first
	// saw text seq (ns); 0 while it has not.
	seen [][]atomic.Int64
}

// startServer runs this binary's bench server on a free port and a fresh
// SQLite file, and returns how to stop it.
func (b *bench) startServer(ctx context.Context, stdout io.Writer) (func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir, err := os.MkdirTemp("", "parley-bench-")
	if err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	b.base = fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command(exe, "bench-live", "--serve", "--max-streams", strconv.Itoa(b.clients+16))
	cmd.Env = append(os.Environ(),
		"PARLEY_ENV=development", "PORT="+strconv.Itoa(port), "PUBLIC_URL="+b.base,
		"DATABASE_URL=sqlite://"+filepath.Join(dir, "bench.db"), "REDIS_URL=", "LOG_LEVEL=warn",
		"PLIVO_AUTH_TOKEN="+benchToken, "PLIVO_AUTH_ID=")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		_ = os.RemoveAll(dir)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		stop()
		return nil, fmt.Errorf("bench server did not start: %q %v", line, err)
	}
	b.pid = cmd.Process.Pid
	fmt.Fprintf(stdout, "server: this binary, in-process Parley as child pid %d, SQLite %s, in-process bus\n", b.pid, filepath.Join(dir, "bench.db"))
	return stop, nil
}

func (b *bench) run(ctx context.Context, stdout io.Writer) error {
	jar, err := b.signIn(ctx)
	if err != nil {
		return err
	}
	total := b.rate * int(b.duration/time.Second)
	if total < 1 {
		total = 1
	}
	b.seen = make([][]atomic.Int64, b.clients)
	for i := range b.seen {
		b.seen[i] = make([]atomic.Int64, total)
	}
	streamCtx, closeStreams := context.WithCancel(ctx)
	defer closeStreams()
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	sse := &http.Client{Jar: jar, Transport: tr}
	start := time.Now()
	for i := range b.clients {
		go b.stream(streamCtx, sse, i)
	}
	for b.connected.Load() < int64(b.clients) {
		if time.Since(start) > time.Minute {
			return fmt.Errorf("only %d of %d clients connected within a minute", b.connected.Load(), b.clients)
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Fprintf(stdout, "%d clients connected in %v\n", b.clients, time.Since(start).Round(time.Millisecond))
	rssIdle := rss(b.pid)
	time.Sleep(500 * time.Millisecond)

	cpuBefore, sendStart := cpuTime(b.pid), time.Now()
	acked, hookLat := b.sendWebhooks(ctx, total)
	drainUntil := time.Now().Add(15 * time.Second)
	for time.Now().Before(drainUntil) && b.missing(acked) > 0 {
		time.Sleep(50 * time.Millisecond)
	}
	cpu, wall := cpuTime(b.pid)-cpuBefore, time.Since(sendStart)
	rssLoaded := rss(b.pid)
	b.report(stdout, total, acked, hookLat, rssIdle, rssLoaded)
	if b.pid > 0 {
		fmt.Fprintf(stdout, "server CPU: %v over %v (%.0f%% of one core)\n", cpu.Round(10*time.Millisecond), wall.Round(10*time.Millisecond), 100*cpu.Seconds()/wall.Seconds())
	}
	return nil
}

// signIn signs in as the development admin, as a browser does.
func (b *bench) signIn(ctx context.Context) (http.CookieJar, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := c.Get(b.base + "/login")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	_, rest, ok := strings.Cut(string(page), `<meta name="csrf-token" content="`)
	if !ok {
		return nil, errors.New("no CSRF token on /login")
	}
	tok, _, _ := strings.Cut(rest, `"`)
	resp, err = c.PostForm(b.base+"/auth/dev", url.Values{"_csrf": {tok}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		return nil, fmt.Errorf("development sign-in answered %d at %s (is Parley in development mode?)", resp.StatusCode, resp.Request.URL)
	}
	return jar, nil
}

// stream keeps client i connected, reconnecting with Last-Event-ID like a
// browser's EventSource when the server ends the stream.
func (b *bench) stream(ctx context.Context, c *http.Client, i int) {
	last := ""
	first := true
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/events", nil)
		req.Header.Set("Accept", "text/event-stream")
		if last != "" {
			req.Header.Set("Last-Event-ID", last)
		}
		resp, err := c.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			if resp != nil {
				resp.Body.Close()
			}
			time.Sleep(time.Second)
			continue
		}
		if first {
			b.connected.Add(1)
			first = false
		} else {
			b.reconnects.Add(1)
		}
		last = b.read(resp.Body, i, last)
		resp.Body.Close()
	}
}

// read records each bench text's first arrival and returns the last id.
func (b *bench) read(body io.Reader, i int, last string) string {
	r := bufio.NewReaderSize(body, 64<<10)
	for {
		line, err := r.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return last
		}
		switch {
		case len(line) > 4 && string(line[:4]) == "id: ":
			last = strings.TrimSpace(string(line[4:]))
		case len(line) > 6 && string(line[:6]) == "data: " && bytes.Contains(line, benchMark):
			m := benchText.FindSubmatch(line)
			if m == nil {
				continue
			}
			now := time.Now()
			seq, _ := strconv.Atoi(string(m[1]))
			sent, _ := strconv.ParseInt(string(m[2]), 10, 64)
			if seq < len(b.seen[i]) {
				b.seen[i][seq].CompareAndSwap(0, max(int64(now.Sub(time.Unix(0, sent))), 1))
			}
		}
	}
}

// sendWebhooks posts total texts at the rate, each carrying its send
// time, and returns which were acknowledged and how long each took.
func (b *bench) sendWebhooks(ctx context.Context, total int) ([]bool, []time.Duration) {
	acked := make([]bool, total)
	lat := make([]time.Duration, total)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	tick := time.NewTicker(time.Second / time.Duration(b.rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	for seq := range total {
		<-tick.C
		wg.Go(func() {
			sent := time.Now()
			form := url.Values{
				"From": {fmt.Sprintf("1415556%04d", seq%500)}, "To": {strings.TrimPrefix(defaultSimulatedNumber, "+")},
				"Text": {fmt.Sprintf("bench-%d-%d", seq, sent.UnixNano())}, "Type": {"sms"}, "MessageUUID": {newUUID()},
				"Units": {"1"}, "TotalRate": {"0"}, "TotalAmount": {"0"}, "MessageIntent": {""}, "PowerpackUUID": {""},
			}
			hook := b.base + "/api/sms/webhook"
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, hook, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if b.token != "" {
				params := map[string]string{}
				for k, v := range form {
					params[k] = v[0]
				}
				for k, v := range plivotest.SignHeaders(b.token, hook, http.MethodPost, params) {
					req.Header[k] = v
				}
			}
			resp, err := client.Do(req)
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			acked[seq] = resp.StatusCode == http.StatusOK
			lat[seq] = time.Since(sent)
		})
	}
	wg.Wait()
	return acked, lat
}

// missing counts (client, acknowledged text) pairs not seen yet.
func (b *bench) missing(acked []bool) int {
	n := 0
	for _, seen := range b.seen {
		for seq, ok := range acked {
			if ok && seen[seq].Load() == 0 {
				n++
			}
		}
	}
	return n
}

func (b *bench) report(w io.Writer, total int, acked []bool, hookLat []time.Duration, rssIdle, rssLoaded string) {
	ok := 0
	var hooks []time.Duration
	for seq, a := range acked {
		if a {
			ok++
			hooks = append(hooks, hookLat[seq])
		}
	}
	var firstClient, all []time.Duration
	for c, seen := range b.seen {
		for seq := range seen {
			d := time.Duration(seen[seq].Load())
			if d == 0 || !acked[seq] {
				continue
			}
			all = append(all, d)
			if c == 0 {
				firstClient = append(firstClient, d)
			}
		}
	}
	fmt.Fprintf(w, "webhooks: %d sent at %d/s over %v, %d acknowledged (200); webhook answer p50 %v p99 %v\n",
		total, b.rate, b.duration, ok, pct(hooks, 50), pct(hooks, 99))
	fmt.Fprintf(w, "clients: %d, reconnects during the run: %d\n", b.clients, b.reconnects.Load())
	fmt.Fprintf(w, "webhook-to-client latency, first client: p50 %v p99 %v max %v (%d texts)\n",
		pct(firstClient, 50), pct(firstClient, 99), pct(firstClient, 100), len(firstClient))
	fmt.Fprintf(w, "webhook-to-client latency, all clients:  p50 %v p99 %v max %v (%d deliveries)\n",
		pct(all, 50), pct(all, 99), pct(all, 100), len(all))
	fmt.Fprintf(w, "events lost: %d (acknowledged texts that some client never received)\n", b.missing(acked))
	fmt.Fprintf(w, "server memory (VmRSS of pid %d): %s with clients idle, %s after the run\n", b.pid, rssIdle, rssLoaded)
}

// pct is the p-th percentile of ds, rounded for reading.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := min(len(s)-1, (len(s)*p+99)/100-1)
	return s[max(i, 0)].Round(100 * time.Microsecond)
}

// cpuTime reads the user and system CPU time a process has used from
// /proc (in clock ticks of 10 ms, Linux's USER_HZ).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	_, rest, _ := strings.Cut(string(b), ") ") // the command may hold spaces
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// rss reads a process's resident memory from /proc.
func rss(pid int) string {
	if pid <= 0 {
		return "unknown (no --pid)"
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return "unknown"
}
