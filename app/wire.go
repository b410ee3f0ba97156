package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/redis/go-redis/v9"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/live"
	"github.com/parleyhq/parley/app/metrics"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/simulator"
	"github.com/parleyhq/parley/app/ratelimit"
	"github.com/parleyhq/parley/app/replay"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/web"
	"github.com/parleyhq/parley/static"
)

// Main is one running Parley: every part, wired. Only this package knows
// them all.
type Main struct {
	Config config.Config
	Log    *slog.Logger
	Store  *store.Store
	Bus    live.Bus
	// Hub fans the bus out to this instance's live streams.
	Hub    *live.Hub
	Inbox  *inbox.Service
	Outbox *inbox.Outbox
	// Webhooks delivers outgoing webhooks.
	Webhooks *inbox.WebhookDispatcher
	Web      *fiber.App
	// Carrier is the simulated Plivo API of development mode, or nil.
	Carrier *simulator.API
	// Metrics records what METRICS_ADDRESS serves, or is nil.
	Metrics *metrics.Metrics
	// Media keeps attachments (media.go).
	Media *Media
	// operator serves METRICS_ADDRESS and DEBUG_ADDRESS once serving.
	operator operatorServers

	redis      *redis.Client
	lookup     inbox.MessageLookup // Plivo's message API, for lost answers
	stopOutbox context.CancelFunc
	outboxDone chan struct{}
	stopLive   context.CancelFunc
	liveDone   chan struct{} // closed once the hub and the event trimmer stop
	refusals   *inbox.RefusalTally
}

// NewMain opens the store (migrating it), connects the bus and builds the
// web app.
func NewMain(ctx context.Context, cfg config.Config, log *slog.Logger) (*Main, error) {
	m := &Main{Config: cfg, Log: log}
	hubOpts := live.HubOptions{MaxStreamsPerUser: cfg.MaxStreamsPerUser}
	var err error
	if m.Store, err = store.Open(ctx, cfg.DatabaseURL, store.Options{}); err != nil {
		return nil, err
	}
	applied, err := m.Store.Migrate(ctx)
	if err != nil {
		m.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrated database", "applied", strings.Join(applied, ", "))
	}
	if cfg.RedisURL != "" {
		if m.Bus, err = live.NewRedis(ctx, cfg.RedisURL, live.RedisOptions{Logger: log, Channel: cfg.RedisChannel, OnPanic: m.countPanic}); err != nil {
			m.Close()
			return nil, err
		}
	} else {
		m.Bus = live.NewMemory()
	}
	sender, err := m.newSender(cfg, log)
	if err != nil {
		m.Close()
		return nil, err
	}
	// The hub's one subscription counts what the bus delivers; m.Metrics
	// is set just below, before the hub runs.
	hubOpts.OnReceived = func(events int) { m.Metrics.CountReceived(events) }
	hubOpts.OnPanic = m.countPanic
	m.Hub = live.NewHub(m.Bus, log, hubOpts)
	var pub inbox.Publisher = live.NewPublisher(m.Bus, log)
	if cfg.MetricsAddress != "" {
		m.Metrics = metrics.New(metrics.Sources{StreamsOpen: m.Hub.Streams, OutboxDepth: m.Store.OutboxDepth, DB: m.Store.DB().DB})
		pub = observedPublisher{live.NewPublisher(observedBus{m.Bus, m.Metrics}, log), m.Metrics}
		sender = observedSender{sender, m.Metrics}
	}
	if m.Media, err = newMedia(cfg, m.Store, pub, log); err != nil {
		m.Close()
		return nil, err
	}
	hooks := inbox.NewWebhookFanout(time.Second)
	// Inbound texts and delivery reports share one queue of shared
	// transactions.
	var group inbox.GroupCommitter
	if !cfg.GroupCommitOff {
		group = store.NewGroupCommit(m.Store, store.GroupCommitOptions{Transactions: cfg.GroupCommitTransactions})
	}
	m.Outbox = inbox.NewOutbox(inbox.OutboxOptions{Store: m.Store, Sender: sender, Publisher: pub, Log: log, OnPanic: m.countPanic,
		Pace: sendPace(cfg), Lookup: m.lookup, WebhookFanout: hooks, Media: m.Media.Signer, GroupCommit: group})
	limiter, err := m.newLimiter(cfg, log)
	if err != nil {
		m.Close()
		return nil, err
	}
	m.Inbox = inbox.NewService(inbox.Options{
		Store: m.Store, Users: m.Store, Tokens: m.Store, Publisher: m.Outbox.WakeOnQueued(pub),
		Access:      inbox.AccessPolicy{AdminEmails: cfg.AdminEmails, AllowedDomains: cfg.AllowedEmailDomains},
		Numbers:     numbers(cfg),
		NumberNames: numberNames(cfg),
		Limiter:     ratelimit.Checker{Limiter: limiter},
		SendLimits:  inbox.SendLimits{PerMinute: cfg.SendLimitPerMinute, PerDay: cfg.SendLimitPerDay},
		// Rule and business hours edits on another instance show within a second.
		SettingsTTL:   time.Second,
		WebhookFanout: hooks, Webhooks: m.Store, CheckWebhookURL: webhookGuard(cfg).CheckURL,
		// Numbers connected on Settings → Plivo join them (app/carrier.go).
		InboxNumbers: m.Store,
		GroupCommit:  group,
	})
	m.Webhooks = m.newWebhookDispatcher(cfg)
	if err := m.Inbox.RefreshChannels(ctx); err != nil {
		m.Close()
		return nil, err
	}
	carrier, err := m.newCarrier(cfg, log)
	if err != nil {
		m.Close()
		return nil, err
	}
	m.refusals = &inbox.RefusalTally{}
	authn, err := newAuth(cfg)
	if err != nil {
		m.Close()
		return nil, err
	}
	m.Web = web.NewServer(web.Deps{
		Inbox:  m.Inbox,
		Outbox: m.Outbox,
		Checks: []web.Check{
			{Name: "database", Required: true, Probe: m.Store.Ping},
			{Name: "bus", Probe: m.Bus.Ping},
		},
		Hub: m.Hub,
		// Settings → Plivo (app/carrier.go).
		Carrier: carrier,
		Media:   m.Media.webDeps(),
	}, web.Options{
		PublicURL:            cfg.PublicURL,
		PlivoAuthTokens:      cfg.PlivoAuthTokens,
		Development:          cfg.Development(),
		Log:                  log,
		Auth:                 authn,
		Limiter:              limiter,
		OnXMLReply:           m.simulateXMLSend,
		TrustedProxies:       cfg.TrustedProxies,
		ObserveRequest:       observeRequest(m.Metrics),
		ReplayMaxEvents:      cfg.LiveReplayMaxEvents,
		ReplayMaxAge:         cfg.LiveReplayMaxAge,
		Webhooks:             m.Store,
		PlivoSignature:       replay.Policy(cfg.PlivoSignature),
		OnPanic:              m.countPanic,
		APIRequestsPerMinute: cfg.APIRequestsPerMinute,
		Refusals:             m.refusals,
	})
	return m, nil
}

