// Package web is Parley's HTTP edge: routes, middleware, handlers and the
// mapping of domain errors to HTTP.
package web

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/auth"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/live"
	"github.com/parleyhq/parley/app/ratelimit"
	"github.com/parleyhq/parley/app/replay"
)

// Options are the settings the web layer needs, copied from the config by
// main.
type Options struct {
	// Refusals counts refused webhooks by reason for Settings → Plivo;
	// nil counts nothing.
	Refusals *inbox.RefusalTally
	// PublicURL is the base URL Plivo calls; signatures are checked against
	// it, never against the Host header.
	PublicURL string
	// PlivoAuthTokens verify webhook signatures. Empty accepts unsigned
	// webhooks, which only development allows.
	PlivoAuthTokens []string
	Development     bool
	// WebhookTimeout bounds the work of one webhook. Zero means
	// DefaultWebhookTimeout.
	WebhookTimeout time.Duration
	// OnXMLReply, when set, is told of every automatic reply answered as
	// XML, with its callback URL; development's simulated carrier uses it to
	// play Plivo sending it.
	OnXMLReply func(reply inbox.Message, callbackURL string)
	// WriteTimeout bounds writing a response; live streams refresh their
	// own deadline on every flush instead. Zero means 30 s.
	WriteTimeout time.Duration
	Log          *slog.Logger
	// Auth signs people in and keys cookies and CSRF tokens.
	Auth *auth.Auth
	// Limiter counts sign-in attempts (and, later, sends); nil means in
	// process.
	Limiter ratelimit.Limiter
	// EventsURL is the live feed pages connect to; empty keeps them
	// offline.
	EventsURL string
	// Heartbeat is how often an idle live stream sends a comment, which is
	// how a client that left is noticed. Zero means 15 s.
	Heartbeat time.Duration
	// ReplayMaxEvents and ReplayMaxAge cap what a live stream replays when
	// it resumes: a Last-Event-ID more events behind the newest than
	// ReplayMaxEvents, or whose first missed event is older than
	// ReplayMaxAge, gets the refresh marker instead. Zero means
	// DefaultReplayMaxEvents and DefaultReplayMaxAge.
	ReplayMaxEvents int
	ReplayMaxAge    time.Duration
	// TrustedProxies are the IPs and CIDRs of reverse proxies whose
	// X-Forwarded-For header names the client (for logs and the sign-in
	// limit). Empty trusts no header.
	TrustedProxies []string
	// ObserveRequest, when set, is told of every answered request: its
	// route pattern, status and duration (for metrics).
	ObserveRequest func(route string, status int, d time.Duration)
	// Webhooks is the durable memory of signed webhooks: every nonce
	// claimed (so a replayed request is refused) and the signature
	// versions the account has sent. Main passes the database; nil keeps
	// them in process, which only tests should do.
	Webhooks replay.Store
	// PlivoSignature says when a request signed with V2 alone is accepted
	// (PLIVO_SIGNATURE); empty means replay.Auto.
	PlivoSignature replay.Policy
	// OnPanic, when set, is told of every panic recovered in a request
	// ("request") or a live stream ("stream"), for metrics.
	OnPanic func(unit string)
	// APIRequestsPerMinute bounds each API token's requests; zero means
	// DefaultAPIRequestsPerMinute.
	APIRequestsPerMinute int
}

// DefaultWebhookTimeout bounds a webhook's work: a text is stored in a
// few milliseconds, so one that takes most of a second means the database
// is gone or stalled, and a quick 503 (Plivo retries it; nothing was
// acknowledged) beats holding Plivo toward its 8 s limit while requests
// pile up.
const DefaultWebhookTimeout = 900 * time.Millisecond

// Check is one readiness probe. Required checks failing make /readyz answer
// 503; optional ones only report "degraded".
type Check struct {
	Name     string
	Required bool
	Probe    func(ctx context.Context) error
}

