// Package config reads Parley's settings from the environment once, at
// start, and validates them. Nothing else in Parley reads the environment.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Environments.
const (
	Development = "development"
	Production  = "production"
)

// DefaultPlivoAPIURL is Plivo's API base.
const DefaultPlivoAPIURL = "https://api.plivo.com/"

// devSessionSecret keys development sessions so they survive restarts. It
// is public, which is why production refuses to start without its own.
const devSessionSecret = "parley-development-session-secret-not-for-production"

// Config is every setting Parley reads.
type Config struct {
	Port int
	// BindAddress is the interface to listen on: loopback in development
	// (the development sign-in must not face a network), all interfaces in
	// production.
	BindAddress string
	Env         string
	DatabaseURL string
	RedisURL    string
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
	PlivoAPIURL      string
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
	// agent may queue.
	SendLimitPerMinute int
	SendLimitPerDay    int
	// SimulatedUndeliveredPercent is the share (0 to 100) of sends the
	// development carrier reports undelivered.
	SimulatedUndeliveredPercent float64
	// EventsRetention is how long the event log keeps events for live
	// clients to catch up from after a reconnect; older ones are deleted.
	EventsRetention time.Duration
	// MaxStreamsPerUser bounds the live streams (tabs) one user holds open
	// on one instance.
	MaxStreamsPerUser int
	// LiveReplayMaxEvents and LiveReplayMaxAge cap what a live stream
	// replays when it resumes; a browser further behind is told to
	// refresh instead.
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
}

// DefaultEventsRetention is how long events are kept unless
// PARLEY_EVENTS_RETENTION says otherwise.
const DefaultEventsRetention = 7 * 24 * time.Hour

// DefaultMaxStreamsPerUser is MaxStreamsPerUser unless
// LIVE_MAX_STREAMS_PER_USER says otherwise: enough for a few tabs and
// reconnects the server has not noticed yet.
const DefaultMaxStreamsPerUser = 8

// Defaults of LiveReplayMaxEvents and LiveReplayMaxAge.
const (
	DefaultLiveReplayMaxEvents = 1000
	DefaultLiveReplayMaxAge    = time.Hour
)

