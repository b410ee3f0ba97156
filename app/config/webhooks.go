package config

import "time"

// DefaultWebhooksTimeout bounds one outgoing webhook request unless
// WEBHOOKS_TIMEOUT says otherwise.
const DefaultWebhooksTimeout = 10 * time.Second

// readWebhooks reads the outgoing webhooks' settings. Private addresses
// are refused in production unless WEBHOOKS_ALLOW_PRIVATE=true: an admin
// must not be able to point Parley at the cloud's metadata service or an
// internal admin page. Development allows them, for a receiver on the
// same machine.
func (r *reader) readWebhooks(c *Config) {
	c.WebhooksAllowPrivate = c.Env != Production
	switch v := r.lower("WEBHOOKS_ALLOW_PRIVATE"); v {
	case "":
	case "true", "1", "yes":
		c.WebhooksAllowPrivate = true
	case "false", "0", "no":
		c.WebhooksAllowPrivate = false
	default:
		r.bad("WEBHOOKS_ALLOW_PRIVATE", "must be true or false, got %q", v)
	}
	c.WebhooksTimeout = DefaultWebhooksTimeout
	if v := r.get("WEBHOOKS_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > time.Minute {
			r.bad("WEBHOOKS_TIMEOUT", "must be a duration from 1s to 1m, like 10s, got %q", v)
		} else {
			c.WebhooksTimeout = d
		}
	}
}
