package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/parleyhq/parley/app/plivo/simulator"
	"github.com/parleyhq/parley/app/store"
)

// ingestTexts are ordinary texts; their few words soon stop bringing new
// search words to a conversation, as real traffic does.
var ingestTexts = []string{
	"Is my order ready for pickup?", "Thanks, see you tomorrow", "Can I move my appointment to 3pm?",
	"What time do you open on Saturday?", "Yes please", "No thanks", "Running 10 minutes late, sorry",
	"Do you have this in blue?", "Where do I park?", "Got it, thank you!",
}

// ingestOptions shape one ingest attack.
type ingestOptions struct {
	base      string // where requests go
	publicURL string // what signatures cover (the server's PUBLIC_URL)
	token     string // Plivo auth token; empty sends unsigned webhooks
	rate      int    // webhooks per second; 0 is as fast as workers go
	workers   int
	duration  time.Duration
	contacts  int
	keywords  int // percent of texts that are HELP (answered with an automatic reply)
	channel   string
}

// ingestResult is one ingest attack's figures.
type ingestResult struct {
	Rate         string         `json:"rate_asked"`
	Workers      int            `json:"workers"`
	Duration     string         `json:"duration"`
	Requests     uint64         `json:"requests"`
	AchievedRate float64        `json:"achieved_2xx_per_s"`
	P50Ms        float64        `json:"latency_p50_ms"`
	P90Ms        float64        `json:"latency_p90_ms"`
	P99Ms        float64        `json:"latency_p99_ms"`
	MaxMs        float64        `json:"latency_max_ms"`
	Status       map[string]int `json:"status"`
	Errors       []string       `json:"errors,omitempty"`
	Verify       *Verification  `json:"verification,omitempty"`

	acked []string // MessageUUIDs answered 2xx
}

// benchIngest sends signed inbound webhooks and verifies what was stored.
func benchIngest(ctx context.Context, opts Options, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench ingest", flag.ContinueOnError)
	fs.SetOutput(stdout)
	rate := fs.Int("rate", 0, "webhooks per second (0: as fast as the workers go)")
	workers := fs.Int("workers", 16, "concurrent requests (pgbench's clients in --ceiling)")
	duration := fs.Duration("duration", 10*time.Second, "how long to send")
	contacts := fs.Int("contacts", 10000, "distinct contact numbers")
	keywords := fs.Int("keywords", 10, "percent of texts that are HELP, answered with an automatic reply")
	target := fs.String("url", "", "a running Parley (default: start one); signatures use PLIVO_AUTH_TOKEN")
	publicURL := fs.String("public-url", "", "with --url: the server's PUBLIC_URL, if not the same as --url")
	dsn := fs.String("database", "", "database of the started Parley, or of --url for the verification (default: a temporary SQLite file; DATABASE_URL with --url)")
	ceiling := fs.Bool("ceiling", false, "also measure pgbench, redis-benchmark PUBLISH and a trivial Fiber handler, and a run at half the maximum")
	redisAddr := fs.String("redis", "127.0.0.1:6379", "with --ceiling: the Redis for redis-benchmark")
	reports := fs.Bool("reports", false, "then send delivery reports for automatic replies at the maximum rate, verified like the texts")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil || *rate < 0 || *workers < 1 || *duration <= 0 || *contacts < 1 || *keywords < 0 || *keywords > 100 {
		return errUsage
	}
	progress := stdout
	if *asJSON {
		progress = stderr
	}
	o := ingestOptions{
		base: strings.TrimRight(*target, "/"), rate: *rate, workers: *workers, duration: *duration,
		contacts: *contacts, keywords: *keywords, channel: opts.Channel,
	}
	db := *dsn
	if o.base == "" {
		srv, err := startServer(ctx, db, 0, progress)
		if err != nil {
			return err
		}
		defer srv.stop()
		o.base, o.publicURL, o.token, db = srv.base, srv.base, srv.token, srv.dsn
	} else {
		o.publicURL = strings.TrimRight(*publicURL, "/")
		if o.publicURL == "" {
			o.publicURL = o.base
		}
		o.token = opts.AuthToken
		if db == "" {
			db = opts.DatabaseURL
		}
	}
	var report ingestReport
	if *ceiling {
		c, err := measureCeilings(ctx, ceilingOptions{dsn: db, redis: *redisAddr, workers: o.workers, duration: o.duration}, progress)
		if err != nil {
			return err
		}
		report.Ceilings = c
	}
	fmt.Fprintf(progress, "ingest: %s, %d workers, %v\n", rateLabel(o.rate), o.workers, o.duration)
	res, err := attackIngest(ctx, o, progress)
	if err != nil {
		return err
	}
	if res.Verify, err = VerifyStored(ctx, db, res.acked); err != nil {
		return err
	}
	report.Max = &res
	if *ceiling && res.AchievedRate >= 2 {
		half := o
		half.rate = int(res.AchievedRate / 2)
		fmt.Fprintf(progress, "ingest at half of the maximum: %s\n", rateLabel(half.rate))
		h, err := attackIngest(ctx, half, progress)
		if err != nil {
			return err
		}
		if h.Verify, err = VerifyStored(ctx, db, h.acked); err != nil {
			return err
		}
		report.Half = &h
	}
	if *reports {
		full := o
		full.rate = 0
		r, err := attackReports(ctx, full, db, progress)
		if err != nil {
			return err
		}
		report.Reports = &r
	}
	report.Database = store.RedactDSN(db)
	if *asJSON {
		if err := writeJSON(stdout, report); err != nil {
			return err
		}
	} else {
		report.print(stdout)
	}
	if !report.verified() {
		return fmt.Errorf("verification failed: acknowledged texts missing or stored twice")
	}
	return nil
}

