package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/simulator"
	"github.com/parleyhq/parley/app/store"
)

// outboxOptions shape one outbox run.
type outboxOptions struct {
	dsn           string
	rate          int // replies queued per second
	duration      time.Duration
	workers       int
	conversations int
	channel       string // our number, the replies' sender
	pace          float64
	// backlog queues every reply before the outbox starts, so sent/s is
	// the outbox's own rate, not bounded by how fast replies are queued.
	backlog bool
	batch   int
}

// outboxResult is what bench outbox measured.
type outboxResult struct {
	Database     string  `json:"database"`
	Workers      int     `json:"outbox_workers"`
	Batch        int     `json:"claim_batch"`
	Backlog      bool    `json:"backlog"`
	Rate         int     `json:"queued_per_s_asked"`
	Duration     string  `json:"duration"`
	Queued       int     `json:"queued"`
	Sent         int     `json:"sent"`
	Failed       int     `json:"send_errors"`
	SentTwice    int     `json:"sent_twice"`
	SentPerS     float64 `json:"sent_per_s"`
	LatencyP50Ms float64 `json:"queued_to_sent_p50_ms"`
	LatencyP99Ms float64 `json:"queued_to_sent_p99_ms"`
	LatencyMaxMs float64 `json:"queued_to_sent_max_ms"`
}

// benchOutbox queues agents' replies at a rate and lets the outbox send
// them through the real Plivo sender to the simulated Plivo API, all in
// this process: it reports sends per second and the time from an agent's
// send (the call that queues the reply) to the carrier accepting it.
func benchOutbox(ctx context.Context, opts Options, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench outbox", flag.ContinueOnError)
	fs.SetOutput(stdout)
	o := outboxOptions{channel: opts.Channel}
	fs.IntVar(&o.rate, "rate", 200, "replies queued per second")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "how long to queue replies")
	fs.IntVar(&o.workers, "workers", inbox.DefaultOutboxWorkers, "outbox workers")
	fs.IntVar(&o.conversations, "conversations", 100, "conversations the replies go to")
	fs.Float64Var(&o.pace, "pace", 0, "messages per second the sending number may send (0: not paced)")
	fs.BoolVar(&o.backlog, "backlog", false, "queue every reply before the outbox starts, and time only the sending")
	fs.IntVar(&o.batch, "batch", inbox.DefaultClaimBatch, "messages a worker claims and records in one transaction")
	fs.StringVar(&o.dsn, "database", "", "database to use (default: a temporary SQLite file); it gains the bench's conversations")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil || o.rate < 1 || o.duration <= 0 || o.workers < 1 || o.batch < 1 || o.conversations < 1 || o.pace < 0 {
		return errUsage
	}
	if o.dsn == "" {
		dir, err := os.MkdirTemp("", "parley-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.dsn = "sqlite://" + filepath.Join(dir, "bench.db")
	}
	progress := stdout
	if *asJSON {
		progress = stderr
	}
	res, err := runOutboxBench(ctx, o, progress)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(stdout, res); err != nil {
			return err
		}
	} else {
		res.print(stdout)
	}
	if res.Sent < res.Queued || res.SentTwice > 0 {
		return fmt.Errorf("%d of %d replies not sent within 30 s, %d sent twice", res.Queued-res.Sent, res.Queued, res.SentTwice)
	}
	return nil
}

func (r outboxResult) print(w io.Writer) {
	fmt.Fprintf(w, "\ndatabase: %s, %d outbox workers claiming up to %d messages at a time, simulated Plivo API over HTTP\n", r.Database, r.Workers, r.Batch)
	if r.Backlog {
		fmt.Fprintln(w, "every reply queued before the outbox started: sent/s is from its start; queued→sent includes the wait")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "queued/s asked\tqueued\tsent\tsend errors\tsent twice\tsent/s\tqueued→sent p50 ms\tp99 ms\tmax ms")
	fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\n", r.Rate, r.Queued, r.Sent, r.Failed, r.SentTwice, r.SentPerS, r.LatencyP50Ms, r.LatencyP99Ms, r.LatencyMaxMs)
	tw.Flush()
}

// sendClock notes when the carrier accepted each message.
type sendClock struct {
	inbox.Sender
	mu     sync.Mutex
	sent   map[int64]time.Time
	failed int
	twice  int // messages the carrier was asked to send again after accepting them
}

