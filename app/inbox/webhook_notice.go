package inbox

import "context"

// WebhookPausedByFailure reports whether any outgoing webhook endpoint is
// paused after failing, for the notice admins see on every page. It reads
// the fan-out's cached subscriptions, which every incoming text reads
// too, so a page costs no query while the cache is fresh. Errors:
// EUNAVAILABLE.
func (s *Service) WebhookPausedByFailure(ctx context.Context) (bool, error) {
	if s.hooks == nil || s.webhooks == nil {
		return false, nil
	}
	subs, err := s.hooks.subs.get(ctx, s.webhooks.WebhookSubscriptions)
	if err != nil {
		return false, unavailable(err)
	}
	for _, sub := range subs {
		if sub.PausedByFailure {
			return true, nil
		}
	}
	return false, nil
}
