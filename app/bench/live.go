package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/parleyhq/parley/app/plivo/simulator"
)

// benchText marks a bench text with its sequence number and send time
// (Unix ns), which clients read back out of the HTML.
var (
	benchText = regexp.MustCompile(`bench-(\d+)-(\d+)`)
	benchMark = []byte("bench-")
)

// benchLive measures the live feed: N SSE clients signed in as the
// development admin, webhooks at a fixed rate, and for each text the time
// from sending its webhook to its arrival on each client. Each client must
// see every acknowledged text: a miss is an event lost. Unless --url is
// given it starts its own Parley as a child process (this binary's serve
// on a temporary SQLite file, with LIVE_MAX_STREAMS_PER_USER raised above
// --clients), so the server's memory is measured apart from the clients'. --url takes several instances, comma-separated (they must share
// a Redis bus): clients and webhooks are spread over them in turn.
func benchLive(ctx context.Context, opts Options, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench live", flag.ContinueOnError)
	fs.SetOutput(stdout)
	clients := fs.Int("clients", 1000, "SSE clients to open")
	rate := fs.Int("rate", 100, "webhooks per second")
	duration := fs.Duration("duration", 10*time.Second, "how long to send webhooks")
	target := fs.String("url", "", "running Parley instances in development mode, comma-separated (default: start one); their per-user stream limit (8) applies")
	pid := fs.Int("pid", 0, "with --url: the first server's process id, to report its memory")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	withCeiling := fs.Bool("ceiling", false, "then run the same load against a bare SSE fan-out in this process, pushing as many bytes per text, and Parley's webhooks with one client, and print Parley's figures as multiples of them")
	if err := fs.Parse(args); err != nil || *clients < 1 || *rate < 1 || *duration <= 0 {
		return errUsage
	}
	raiseFileLimit(uint64(*clients)*2+512, stdout)

	b := &liveBench{clients: *clients, rate: *rate, duration: *duration, pid: *pid}
	for u := range strings.SplitSeq(*target, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			b.bases = append(b.bases, u)
		}
	}
	b.token, b.channel = opts.AuthToken, opts.Channel
	progress := stdout
	if *asJSON {
		progress = stderr
	}
	if len(b.bases) == 0 {
		srv, err := startServer(ctx, "", *clients+16, progress)
		if err != nil {
			return err
		}
		defer srv.stop()
		b.bases, b.token, b.pid = []string{srv.base}, srv.token, srv.pid
	}
	res, err := b.run(ctx, progress)
	if err != nil {
		return err
	}
	if *withCeiling {
		c, err := b.runCeiling(ctx, res, progress)
		if err != nil {
			return err
		}
		res.Ceiling = &c
	}
	if *asJSON {
		if err := writeJSON(stdout, res); err != nil {
			return err
		}
	} else {
		res.print(stdout)
	}
	if res.EventsLost > 0 {
		return fmt.Errorf("%d events lost", res.EventsLost)
	}
	return nil
}

type liveBench struct {
	clients  int
	rate     int
	duration time.Duration
	bases    []string
	pid      int
	token    string
	channel  string // our number, the one texts go to

	connected  atomic.Int64
	reconnects atomic.Int64
	bytes      atomic.Int64 // read by all clients
	// seen[c][seq] is how long after its webhook was sent client c first
	// saw text seq (ns); 0 while it has not.
	seen [][]atomic.Int64
}

// liveResult is what bench live measured.
type liveResult struct {
	Instances      []string `json:"instances"`
	Clients        int      `json:"clients"`
	Rate           int      `json:"rate_per_s"`
	Duration       string   `json:"duration"`
	Sent           int      `json:"webhooks_sent"`
	Acked          int      `json:"webhooks_acknowledged"`
	WebhookP50Ms   float64  `json:"webhook_answer_p50_ms"`
	WebhookP99Ms   float64  `json:"webhook_answer_p99_ms"`
	FirstP50Ms     float64  `json:"first_client_p50_ms"`
	FirstP99Ms     float64  `json:"first_client_p99_ms"`
	AllP50Ms       float64  `json:"all_clients_p50_ms"`
	AllP99Ms       float64  `json:"all_clients_p99_ms"`
	AllMaxMs       float64  `json:"all_clients_max_ms"`
	Deliveries     int      `json:"deliveries"`
	EventsLost     int      `json:"events_lost"`
	Reconnects     int64    `json:"reconnects"`
	ServerPID      int      `json:"server_pid,omitempty"`
	RSSIdle        string   `json:"server_rss_idle,omitempty"`
	RSSLoaded      string   `json:"server_rss_loaded,omitempty"`
	ServerCPUShare float64  `json:"server_cpu_share_of_one_core,omitempty"`
	// Ceiling is what --ceiling measured after the run.
	Ceiling *liveCeiling `json:"ceiling,omitempty"`
}

