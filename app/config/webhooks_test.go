package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/config"
)

func production(extra map[string]string) map[string]string {
	m := map[string]string{
		"PARLEY_ENV": "production", "PUBLIC_URL": "https://sms.example.com",
		"SESSION_SECRET": strings.Repeat("s", 40), "PLIVO_AUTH_ID": "MAXXXX", "PLIVO_AUTH_TOKEN": "tok",
		"GITHUB_CLIENT_ID": "gh", "GITHUB_CLIENT_SECRET": "ghs",
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestWebhookSettings(t *testing.T) {
	for _, tt := range []struct {
		name    string
		env     map[string]string
		private bool
		timeout time.Duration
	}{
		{"development allows private addresses", nil, true, config.DefaultWebhooksTimeout},
		{"production refuses them", production(nil), false, config.DefaultWebhooksTimeout},
		{"production, allowed", production(map[string]string{"WEBHOOKS_ALLOW_PRIVATE": "true", "WEBHOOKS_TIMEOUT": "5s"}), true, 5 * time.Second},
		{"development, refused", map[string]string{"WEBHOOKS_ALLOW_PRIVATE": "FALSE"}, false, config.DefaultWebhooksTimeout},
	} {
		c, err := config.Load(env(tt.env))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if c.WebhooksAllowPrivate != tt.private || c.WebhooksTimeout != tt.timeout {
			t.Errorf("%s: allow private %v, timeout %s; want %v, %s", tt.name, c.WebhooksAllowPrivate, c.WebhooksTimeout, tt.private, tt.timeout)
		}
	}
	for _, bad := range []map[string]string{
		{"WEBHOOKS_ALLOW_PRIVATE": "maybe"}, {"WEBHOOKS_TIMEOUT": "500ms"}, {"WEBHOOKS_TIMEOUT": "2m"}, {"WEBHOOKS_TIMEOUT": "soon"},
	} {
		_, err := config.Load(env(bad))
		for name := range bad {
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%v: err %v, want it to name %s", bad, err, name)
			}
		}
	}
}