// Default send limits per agent.
const (
	DefaultSendLimitPerMinute = 60
	DefaultSendLimitPerDay    = 1000
)

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
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }

	c := Config{
		Env:            strings.ToLower(get("PARLEY_ENV")),
		DatabaseURL:    get("DATABASE_URL"),
		RedisURL:       get("REDIS_URL"),
		RedisChannel:   strings.TrimSpace(get("REDIS_CHANNEL")),
		PlivoAuthID:    get("PLIVO_AUTH_ID"),
		PlivoAPIURL:    get("PLIVO_API_URL"),
		PlivoSignature: strings.ToLower(get("PLIVO_SIGNATURE")),
		LogLevel:       strings.ToLower(get("LOG_LEVEL")),
	}
	if c.Env == "" {
		c.Env = Development
	}
	if c.Env != Development && c.Env != Production {
		bad("PARLEY_ENV", "must be %q or %q, got %q", Development, Production, c.Env)
	}

	c.Port = 3000
	if p := get("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			bad("PORT", "must be a port number from 1 to 65535, got %q", p)
		}
		c.Port = n
	}
	c.BindAddress = get("BIND_ADDRESS")
	if c.BindAddress == "" {
		c.BindAddress = "0.0.0.0"
		if c.Env == Development {
			c.BindAddress = "127.0.0.1"
		}
	} else if net.ParseIP(c.BindAddress) == nil && c.BindAddress != "localhost" {
		bad("BIND_ADDRESS", "must be an IP address such as 127.0.0.1 or 0.0.0.0, got %q", c.BindAddress)
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite://data/parley.db"
	} else if strings.Contains(c.DatabaseURL, "://") && !hasAnyPrefix(c.DatabaseURL, "postgres://", "postgresql://", "sqlite://") {
		bad("DATABASE_URL", "must start with postgres://, postgresql:// or sqlite://, or be a file path")
	}
	if c.RedisURL != "" && !hasAnyPrefix(c.RedisURL, "redis://", "rediss://", "unix://") {
		bad("REDIS_URL", "must start with redis://, rediss:// or unix://")
	}

	c.PublicURL = strings.TrimRight(get("PUBLIC_URL"), "/")
	if c.PublicURL == "" && c.Env == Development {
		c.PublicURL = fmt.Sprintf("http://localhost:%d", c.Port)
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			bad("PUBLIC_URL", "must be an absolute http:// or https:// URL without query, like https://sms.example.com")
		}
	}

	c.SessionSecret = get("SESSION_SECRET")
	if c.SessionSecret == "" && c.Env == Development {
		c.SessionSecret = devSessionSecret
	}
	if c.SessionSecret != "" && len(c.SessionSecret) < 32 {
		bad("SESSION_SECRET", "must be at least 32 characters (try: openssl rand -base64 48)")
	}
	c.SessionSecretPrevious = get("SESSION_SECRET_PREVIOUS")

	c.PlivoAuthTokens = splitList(get("PLIVO_AUTH_TOKEN"))
	for _, entry := range splitList(get("PLIVO_PHONE_NUMBER")) {
		n, name, _ := strings.Cut(entry, "=")
		n, name = strings.TrimSpace(n), strings.TrimSpace(name)
		if !isE164(n) {
			bad("PLIVO_PHONE_NUMBER", "%q is not an E.164 number like +14155550199 (optionally with a name: +14155550199=Support)", n)
			continue
		}
		c.PlivoPhoneNumbers = append(c.PlivoPhoneNumbers, n)
		if name != "" {
			if c.PlivoNumberNames == nil {
				c.PlivoNumberNames = map[string]string{}
			}
			c.PlivoNumberNames[n] = name
		}
	}
	if c.PlivoAPIURL == "" {
		c.PlivoAPIURL = DefaultPlivoAPIURL
	} else if u, err := url.Parse(c.PlivoAPIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("PLIVO_API_URL", "must be an absolute http:// or https:// URL")
	}

	switch c.PlivoSignature {
	case "":
		c.PlivoSignature = "auto"
	case "auto", "v3", "v2":
	default:
		bad("PLIVO_SIGNATURE", "must be auto, v3 or v2, got %q", c.PlivoSignature)
	}

	switch c.LogLevel {
	case "":
		c.LogLevel = "info"
	case "debug", "info", "warn", "error":
	default:
		bad("LOG_LEVEL", "must be debug, info, warn or error, got %q", c.LogLevel)
	}

	c.GoogleClientID, c.GoogleClientSecret = get("GOOGLE_CLIENT_ID"), get("GOOGLE_CLIENT_SECRET")
	c.GitHubClientID, c.GitHubClientSecret = get("GITHUB_CLIENT_ID"), get("GITHUB_CLIENT_SECRET")
	pairs := []struct{ id, secret, idName, secretName string }{
		{c.GoogleClientID, c.GoogleClientSecret, "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"},
		{c.GitHubClientID, c.GitHubClientSecret, "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"},
	}
	for _, p := range pairs {
		if (p.id == "") != (p.secret == "") {
			bad(p.idName, "%s and %s must be set together", p.idName, p.secretName)
		}
	}
	c.GitHubBaseURL = strings.TrimRight(get("GITHUB_BASE_URL"), "/")
	if c.GitHubBaseURL != "" {
		if u, err := url.Parse(c.GitHubBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("GITHUB_BASE_URL", "must be an absolute URL like https://github.example.com")
		}
	}
	c.AdminEmails = splitList(strings.ToLower(get("ADMIN_EMAILS")))
	for _, e := range c.AdminEmails {
		if !strings.Contains(e, "@") {
			bad("ADMIN_EMAILS", "%q is not an email address", e)
		}
	}
	c.AllowedEmailDomains = splitList(strings.ToLower(get("ALLOWED_EMAIL_DOMAINS")))
	for _, d := range c.AllowedEmailDomains {
		if strings.Contains(d, "@") || !strings.Contains(d, ".") {
			bad("ALLOWED_EMAIL_DOMAINS", "%q is not a domain like example.com", d)
		}
	}

	c.SendLimitPerMinute = intSetting(get, bad, "SEND_LIMIT_PER_MINUTE", DefaultSendLimitPerMinute, 1, 100_000)
	c.SendLimitPerDay = intSetting(get, bad, "SEND_LIMIT_PER_DAY", DefaultSendLimitPerDay, 1, 10_000_000)
	if c.SendLimitPerDay < c.SendLimitPerMinute {
		bad("SEND_LIMIT_PER_DAY", "must be at least SEND_LIMIT_PER_MINUTE (%d), got %d", c.SendLimitPerMinute, c.SendLimitPerDay)
	}
	if p := get("SIMULATED_UNDELIVERED_PERCENT"); p != "" {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f < 0 || f > 100 {
			bad("SIMULATED_UNDELIVERED_PERCENT", "must be a number from 0 to 100, got %q", p)
		}
		c.SimulatedUndeliveredPercent = f
	}

	c.EventsRetention = DefaultEventsRetention
	if v := get("PARLEY_EVENTS_RETENTION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			bad("PARLEY_EVENTS_RETENTION", "must be a duration of at least 1m, like 168h for 7 days, got %q", v)
		} else {
			c.EventsRetention = d
		}
	}

	c.MaxStreamsPerUser = intSetting(get, bad, "LIVE_MAX_STREAMS_PER_USER", DefaultMaxStreamsPerUser, 1, 100000)
	c.LiveReplayMaxEvents = intSetting(get, bad, "LIVE_REPLAY_MAX_EVENTS", DefaultLiveReplayMaxEvents, 1, 1_000_000)
	c.LiveReplayMaxAge = DefaultLiveReplayMaxAge
	if v := get("LIVE_REPLAY_MAX_AGE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			bad("LIVE_REPLAY_MAX_AGE", "must be a duration of at least 1m, like 1h, got %q", v)
		} else {
			c.LiveReplayMaxAge = d
		}
	}

	c.TrustedProxies = splitList(get("TRUSTED_PROXIES"))
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				bad("TRUSTED_PROXIES", "%q is not an IP address or CIDR range like 10.0.0.0/8", p)
			}
		}
	}

	c.MetricsAddress, c.DebugAddress = get("METRICS_ADDRESS"), get("DEBUG_ADDRESS")
	for _, a := range []struct{ name, value string }{{"METRICS_ADDRESS", c.MetricsAddress}, {"DEBUG_ADDRESS", c.DebugAddress}} {
		if a.value == "" {
			continue
		}
		if _, port, err := net.SplitHostPort(a.value); err != nil || port == "" {
			bad(a.name, "must be host:port, like 127.0.0.1:9090, got %q", a.value)
		}
	}

	if c.Env == Production {
		if !c.GoogleEnabled() && !c.GitHubEnabled() {
			bad("GOOGLE_CLIENT_ID", "production needs a sign-in provider: set GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET or GITHUB_CLIENT_ID/GITHUB_CLIENT_SECRET")
		}
		required := []struct{ name, value string }{
			{"PUBLIC_URL", c.PublicURL},
			{"SESSION_SECRET", c.SessionSecret},
			{"PLIVO_AUTH_ID", c.PlivoAuthID},
			{"PLIVO_AUTH_TOKEN", strings.Join(c.PlivoAuthTokens, ",")},
		}
		for _, r := range required {
			if r.value == "" {
				bad(r.name, "is required in production")
			}
		}
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return c, nil
}