// Deps are the services the handlers call.
type Deps struct {
	Inbox  *inbox.Service
	Checks []Check
	// Outbox records delivery reports; nil answers them 503.
	Outbox *inbox.Outbox
	// Hub fans live events out to /events streams; nil serves no live
	// feed, and pages stay offline.
	Hub *live.Hub
	// Carrier is the Settings → Plivo screen's use cases; nil shows the
	// screen saying Plivo is not configured.
	Carrier *inbox.Carrier
	// Media keeps attachments (media.go).
	Media MediaDeps
}

type server struct {
	deps Deps
	opts Options
	log  *slog.Logger
	// secure is true when Parley is served over https: cookies get the
	// Secure flag and responses HSTS.
	secure bool
	// guard admits each signed webhook once, in the strongest signature
	// the account uses.
	guard *replay.Guard
	// publicHost is PUBLIC_URL's host name, which development answers
	// besides this machine's names.
	publicHost string
	// localAdmin offers development's "Continue as local admin": only
	// when PUBLIC_URL is this machine, since behind a tunnel it would
	// make anyone on the internet an admin.
	localAdmin bool
	// renders renders each live event once per user for all of that
	// user's streams on this instance.
	renders renderMemo
	// fanout holds a token for each live stream writing (fanoutSlots).
	fanout chan struct{}
}

// maxBody bounds any request body; the webhooks enforce a tighter limit.
const maxBody = 1 << 20

// NewServer returns the Fiber app with every route registered.
func NewServer(deps Deps, opts Options) *fiber.App {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.WebhookTimeout == 0 {
		opts.WebhookTimeout = DefaultWebhookTimeout
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = 30 * time.Second
	}
	if opts.ReplayMaxEvents <= 0 {
		opts.ReplayMaxEvents = DefaultReplayMaxEvents
	}
	if opts.ReplayMaxAge <= 0 {
		opts.ReplayMaxAge = DefaultReplayMaxAge
	}
	if opts.Webhooks == nil {
		opts.Webhooks = replay.NewMemory()
	}
	if opts.Limiter == nil {
		opts.Limiter = ratelimit.NewMemory(nil)
	}
	s := &server{
		deps: deps, opts: opts, log: opts.Log, secure: strings.HasPrefix(opts.PublicURL, "https://"),
		guard:      replay.NewGuard(opts.Webhooks, opts.PlivoSignature, nil),
		localAdmin: opts.Development && isLoopbackURL(opts.PublicURL),
		fanout:     fanoutSlots(),
	}
	if u, err := url.Parse(opts.PublicURL); err == nil {
		s.publicHost = hostname(u.Host)
	}
	if opts.Development && !s.localAdmin {
		s.log.Warn("PUBLIC_URL is not this machine, so the local admin sign-in is off; " +
			"a tunnel makes the server public: run production mode with real sign-in instead (see README)")
	}
	switch {
	case len(opts.PlivoAuthTokens) == 0:
		s.log.Warn("PLIVO_AUTH_TOKEN is not set: webhook signatures are not checked (development only)")
	case opts.PlivoSignature == replay.AllowV2:
		s.log.Warn("PLIVO_SIGNATURE=v2: webhooks signed with V2 alone are accepted, though V2 signs neither their body nor their query; use auto or v3")
	}
	cfg := fiber.Config{
		AppName:               "parley",
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		BodyLimit:             maxUploadBody, // limitBody holds the rest to maxBody
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          opts.WriteTimeout,
		IdleTimeout:           90 * time.Second,
		ReadBufferSize:        16 << 10,
	}
	if len(opts.TrustedProxies) > 0 {
		// c.IP() is then X-Forwarded-For's first valid address, but only on
		// requests whose TCP peer is a trusted proxy; anyone else's header
		// is ignored. (The proxy must set the header, not append to what the
		// client sent: see deploy/nginx.conf.)
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = opts.TrustedProxies
		cfg.ProxyHeader = fiber.HeaderXForwardedFor
		cfg.EnableIPValidation = true
	}
	app := fiber.New(cfg)
	s.routes(app)
	// Fiber answers an unknown method itself, before any middleware, so the
	// 501 wraps the handler it serves with (set once, in fiber.New).
	app.Server().Handler = s.notImplemented(app, app.Server().Handler)
	return app
}
