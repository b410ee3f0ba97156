package main

import (
	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/webhooks"
	"github.com/parleyhq/parley/views"
)

// webhookGuard is the outgoing webhooks' SSRF policy from the config.
func webhookGuard(cfg config.Config) webhooks.Guard {
	return webhooks.Guard{AllowPrivate: cfg.WebhooksAllowPrivate}
}

// newWebhookDispatcher delivers outgoing webhooks through a client that
// holds to the same policy at every connection.
func (m *Main) newWebhookDispatcher(cfg config.Config) *inbox.WebhookDispatcher {
	client := webhooks.NewClient(webhooks.Options{AllowPrivate: cfg.WebhooksAllowPrivate, Timeout: cfg.WebhooksTimeout})
	return inbox.NewWebhookDispatcher(inbox.WebhookDispatcherOptions{
		Store: m.Store, Webhooks: m.Store, Poster: client, Log: m.Log,
		ThreadURL: func(id int64) string { return cfg.PublicURL + views.ThreadURL(id) },
	})
}
