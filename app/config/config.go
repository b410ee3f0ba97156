// Package config reads Parley's settings from the environment once, at
// start, and validates them. Nothing else in Parley reads the environment.
package config

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Environments.
const (
	Development = "development"
	Production  = "production"
)

// Config is every setting Parley reads.
type Config struct {
	Port int
	// BindAddress is the interface to listen on: loopback in development
	// (the development sign-in must not face a network), all interfaces in
	// production.
	BindAddress string
	Env         string
	DatabaseURL string
	// GroupCommitOff gives each inbound text and delivery report its own
	// transaction (GROUP_COMMIT=off) instead of sharing one among
	// concurrent webhooks.
	GroupCommitOff bool
	// GroupCommitTransactions is how many shared transactions PostgreSQL
	// runs at once (GROUP_COMMIT_TRANSACTIONS, 1 to 64); 0 is the default.
	GroupCommitTransactions int
	RedisURL                string
	// RedisChannel is the pub/sub channel live events travel on; every
	// instance of one deployment uses the same, and deployments sharing a
	// Redis each need their own. Empty means parley:events.
	RedisChannel string
	// PublicURL is the base URL Plivo and browsers reach Parley at, without
	// a trailing slash. Webhook signatures are checked against it.
	PublicURL     string
	SessionSecret string
	// SessionSecretPrevious still opens cookies sealed before a rotation.
	SessionSecretPrevious string
	PlivoAuthID           string
	// PlivoAuthTokens holds one or more tokens (comma-separated in
	// PLIVO_AUTH_TOKEN): a main account and a subaccount, or the old and new
	// token during a rotation. The first signs outgoing API requests.
	PlivoAuthTokens   []string
	PlivoPhoneNumbers []string
	// PlivoNumberNames names the inbox each number is, where
	// PLIVO_PHONE_NUMBER gives a name ("+14155550199=Support").
	PlivoNumberNames map[string]string
	// PlivoAPIURL is Plivo's API base; empty means the plivo package's
	// default (plivo.DefaultAPIURL).
	PlivoAPIURL string
	// PlivoSignature says when a webhook signed with V2 alone is accepted:
	// "auto" (the default) until the account has sent one valid V3
	// signature, "v3" never, "v2" always.
	PlivoSignature string
	LogLevel       string

	GoogleClientID     string
	GoogleClientSecret string
	GitHubClientID     string
	GitHubClientSecret string
	// GitHubBaseURL points sign-in at a GitHub Enterprise Server; empty
	// means github.com.
	GitHubBaseURL       string
	AdminEmails         []string
	AllowedEmailDomains []string

	// SendLimitPerMinute and SendLimitPerDay bound how many messages one
	// agent may queue; zero means the inbox's defaults
	// (inbox.DefaultSendsPerMinute, inbox.DefaultSendsPerDay).
	SendLimitPerMinute int
	SendLimitPerDay    int
	// APIRequestsPerMinute bounds each API token's requests; zero means
	// web.DefaultAPIRequestsPerMinute.
	APIRequestsPerMinute int
	// SendPaceOff turns per-number pacing off (SEND_PACE=off); SendRates
	// sets some numbers' rates in messages per second (SEND_RATES).
	SendPaceOff bool
	SendRates   map[string]float64
	// SimulatedUndeliveredPercent is the share (0 to 100) of sends the
	// development carrier reports undelivered.
	SimulatedUndeliveredPercent float64
	// EventsRetention is how long the event log keeps events for live
	// clients to catch up from after a reconnect; older ones are deleted.
	EventsRetention time.Duration
	// MaxStreamsPerUser bounds the live streams (tabs) one user holds open
	// on one instance; zero means the hub's default
	// (live.DefaultMaxStreamsPerUser).
	MaxStreamsPerUser int
	// LiveReplayMaxEvents and LiveReplayMaxAge cap what a live stream
	// replays when it resumes; a browser further behind is told to
	// refresh instead. Zero means the web server's defaults
	// (web.DefaultReplayMaxEvents, web.DefaultReplayMaxAge).
	LiveReplayMaxEvents int
	LiveReplayMaxAge    time.Duration
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For names the client. Empty trusts no header: the
	// client is the TCP peer.
	TrustedProxies []string

	// MetricsAddress is where Prometheus metrics are served (/metrics), on
	// a listener of their own; empty serves none.
	MetricsAddress string
	// DebugAddress is where Go's profiler is served (/debug/pprof/);
	// empty, the default, serves none.
	DebugAddress string

	// WebhooksAllowPrivate lets outgoing webhooks reach loopback, private
	// and link-local addresses: on by default in development, off in
	// production.
	WebhooksAllowPrivate bool
	// WebhooksTimeout bounds one webhook request.
	WebhooksTimeout time.Duration
	// Media is where attachments are kept.
	Media Media
}

// GoogleEnabled reports whether Google sign-in is configured.
func (c Config) GoogleEnabled() bool { return c.GoogleClientID != "" }

// GitHubEnabled reports whether GitHub sign-in is configured.
func (c Config) GitHubEnabled() bool { return c.GitHubClientID != "" }

// Development reports whether Parley runs in development mode.
func (c Config) Development() bool { return c.Env == Development }

// Load reads the configuration through getenv (os.Getenv, or a lookup that
// layers a .env file under it) and validates it. The error names every
// variable that is wrong and says why.
func Load(getenv func(string) string) (Config, error) {
	r := &reader{getenv: getenv}
	var c Config
	r.readServer(&c)
	r.readDatabaseAndBus(&c)
	r.readSignIn(&c)
	r.readPlivo(&c)
	r.readObservability(&c)
	r.readLimits(&c)
	r.readLive(&c)
	r.readSending(&c)
	r.readWebhooks(&c)
	r.readMedia(&c)
	if c.Env == Production {
		r.requireForProduction(c)
	}
	if len(r.errs) > 0 {
		return Config{}, fmt.Errorf("config: %w", errors.Join(r.errs...))
	}
	return c, nil
}

// requireForProduction refuses the settings development can do without.
func (r *reader) requireForProduction(c Config) {
	if !c.GoogleEnabled() && !c.GitHubEnabled() {
		r.bad("GOOGLE_CLIENT_ID", "production needs a sign-in provider: set GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET or GITHUB_CLIENT_ID/GITHUB_CLIENT_SECRET")
	}
	required := []struct{ name, value string }{
		{"PUBLIC_URL", c.PublicURL},
		{"SESSION_SECRET", c.SessionSecret},
		{"PLIVO_AUTH_ID", c.PlivoAuthID},
		{"PLIVO_AUTH_TOKEN", strings.Join(c.PlivoAuthTokens, ",")},
	}
	for _, req := range required {
		if req.value == "" {
			r.bad(req.name, "is required in production")
		}
	}
}
