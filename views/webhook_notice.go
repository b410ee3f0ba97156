package views

import "context"

type webhookNoticeKey struct{}

// WithWebhookPaused returns ctx telling the layout that an outgoing
// webhook endpoint is paused after failing. The web layer sets it for
// admins only, from a cached flag.
func WithWebhookPaused(ctx context.Context) context.Context {
	return context.WithValue(ctx, webhookNoticeKey{}, true)
}

// webhookPaused reports whether WithWebhookPaused was set.
func webhookPaused(ctx context.Context) bool {
	paused, _ := ctx.Value(webhookNoticeKey{}).(bool)
	return paused
}