// simulateXMLSend has the simulated carrier send an automatic reply given
// in a webhook's XML answer, as Plivo would; without the simulated carrier
// Plivo itself does.
func (m *Main) simulateXMLSend(reply inbox.Message, callbackURL string) {
	if m.Carrier != nil {
		m.Carrier.SendXML(reply.From.Carrier(), reply.To.Carrier(), reply.Body, callbackURL)
	}
}

func newAuth(cfg config.Config) (*auth.Auth, error) {
	o := auth.Options{PublicURL: cfg.PublicURL, Secret: cfg.SessionSecret, PreviousSecret: cfg.SessionSecretPrevious}
	if cfg.GoogleEnabled() {
		o.Google = &auth.Google{ClientID: cfg.GoogleClientID, ClientSecret: cfg.GoogleClientSecret}
	}
	if cfg.GitHubEnabled() {
		o.GitHub = &auth.GitHub{ClientID: cfg.GitHubClientID, ClientSecret: cfg.GitHubClientSecret, BaseURL: cfg.GitHubBaseURL}
	}
	return auth.New(o)
}

// newLimiter counts in Redis when there is one, so limits hold across
// instances, falling back to this instance's own counts while Redis is
// unreachable; in process otherwise.
func (m *Main) newLimiter(cfg config.Config, log *slog.Logger) (ratelimit.Limiter, error) {
	local := ratelimit.NewMemory(nil)
	if cfg.RedisURL == "" {
		return local, nil
	}
	opts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout, opts.MaxRetries = time.Second, time.Second, time.Second, 1
	m.redis = redis.NewClient(opts)
	return ratelimit.Fallback{
		Primary:   ratelimit.NewRedis(m.redis, "parley:ratelimit:"),
		Secondary: local,
		OnError:   func(err error) { log.Warn("rate limiter: Redis unreachable, counting in process", "err", err) },
	}, nil
}