func (b *liveBench) run(ctx context.Context, stdout io.Writer) (liveResult, error) {
	jars := make([]http.CookieJar, len(b.bases))
	for i, base := range b.bases {
		jar, err := signIn(ctx, base)
		if err != nil {
			return liveResult{}, err
		}
		jars[i] = jar
	}
	total := max(b.rate*int(b.duration/time.Second), 1)
	b.seen = make([][]atomic.Int64, b.clients)
	for i := range b.seen {
		b.seen[i] = make([]atomic.Int64, total)
	}
	streamCtx, closeStreams := context.WithCancel(ctx)
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	var streams sync.WaitGroup
	// Leave no connection open behind: a server shutting down waits for
	// its streams' connections to close.
	defer func() {
		closeStreams()
		streams.Wait()
		tr.CloseIdleConnections()
	}()
	start := time.Now()
	for i := range b.clients {
		n := i % len(b.bases)
		streams.Go(func() { b.stream(streamCtx, &http.Client{Jar: jars[n], Transport: tr}, b.bases[n], i) })
	}
	for b.connected.Load() < int64(b.clients) {
		if time.Since(start) > time.Minute {
			return liveResult{}, fmt.Errorf("only %d of %d clients connected within a minute", b.connected.Load(), b.clients)
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Fprintf(stdout, "%d clients connected in %v\n", b.clients, time.Since(start).Round(time.Millisecond))
	rssIdle := rss(b.pid)
	time.Sleep(500 * time.Millisecond)

	cpuBefore, sendStart := cpuTime(b.pid), time.Now()
	acked, hookLat := b.sendWebhooks(ctx, total, stdout)
	drainUntil := time.Now().Add(15 * time.Second)
	for time.Now().Before(drainUntil) && b.missing(acked) > 0 {
		time.Sleep(50 * time.Millisecond)
	}
	cpu, wall := cpuTime(b.pid)-cpuBefore, time.Since(sendStart)
	res := b.result(total, acked, hookLat)
	res.RSSIdle, res.RSSLoaded = rssIdle, rss(b.pid)
	if b.pid > 0 {
		res.ServerPID = b.pid
		res.ServerCPUShare = cpu.Seconds() / wall.Seconds()
	}
	return res, nil
}

// signIn signs in to base as the development admin, as a browser does.
func signIn(ctx context.Context, base string) (http.CookieJar, error) {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: tr}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	resp, err := c.Do(req)
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
	resp, err = c.PostForm(base+"/auth/dev", url.Values{"_csrf": {tok}})
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
func (b *liveBench) stream(ctx context.Context, c *http.Client, base string, i int) {
	last := ""
	first := true
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/events", nil)
		req.Header.Set("Accept", "text/event-stream")
		if last != "" {
			req.Header.Set("Last-Event-ID", last)
		}
		resp, err := c.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			if resp != nil {
				resp.Body.Close()
			}
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
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
func (b *liveBench) read(body io.Reader, i int, last string) string {
	r := bufio.NewReaderSize(body, 64<<10)
	for {
		line, err := r.ReadSlice('\n')
		b.bytes.Add(int64(len(line)))
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
func (b *liveBench) sendWebhooks(ctx context.Context, total int, progress io.Writer) ([]bool, []time.Duration) {
	acked := make([]bool, total)
	lat := make([]time.Duration, total)
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	defer tr.CloseIdleConnections()
	client := &http.Client{Timeout: 30 * time.Second, Transport: tr}
	tick := time.NewTicker(time.Second / time.Duration(b.rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	for seq := range total {
		<-tick.C
		if seq > 0 && seq%b.rate == 0 {
			fmt.Fprintf(progress, "\rsent %d/%d webhooks", seq, total)
		}
		wg.Go(func() {
			sent := time.Now()
			form := simulator.InboundForm(fmt.Sprintf("1415556%04d", seq%500), b.channel, fmt.Sprintf("bench-%d-%d", seq, sent.UnixNano()), uuid.NewString())
			hook := b.bases[seq%len(b.bases)] + "/api/sms/webhook"
			req, err := simulator.SignedWebhook(ctx, b.token, hook, hook, http.MethodPost, form)
			if err != nil {
				return
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
	fmt.Fprintf(progress, "\rsent %d/%d webhooks\n", total, total)
	return acked, lat
}

// missing counts (client, acknowledged text) pairs not seen yet.
func (b *liveBench) missing(acked []bool) int {
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

func (b *liveBench) result(total int, acked []bool, hookLat []time.Duration) liveResult {
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
	return liveResult{
		Instances: b.bases, Clients: b.clients, Rate: b.rate, Duration: b.duration.String(),
		Sent: total, Acked: ok, WebhookP50Ms: ms(pct(hooks, 50)), WebhookP99Ms: ms(pct(hooks, 99)),
		FirstP50Ms: ms(pct(firstClient, 50)), FirstP99Ms: ms(pct(firstClient, 99)),
		AllP50Ms: ms(pct(all, 50)), AllP99Ms: ms(pct(all, 99)), AllMaxMs: ms(pct(all, 100)),
		Deliveries: len(all), EventsLost: b.missing(acked), Reconnects: b.reconnects.Load(),
	}
}

func (r liveResult) print(w io.Writer) {
	fmt.Fprintf(w, "webhooks: %d sent at %d/s over %s to %d instance(s), %d acknowledged (200); webhook answer p50 %.1f ms p99 %.1f ms\n",
		r.Sent, r.Rate, r.Duration, len(r.Instances), r.Acked, r.WebhookP50Ms, r.WebhookP99Ms)
	fmt.Fprintf(w, "clients: %d, reconnects during the run: %d\n", r.Clients, r.Reconnects)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "webhook-to-client\tp50 ms\tp99 ms\tmax ms\tcount")
	fmt.Fprintf(tw, "first client\t%.1f\t%.1f\t\t\n", r.FirstP50Ms, r.FirstP99Ms)
	fmt.Fprintf(tw, "all clients\t%.1f\t%.1f\t%.1f\t%d\n", r.AllP50Ms, r.AllP99Ms, r.AllMaxMs, r.Deliveries)
	tw.Flush()
	fmt.Fprintf(w, "events lost: %d (acknowledged texts that some client never received)\n", r.EventsLost)
	if r.Ceiling != nil {
		r.Ceiling.print(w, r)
	}
	if r.ServerPID > 0 {
		fmt.Fprintf(w, "server memory (VmRSS of pid %d): %s with clients idle, %s after the run; CPU %.0f%% of one core while sending\n",
			r.ServerPID, r.RSSIdle, r.RSSLoaded, 100*r.ServerCPUShare)
	}
}

// ms is d in milliseconds, for reports.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

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