// Redacted returns the settings as name=value pairs safe to log: secrets
// are reduced to whether they are set, passwords in URLs hidden.
func (c Config) Redacted() []any {
	return []any{
		"env", c.Env, "bind", c.BindAddress, "port", c.Port, "public_url", c.PublicURL,
		"database", redactURL(c.DatabaseURL), "redis", redactURL(c.RedisURL),
		"plivo_auth_id", c.PlivoAuthID != "", "plivo_auth_tokens", len(c.PlivoAuthTokens),
		"plivo_numbers", strings.Join(c.PlivoPhoneNumbers, ","), "plivo_api", c.PlivoAPIURL,
		"plivo_signature", c.PlivoSignature,
		"google_signin", c.GoogleEnabled(), "github_signin", c.GitHubEnabled(), "github_base", c.GitHubBaseURL,
		"admin_emails", len(c.AdminEmails), "allowed_domains", strings.Join(c.AllowedEmailDomains, ","),
		"send_limit_per_minute", c.SendLimitPerMinute, "send_limit_per_day", c.SendLimitPerDay,
		"simulated_undelivered_percent", c.SimulatedUndeliveredPercent,
		"events_retention", c.EventsRetention.String(), "max_streams_per_user", c.MaxStreamsPerUser,
		"live_replay_max_events", c.LiveReplayMaxEvents, "live_replay_max_age", c.LiveReplayMaxAge.String(),
		"trusted_proxies", strings.Join(c.TrustedProxies, ","),
		"metrics_address", c.MetricsAddress, "debug_address", c.DebugAddress,
	}
}

// intSetting reads a whole number from lo to hi, def when unset.
func intSetting(get func(string) string, bad func(string, string, ...any), name string, def, lo, hi int) int {
	v := get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		bad(name, "must be a whole number from %d to %d, got %q", lo, hi, v)
		return def
	}
	return n
}

func redactURL(s string) string {
	if s == "" || !strings.Contains(s, "://") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