// Serve starts the outbox and answers requests on ln until Shutdown.
func (m *Main) Serve(ln net.Listener) error {
	var err error
	if m.operator, err = startOperatorServers(m.Config.MetricsAddress, m.Metrics, m.Config.DebugAddress); err != nil {
		return fmt.Errorf("METRICS_ADDRESS or DEBUG_ADDRESS: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.stopOutbox, m.outboxDone = cancel, make(chan struct{})
	go func() {
		defer close(m.outboxDone)
		// The workers restart themselves after a panic; one escaping Run
		// ends the outbox alone, not the process.
		m.recovered("outbox", func() {
			if err := m.Outbox.Run(ctx); err != nil {
				m.Log.Error("outbox stopped", "err", err)
			}
		})
	}()
	liveCtx, stopLive := context.WithCancel(context.Background())
	m.stopLive, m.liveDone = stopLive, make(chan struct{})
	go m.runLive(liveCtx)
	go static.Precompress()
	return m.Web.Listener(ln)
}

// runLive runs the hub, trims the event log and the webhook nonces, and
// wakes snoozed
// conversations until ctx ends.
func (m *Main) runLive(ctx context.Context) {
	defer close(m.liveDone)
	var wg sync.WaitGroup
	wg.Go(func() {
		// The hub subscribes afresh after a panic in its fan-out; one
		// escaping Run closes the hub (streams end, texts still flow).
		m.recovered("hub", func() {
			if err := m.Hub.Run(ctx); err != nil {
				m.Log.Error("live hub stopped", "err", err)
			}
		})
	})
	wg.Go(func() { m.keepRunning(ctx, "trim_logs", m.trimLogs) })
	wg.Go(func() { m.keepRunning(ctx, "wake_snoozes", m.wakeSnoozes) })
	for range m.Webhooks.Workers() {
		wg.Go(func() { m.keepRunning(ctx, "webhooks", m.Webhooks.Work) })
	}
	wg.Go(func() { m.keepRunning(ctx, "refresh_channels", m.refreshChannels) })
	wg.Go(func() { m.keepRunning(ctx, "flush_refusals", m.flushRefusals) })
	wg.Go(func() { m.keepRunning(ctx, "keep_media", m.Media.Copier.Run) })
	wg.Wait()
}

// trimLogs deletes events older than the retention, webhook nonces
// older than replay.Retention and API idempotency keys older than
// inbox.IdempotencyTTL, at start and then hourly (or every half
// retention, when that is shorter).
func (m *Main) trimLogs(ctx context.Context) {
	retention := m.Config.EventsRetention
	if retention <= 0 {
		retention = config.DefaultEventsRetention
	}
	tick := time.NewTicker(min(time.Hour, retention/2))
	defer tick.Stop()
	for {
		n, err := m.Store.DeleteEventsBefore(ctx, time.Now().Add(-retention))
		switch {
		case err != nil && ctx.Err() == nil:
			m.Log.Warn("trim event log", "err", err)
		case n > 0:
			m.Log.Info("trimmed event log", "deleted", n, "retention", retention.String())
		}
		if n, err := m.Store.DeleteIdempotencyKeysBefore(ctx, time.Now().Add(-inbox.IdempotencyTTL)); err != nil && ctx.Err() == nil {
			m.Log.Warn("trim idempotency keys", "err", err)
		} else if n > 0 {
			m.Log.Info("trimmed idempotency keys", "deleted", n)
		}
		m.trimWebhookLog(ctx)
		n, err = m.Store.DeleteNoncesBefore(ctx, time.Now().Add(-replay.Retention))
		switch {
		case err != nil && ctx.Err() == nil:
			m.Log.Warn("trim webhook nonces", "err", err)
		case n > 0:
			m.Log.Info("trimmed webhook nonces", "deleted", n, "retention", replay.Retention.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Shutdown stops taking requests and lets those in flight finish within
// timeout, lets the outbox finish its current sends, then closes the bus
// and the store.
func (m *Main) Shutdown(timeout time.Duration) error {
	// Open live streams would hold Fiber's shutdown for the whole timeout:
	// end them first (browsers reconnect to another instance).
	m.Hub.Close()
	// The outbox stops claiming now and finishes its current sends while
	// the web server drains, so both fit in the same timeout.
	if m.stopOutbox != nil {
		m.stopOutbox()
	}
	deadline := time.Now().Add(timeout)
	// The web server gets all but a second of the budget; the rest is for
	// the hub, the outbox and the store, so the whole stop fits in timeout.
	err := m.Web.ShutdownWithTimeout(max(timeout-time.Second, timeout/2))
	if errors.Is(err, context.DeadlineExceeded) {
		// What is left is a client still sending its request (a slow or
		// stalled one) or a request over its own timeout: nothing was
		// acknowledged to either, so closing them loses nothing.
		m.Log.Warn("shutdown: closing connections still open at the deadline")
		err = nil
	}
	if m.stopLive != nil {
		m.stopLive()
		select {
		case <-m.liveDone:
		case <-time.After(max(time.Until(deadline), 100*time.Millisecond)):
			m.Log.Warn("live hub did not stop in time")
		}
	}
	if m.outboxDone != nil {
		select {
		case <-m.outboxDone:
		case <-time.After(max(time.Until(deadline), 100*time.Millisecond)):
			m.Log.Warn("outbox did not stop in time")
		}
	}
	m.Close()
	return err
}

// simulatedUndeliveredCode is the ErrorCode of the simulated carrier's
// undelivered reports: Plivo's "destination temporarily unavailable".
const simulatedUndeliveredCode = "80"

// newSender is Plivo's API, or in development without credentials a
// simulated carrier on a loopback port that accepts every send and posts
// delivery reports (sent, then delivered, or undelivered for
// SIMULATED_UNDELIVERED_PERCENT of them) back to this Parley.
func (m *Main) newSender(cfg config.Config, log *slog.Logger) (inbox.Sender, error) {
	o := plivo.SenderOptions{
		AuthID: cfg.PlivoAuthID, BaseURL: cfg.PlivoAPIURL, CallbackURL: cfg.PublicURL + web.DeliveryPath,
	}
	if len(cfg.PlivoAuthTokens) > 0 {
		o.AuthToken = cfg.PlivoAuthTokens[0]
	}
	if cfg.Development() && (o.AuthID == "" || o.AuthToken == "") {
		api, err := simulator.Start("127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("simulated carrier: %w", err)
		}
		m.Carrier = api
		api.DeliverTo(fmt.Sprintf("http://127.0.0.1:%d", cfg.Port), o.AuthToken)
		api.SetUndeliveredShare(cfg.SimulatedUndeliveredPercent/100, simulatedUndeliveredCode)
		o.AuthID, o.BaseURL = simulator.AuthID, api.URL+"/"
		if o.AuthToken == "" {
			o.AuthToken = simulator.AuthToken
		}
		log.Info("no Plivo credentials: replies go to the simulated carrier", "url", api.URL)
	}
	lookup, err := plivo.NewLookup(o)
	if err != nil {
		return nil, err
	}
	m.lookup = lookup
	return plivo.NewSender(o)
}

// numbers are our sending numbers; development without any pretends to
// own the number simulate texts by default.
func numbers(cfg config.Config) []inbox.Number {
	var out []inbox.Number
	for _, n := range cfg.PlivoPhoneNumbers {
		out = append(out, inbox.Number(n))
	}
	if len(out) == 0 && cfg.Development() {
		out = append(out, inbox.Number(defaultSimulatedNumber))
	}
	return out
}

// numberNames are the inbox names PLIVO_PHONE_NUMBER gives.
func numberNames(cfg config.Config) map[inbox.Number]string {
	out := make(map[inbox.Number]string, len(cfg.PlivoNumberNames))
	for n, name := range cfg.PlivoNumberNames {
		out[inbox.Number(n)] = name
	}
	return out
}

// Close ends the live streams and releases the bus and the store.
func (m *Main) Close() {
	_ = m.operator.close()
	if m.Hub != nil {
		m.Hub.Close()
	}
	if m.Bus != nil {
		m.Bus.Close()
	}
	if m.redis != nil {
		m.redis.Close()
	}
	if m.Carrier != nil {
		m.Carrier.Close()
	}
	if m.Store != nil {
		m.Store.Close()
	}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func serve(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) error {
	log := newLogger(cfg, stderr)
	log.Info("starting parley", append([]any{"version", version}, cfg.Redacted()...)...)
	m, err := NewMain(ctx, cfg, log)
	if err != nil {
		return err
	}
	if cfg.Development() && !net.ParseIP(cfg.BindAddress).IsLoopback() && cfg.BindAddress != "localhost" {
		log.Warn("development mode is listening beyond this machine: anyone who reaches it can sign in as the local admin", "bind", cfg.BindAddress)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.BindAddress, strconv.Itoa(cfg.Port)))
	if err != nil {
		m.Close()
		return fmt.Errorf("listen on %s port %d (BIND_ADDRESS, PORT): %w", cfg.BindAddress, cfg.Port, err)
	}
	fmt.Fprintf(stdout, "Parley is running at http://localhost:%d (Plivo calls %s%s)\n", cfg.Port, cfg.PublicURL, web.WebhookPath)
	fmt.Fprintf(stdout, "Send a test text: %s\n", simulateHint(cfg))
	errc := make(chan error, 1)
	go func() { errc <- m.Serve(ln) }()
	select {
	case err := <-errc:
		m.Close()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	return m.Shutdown(10 * time.Second)
}

func migrate(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) error {
	s, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "database is up to date")
		return nil
	}
	fmt.Fprintf(stdout, "applied %d migration(s): %s\n", len(applied), strings.Join(applied, ", "))
	return nil
}