func rateLabel(rate int) string {
	if rate == 0 {
		return "maximum rate"
	}
	return strconv.Itoa(rate) + "/s"
}

// attackIngest runs one attack of inbound texts.
func attackIngest(ctx context.Context, o ingestOptions, progress io.Writer) (ingestResult, error) {
	return attack(ctx, o, ingestTargeter(o), progress)
}

// attack runs one attack with vegeta and sums it up; acked holds the bench
// field of each request answered 2xx.
func attack(ctx context.Context, o ingestOptions, targeter vegeta.Targeter, progress io.Writer) (ingestResult, error) {
	atk := vegeta.NewAttacker(
		vegeta.Workers(uint64(o.workers)), vegeta.MaxWorkers(uint64(o.workers)),
		vegeta.Connections(o.workers), vegeta.KeepAlive(true), vegeta.Timeout(10*time.Second), vegeta.Redirects(vegeta.NoFollow),
	)
	pacer := vegeta.Rate{Freq: o.rate, Per: time.Second}
	res := ingestResult{Rate: rateLabel(o.rate), Workers: o.workers, Duration: o.duration.String(), Status: map[string]int{}}
	var m vegeta.Metrics
	var done, ok atomic.Int64
	stop := showProgress(progress, &done, &ok)
	results := atk.Attack(targeter, pacer, o.duration, "ingest")
	for r := range results {
		if ctx.Err() != nil {
			atk.Stop()
		}
		m.Add(r)
		done.Add(1)
		if r.Code >= 200 && r.Code < 300 {
			ok.Add(1)
			if name, err := ackedName(r.URL); err == nil {
				res.acked = append(res.acked, name)
			}
		}
	}
	stop()
	m.Close()
	res.Requests = m.Requests
	res.AchievedRate = m.Throughput
	res.P50Ms, res.P90Ms, res.P99Ms, res.MaxMs = ms(m.Latencies.P50), ms(m.Latencies.P90), ms(m.Latencies.P99), ms(m.Latencies.Max)
	for code, n := range m.StatusCodes {
		if code == "0" {
			code = "transport error"
		}
		res.Status[code] = n
	}
	if len(m.Errors) > 5 {
		m.Errors = m.Errors[:5]
	}
	res.Errors = m.Errors
	return res, ctx.Err()
}

// showProgress prints a line a second until the returned stop is called.
func showProgress(w io.Writer, done, ok *atomic.Int64) (stop func()) {
	quit, finished := make(chan struct{}), make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		last := int64(0)
		for {
			select {
			case <-quit:
				fmt.Fprintf(w, "\r%5.1fs  %d requests, %d answered 2xx\n", time.Since(start).Seconds(), done.Load(), ok.Load())
				return
			case <-tick.C:
				n := done.Load()
				fmt.Fprintf(w, "\r%5.1fs  %d requests, %d answered 2xx, %d/s   ", time.Since(start).Seconds(), n, ok.Load(), n-last)
				last = n
			}
		}
	}()
	return func() { close(quit); <-finished }
}

// ingestTargeter makes each request a signed inbound text with a new
// MessageUUID, which also rides in the URL's query (covered by the
// signature, ignored by Parley) so each result names its text.
func ingestTargeter(o ingestOptions) vegeta.Targeter {
	var n atomic.Int64
	return func(t *vegeta.Target) error {
		i := n.Add(1) - 1
		id := uuid.NewString()
		text := ingestTexts[i%int64(len(ingestTexts))]
		if int(i%100) < o.keywords {
			text = "HELP"
		}
		form := simulator.InboundForm(fmt.Sprintf("1415%07d", 5560000+i%int64(o.contacts)), o.channel, text, id)
		path := "/api/sms/webhook?bench=" + id
		req, err := simulator.SignedWebhook(context.Background(), o.token, o.base+path, o.publicURL+path, http.MethodPost, form)
		if err != nil {
			return err
		}
		t.Method, t.URL, t.Body, t.Header = http.MethodPost, o.base+path, []byte(form.Encode()), req.Header
		return nil
	}
}
