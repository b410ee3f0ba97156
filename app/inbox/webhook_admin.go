package inbox

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
)

// WebhookLogSize is how many deliveries an endpoint's log shows.
const WebhookLogSize = 50

// errNoWebhooks is the answer of every webhook use case when the Service
// was built without a WebhookStore.
var errNoWebhooks = Errorf(EUNAVAILABLE, "outgoing webhooks are not set up on this server")

func (s *Service) webhookAdmin(actor User) error {
	if !actor.IsAdmin() {
		return Errorf(EFORBIDDEN, "only admins can change webhooks")
	}
	if s.webhooks == nil {
		return errNoWebhooks
	}
	return nil
}

// WebhookEndpoints returns every endpoint. Errors: EFORBIDDEN unless actor
// is an admin; EUNAVAILABLE.
func (s *Service) WebhookEndpoints(ctx context.Context, actor User) ([]WebhookEndpoint, error) {
	if err := s.webhookAdmin(actor); err != nil {
		return nil, err
	}
	eps, err := s.webhooks.WebhookEndpoints(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	return eps, nil
}

// WebhookEndpoint returns one endpoint and its latest deliveries, newest
// first. Errors: EFORBIDDEN; ENOTFOUND; EUNAVAILABLE.
func (s *Service) WebhookEndpoint(ctx context.Context, actor User, id int64) (WebhookEndpoint, []WebhookDelivery, error) {
	if err := s.webhookAdmin(actor); err != nil {
		return WebhookEndpoint{}, nil, err
	}
	ep, err := s.webhooks.FindWebhookEndpoint(ctx, id)
	if err != nil {
		return WebhookEndpoint{}, nil, unavailable(err)
	}
	ds, err := s.webhooks.WebhookDeliveries(ctx, id, WebhookLogSize)
	if err != nil {
		return WebhookEndpoint{}, nil, unavailable(err)
	}
	return ep, ds, nil
}

// SaveWebhookEndpoint adds an endpoint (ID 0), with a new secret, or
// changes one's URL, kind and events (its secret stays). The URL must be
// http or https, and one Parley may call (CheckWebhookURL: no loopback or
// private address unless allowed).
//
// Errors: EFORBIDDEN; EINVALID (field "url", "kind" or "events");
// ENOTFOUND; EUNAVAILABLE.
func (s *Service) SaveWebhookEndpoint(ctx context.Context, actor User, e WebhookEndpoint) (WebhookEndpoint, error) {
	if err := s.webhookAdmin(actor); err != nil {
		return WebhookEndpoint{}, err
	}
	if err := s.validateWebhook(ctx, &e); err != nil {
		return WebhookEndpoint{}, err
	}
	now := s.now()
	action := AuditWebhookEdited
	if e.ID == 0 {
		action, e.Secret, e.CreatedAt = AuditWebhookCreated, NewWebhookSecret(), now
	} else {
		old, err := s.webhooks.FindWebhookEndpoint(ctx, e.ID)
		if err != nil {
			return WebhookEndpoint{}, unavailable(err)
		}
		e.Secret, e.PreviousSecret, e.PreviousSecretUntil = old.Secret, old.PreviousSecret, old.PreviousSecretUntil
		e.CreatedAt, e.PausedAt, e.PauseReason = old.CreatedAt, old.PausedAt, old.PauseReason
	}
	e.UpdatedAt = now
	detail := string(e.Kind) + ": " + joinTypes(e.Events)
	if err := s.webhooks.SaveWebhookEndpoint(ctx, &e, s.auditEntry(actor, action, e.Host(), detail)); err != nil {
		return WebhookEndpoint{}, unavailable(err)
	}
	s.hooks.invalidate()
	return e, nil
}

func (s *Service) validateWebhook(ctx context.Context, e *WebhookEndpoint) error {
	e.URL = strings.TrimSpace(e.URL)
	u, err := url.Parse(e.URL)
	switch {
	case e.URL == "":
		return FieldError("url", "enter the URL Parley should call")
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "":
		return FieldError("url", "enter a full http:// or https:// URL")
	case u.User != nil:
		return FieldError("url", "a URL with a user name or password is not accepted; use the signing secret")
	case len(e.URL) > 2000:
		return FieldError("url", "the URL is longer than 2000 characters")
	}
	if s.checkURL != nil {
		if err := s.checkURL(ctx, e.URL); err != nil {
			return FieldError("url", "%s", err.Error())
		}
	}
	if e.Kind == "" {
		e.Kind = WebhookStandard
	}
	if e.Kind != WebhookStandard && e.Kind != WebhookSlack {
		return FieldError("kind", "choose Standard Webhooks or Slack incoming webhook")
	}
	var events []WebhookEventType
	for _, t := range WebhookEventTypes {
		if slices.Contains(e.Events, t) {
			events = append(events, t)
		}
	}
	for _, t := range e.Events {
		if !slices.Contains(WebhookEventTypes, t) {
			return FieldError("events", "%q is not an event Parley sends", string(t))
		}
	}
	if len(events) == 0 {
		return FieldError("events", "choose at least one event")
	}
	e.Events = events
	return nil
}

func joinTypes(ts []WebhookEventType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// DeleteWebhookEndpoint removes an endpoint and its queued and logged
// deliveries. Errors: EFORBIDDEN; ENOTFOUND; EUNAVAILABLE.
func (s *Service) DeleteWebhookEndpoint(ctx context.Context, actor User, id int64) error {
	if err := s.webhookAdmin(actor); err != nil {
		return err
	}
	ep, err := s.webhooks.FindWebhookEndpoint(ctx, id)
	if err != nil {
		return unavailable(err)
	}
	if err := s.webhooks.DeleteWebhookEndpoint(ctx, id, s.auditEntry(actor, AuditWebhookDeleted, ep.Host(), "")); err != nil {
		return unavailable(err)
	}
	s.hooks.invalidate()
	return nil
}

// WebhookRotationGrace is how long the secret a rotation replaced still
// signs requests beside the new one.
const WebhookRotationGrace = 24 * time.Hour

// RotateWebhookSecret gives an endpoint a new secret and returns it; the
// old one signs too for WebhookRotationGrace. Errors: EFORBIDDEN; ENOTFOUND;
// EUNAVAILABLE.
func (s *Service) RotateWebhookSecret(ctx context.Context, actor User, id int64) (WebhookEndpoint, error) {
	if err := s.webhookAdmin(actor); err != nil {
		return WebhookEndpoint{}, err
	}
	ep, err := s.webhooks.FindWebhookEndpoint(ctx, id)
	if err != nil {
		return WebhookEndpoint{}, unavailable(err)
	}
	now := s.now()
	until := now.Add(WebhookRotationGrace)
	ep.PreviousSecret, ep.PreviousSecretUntil = ep.Secret, &until
	ep.Secret, ep.UpdatedAt = NewWebhookSecret(), now
	if err := s.webhooks.SaveWebhookEndpoint(ctx, &ep, s.auditEntry(actor, AuditWebhookRotated, ep.Host(), "")); err != nil {
		return WebhookEndpoint{}, unavailable(err)
	}
	return ep, nil
}

// PauseWebhookEndpoint holds an endpoint's deliveries until it is
// resumed; they stay queued. Errors: EFORBIDDEN; ENOTFOUND; EUNAVAILABLE.
func (s *Service) PauseWebhookEndpoint(ctx context.Context, actor User, id int64) error {
	if err := s.webhookAdmin(actor); err != nil {
		return err
	}
	ep, err := s.webhooks.FindWebhookEndpoint(ctx, id)
	if err != nil {
		return unavailable(err)
	}
	reason := "Paused by " + actor.DisplayName() + "."
	if _, err := s.webhooks.PauseWebhookEndpoint(ctx, id, s.now(), reason, s.auditEntry(actor, AuditWebhookPaused, ep.Host(), reason)); err != nil {
		return unavailable(err)
	}
	return nil
}

// ResumeWebhookEndpoint ends a pause: the queued deliveries go out now, in
// order, each with a fresh day of retries. Errors: EFORBIDDEN; ENOTFOUND;
// EUNAVAILABLE.
func (s *Service) ResumeWebhookEndpoint(ctx context.Context, actor User, id int64) error {
	if err := s.webhookAdmin(actor); err != nil {
		return err
	}
	ep, err := s.webhooks.FindWebhookEndpoint(ctx, id)
	if err != nil {
		return unavailable(err)
	}
	if err := s.webhooks.ResumeWebhookEndpoint(ctx, id, s.now(), s.auditEntry(actor, AuditWebhookResumed, ep.Host(), "")); err != nil {
		return unavailable(err)
	}
	s.hooks.invalidate() // the admins' paused notice reads the cache
	return nil
}

// ResendWebhookDelivery queues one delivery of an endpoint again, with the
// same payload and webhook-id, after what is already queued.
// Errors: EFORBIDDEN; ENOTFOUND (also for a delivery of another
// endpoint); EUNAVAILABLE.
func (s *Service) ResendWebhookDelivery(ctx context.Context, actor User, endpointID, deliveryID int64) (WebhookDelivery, error) {
	if err := s.webhookAdmin(actor); err != nil {
		return WebhookDelivery{}, err
	}
	d, err := s.webhooks.FindWebhookDelivery(ctx, deliveryID)
	if err != nil {
		return WebhookDelivery{}, unavailable(err)
	}
	if d.EndpointID != endpointID {
		return WebhookDelivery{}, Errorf(ENOTFOUND, "delivery not found")
	}
	ep, err := s.webhooks.FindWebhookEndpoint(ctx, endpointID)
	if err != nil {
		return WebhookDelivery{}, unavailable(err)
	}
	copied, err := s.webhooks.ResendWebhookDelivery(ctx, deliveryID, s.now(), s.auditEntry(actor, AuditWebhookResent, ep.Host(), string(d.Type)+" "+d.WebhookID()))
	if err != nil {
		return WebhookDelivery{}, unavailable(err)
	}
	return copied, nil
}