func (s *sendClock) Send(ctx context.Context, m inbox.OutboundSMS) (string, error) {
	id, err := s.Sender.Send(ctx, m)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failed++
		return id, err
	}
	if _, dup := s.sent[m.MessageID]; dup {
		s.twice++
	} else {
		s.sent[m.MessageID] = time.Now()
	}
	return id, nil
}

func runOutboxBench(ctx context.Context, o outboxOptions, progress io.Writer) (outboxResult, error) {
	s, err := store.Open(ctx, o.dsn, store.Options{})
	if err != nil {
		return outboxResult{}, err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return outboxResult{}, err
	}
	api, err := simulator.Start("127.0.0.1:0")
	if err != nil {
		return outboxResult{}, err
	}
	defer api.Close()
	sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: simulator.AuthID, AuthToken: simulator.AuthToken, BaseURL: api.URL + "/"})
	if err != nil {
		return outboxResult{}, err
	}
	clock := &sendClock{Sender: sender, sent: map[int64]time.Time{}}
	channel := inbox.Number(o.channel)
	ob := inbox.NewOutbox(inbox.OutboxOptions{Store: s, Sender: clock, Workers: o.workers, Batch: o.batch, Log: slog.New(slog.DiscardHandler),
		Pace: inbox.SendPace{Rates: map[inbox.Number]float64{channel: o.pace}}})
	svc := inbox.NewService(inbox.Options{Store: s, Users: s, Publisher: ob.WakeOnQueued(nil), Numbers: []inbox.Number{channel}})
	agent := inbox.User{Email: fmt.Sprintf("bench-%d@example.com", time.Now().UnixNano()), Role: inbox.RoleAgent, CreatedAt: time.Now()}
	if err := s.SaveUser(ctx, &agent); err != nil {
		return outboxResult{}, err
	}
	convs := make([]int64, o.conversations)
	for i := range convs {
		contact := inbox.Number(fmt.Sprintf("+1415557%04d", i%10000))
		r, err := svc.Receive(ctx, inbox.Inbound{ProviderUUID: uuid.NewString(), From: contact, To: channel, Type: "sms", Text: "hi", Units: 1})
		if err != nil {
			return outboxResult{}, err
		}
		convs[i] = r.Conversation.ID
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	started := false
	run := func() {
		started = true
		go func() { defer close(done); _ = ob.Run(runCtx) }()
	}
	defer func() {
		stop()
		if started {
			<-done
		}
	}()
	if !o.backlog {
		run()
	}

	total := max(1, o.rate*int(o.duration/time.Second))
	queued := make([]struct {
		id int64
		at time.Time
	}, total)
	tick := time.NewTicker(time.Second / time.Duration(o.rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var firstErr error
	start := time.Now()
	for i := range total {
		<-tick.C
		if i > 0 && i%o.rate == 0 {
			fmt.Fprintf(progress, "\rqueued %d/%d replies", i, total)
		}
		wg.Go(func() {
			at := time.Now()
			m, err := svc.SendReply(ctx, agent, convs[i%len(convs)], fmt.Sprintf("bench reply %d", i))
			if err != nil {
				errMu.Lock()
				firstErr = err
				errMu.Unlock()
				return
			}
			queued[i].id, queued[i].at = m.ID, at
		})
	}
	wg.Wait()
	fmt.Fprintf(progress, "\rqueued %d/%d replies\n", total, total)
	if firstErr != nil {
		return outboxResult{}, fmt.Errorf("queue a reply: %w", firstErr)
	}
	if o.backlog {
		start = time.Now()
		run()
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		clock.mu.Lock()
		n := len(clock.sent)
		clock.mu.Unlock()
		if n >= total {
			break
		}
	}
	clock.mu.Lock()
	defer clock.mu.Unlock()
	var lat []time.Duration
	last := start
	for _, q := range queued {
		if at, ok := clock.sent[q.id]; ok {
			lat = append(lat, at.Sub(q.at))
			if at.After(last) {
				last = at
			}
		}
	}
	return outboxResult{
		Database: store.RedactDSN(o.dsn), Workers: o.workers, Batch: o.batch, Backlog: o.backlog, Rate: o.rate, Duration: o.duration.String(),
		Queued: total, Sent: len(lat), Failed: clock.failed, SentTwice: clock.twice, SentPerS: float64(len(lat)) / last.Sub(start).Seconds(),
		LatencyP50Ms: ms(pct(lat, 50)), LatencyP99Ms: ms(pct(lat, 99)), LatencyMaxMs: ms(pct(lat, 100)),
	}, nil
}
