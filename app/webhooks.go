package main

import (
	"context"
	"time"

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

// trimWebhookLog deletes delivered and failed webhook deliveries older
// than inbox.WebhookLogRetention; trimLogs calls it hourly.
func (m *Main) trimWebhookLog(ctx context.Context) {
	n, err := m.Store.DeleteWebhookDeliveriesBefore(ctx, time.Now().Add(-inbox.WebhookLogRetention))
	switch {
	case err != nil && ctx.Err() == nil:
		m.Log.Warn("trim webhook deliveries", "err", err)
	case n > 0:
		m.Log.Info("trimmed webhook deliveries", "deleted", n)
	}
}
