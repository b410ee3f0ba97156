package inbox

import (
	"context"
	"sync/atomic"
	"time"
)

// Service holds the use cases. It is safe for concurrent use.
type Service struct {
	store  Store
	users  Users
	pub    Publisher
	clock  Clock
	access AccessPolicy
	// numbers are our Plivo numbers, in order of preference.
	numbers []Number
	names   map[Number]string
	// inboxNumbers are the numbers connected on the Plivo screen, read
	// into channelSet by RefreshChannels.
	inboxNumbers InboxNumbers
	channelSet   atomic.Pointer[channelSet]
	limiter      RateLimiter
	limits       SendLimits
	rules        *settingsCache[[]KeywordRule]
	hours        *settingsCache[BusinessHours]
	tokens       APITokens
	// hooks queues outgoing webhooks with the events; webhooks keeps
	// their endpoints. Either may be nil: no webhooks.
	hooks    *WebhookFanout
	webhooks WebhookStore
	checkURL func(ctx context.Context, rawURL string) error
	// group, when set, lets concurrent inbound texts share a transaction.
	group GroupCommitter
}

// Options are the ports and policies of a Service. Store and Users are
// required; a nil Clock means the system clock; a nil Publisher publishes
// nothing.
type Options struct {
	Store     Store
	Users     Users
	Publisher Publisher
	Clock     Clock
	Access    AccessPolicy
	// Numbers are our sending numbers; the first starts new conversations
	// unless another is chosen.
	Numbers []Number
	// NumberNames names the inbox each number is; unnamed ones show the
	// number.
	NumberNames map[Number]string
	// InboxNumbers adds the numbers connected on the Plivo screen to
	// Numbers (see RefreshChannels); nil adds none.
	InboxNumbers InboxNumbers
	// Limiter counts each agent's sends against SendLimits; nil sets no
	// limit.
	Limiter    RateLimiter
	SendLimits SendLimits
	// SettingsTTL is how long inbound texts reuse the keyword rules and
	// business hours they read; this Service's own edits take effect at
	// once, other instances' within the TTL. Zero reads them for every
	// text.
	SettingsTTL time.Duration
	// Tokens keeps API tokens; nil turns the API off.
	Tokens APITokens
	// WebhookFanout queues outgoing webhooks in each change's transaction
	// (the Outbox shares it); Webhooks keeps the endpoints and deliveries.
	// Without them no webhook is queued and the screens say so.
	WebhookFanout *WebhookFanout
	Webhooks      WebhookStore
	// CheckWebhookURL refuses an endpoint URL Parley must not call (see
	// the webhooks adapter's SSRF guard); nil checks only its form.
	CheckWebhookURL func(ctx context.Context, rawURL string) error
	// GroupCommit, when set, writes concurrent inbound texts several to a
	// transaction; nil gives each its own.
	GroupCommit GroupCommitter
}

// NewService returns a Service over its ports.
func NewService(o Options) *Service {
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Publisher == nil {
		o.Publisher = nopPublisher{}
	}
	return &Service{store: o.Store, users: o.Users, pub: o.Publisher, clock: o.Clock, access: o.Access, numbers: o.Numbers, names: o.NumberNames, inboxNumbers: o.InboxNumbers,
		limiter: o.Limiter, limits: o.SendLimits.withDefaults(), rules: &settingsCache[[]KeywordRule]{ttl: o.SettingsTTL}, hours: &settingsCache[BusinessHours]{ttl: o.SettingsTTL}, tokens: o.Tokens,
		hooks: o.WebhookFanout, webhooks: o.Webhooks, checkURL: o.CheckWebhookURL, group: o.GroupCommit}
}

// now is the clock's time in UTC, at the microsecond precision both
// databases keep, so stored values read back equal.
func (s *Service) now() time.Time {
	return s.clock.Now().UTC().Truncate(time.Microsecond)
}

type nopPublisher struct{}

func (nopPublisher) Publish(_ context.Context, _ ...Event) {}
