package config

import (
	"net/url"
	"strings"
)

// Redacted returns the settings as name=value pairs safe to log: secrets
// are reduced to whether they are set, passwords in URLs hidden. A zero
// limit is logged as 0: its package applies the default.
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
		"api_requests_per_minute", c.APIRequestsPerMinute,
		"simulated_undelivered_percent", c.SimulatedUndeliveredPercent,
		"send_pace_off", c.SendPaceOff, "group_commit_off", c.GroupCommitOff, "group_commit_transactions", c.GroupCommitTransactions, "send_rates", len(c.SendRates),
		"events_retention", c.EventsRetention.String(), "max_streams_per_user", c.MaxStreamsPerUser,
		"live_replay_max_events", c.LiveReplayMaxEvents, "live_replay_max_age", c.LiveReplayMaxAge.String(),
		"trusted_proxies", strings.Join(c.TrustedProxies, ","),
		"metrics_address", c.MetricsAddress, "debug_address", c.DebugAddress,
		"media_dir", c.Media.Dir, "media_s3_bucket", c.Media.S3Bucket, "media_s3_endpoint", c.Media.S3Endpoint,
	}
}

func hasScheme(s string) bool { return strings.Contains(s, "://") }

// redactURL hides the password of a DATABASE_URL or REDIS_URL so it can
// be logged; a plain file path comes back as it is. It mirrors
// store.RedactDSN because config imports nothing of ours.
func redactURL(s string) string {
	if s == "" || !hasScheme(s) {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}
