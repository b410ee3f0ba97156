package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// webhookRoutes are the outgoing webhooks screens, under /settings.
func (s *server) webhookRoutes(admin fiber.Router) {
	admin.Get("/webhooks", s.handleWebhooks)
	admin.Post("/webhooks", s.handleWebhookSave)
	admin.Get("/webhooks/:id", s.handleWebhookLog)
	admin.Post("/webhooks/:id", s.handleWebhookSave)
	admin.Post("/webhooks/:id/deliveries/:delivery/resend", s.handleWebhookResend)
	admin.Post("/webhooks/:id/:action", s.handleWebhookAction)
}

// handleWebhooks shows the outgoing webhooks settings screen.
func (s *server) handleWebhooks(c *fiber.Ctx) error {
	return s.renderWebhooks(c, fiber.StatusOK, views.WebhooksProps{})
}

func (s *server) renderWebhooks(c *fiber.Ctx, status int, p views.WebhooksProps) error {
	u, _ := currentUser(c)
	eps, err := s.deps.Inbox.WebhookEndpoints(c.UserContext(), u)
	if err != nil {
		return err
	}
	p.Endpoints = eps
	return s.renderScreen(c, status, views.Webhooks(p), views.WebhooksPage(p))
}

// webhooksChanged answers a change to the endpoints. The secret of a new
// or rotated endpoint is shown once, so it is rendered in the answer even
// to a plain form (no redirect that would lose it).
func (s *server) webhooksChanged(c *fiber.Ctx, secretFor int64, secret string) error {
	if secret != "" {
		return s.renderWebhooks(c, fiber.StatusOK, views.WebhooksProps{Secret: secret, SecretFor: secretFor})
	}
	return s.afterSettingsChange(c, views.WebhooksURL, func() error {
		return s.renderWebhooks(c, fiber.StatusOK, views.WebhooksProps{})
	})
}

// handleWebhookSave adds an endpoint (POST /settings/webhooks) or changes
// one (POST /settings/webhooks/{id}); a refused one comes back in its form
// with the reason (422).
func (s *server) handleWebhookSave(c *fiber.Ctx) error {
	id, err := optionalID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	e := inbox.WebhookEndpoint{ID: id, URL: c.FormValue("url"), Kind: inbox.WebhookKind(c.FormValue("kind"))}
	args := c.Context().PostArgs()
	for _, v := range args.PeekMulti("events") {
		e.Events = append(e.Events, inbox.WebhookEventType(v))
	}
	saved, err := s.deps.Inbox.SaveWebhookEndpoint(c.UserContext(), u, e)
	if err != nil {
		return refuseForm(err, func(status int, reason string) error {
			return s.renderWebhooks(c, status, views.WebhooksProps{Draft: views.WebhookDraft{ID: id, URL: e.URL, Kind: e.Kind, Events: e.Events, Error: reason}})
		})
	}
	if id == 0 {
		return s.webhooksChanged(c, saved.ID, saved.Secret)
	}
	return s.webhooksChanged(c, 0, "")
}

// handleWebhookAction deletes, pauses, resumes or rotates the secret of
// an endpoint.
func (s *server) handleWebhookAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	ctx := c.UserContext()
	switch c.Params("action") {
	case "delete":
		err = s.deps.Inbox.DeleteWebhookEndpoint(ctx, u, id)
	case "pause":
		err = s.deps.Inbox.PauseWebhookEndpoint(ctx, u, id)
	case "resume":
		err = s.deps.Inbox.ResumeWebhookEndpoint(ctx, u, id)
	case "rotate":
		ep, err := s.deps.Inbox.RotateWebhookSecret(ctx, u, id)
		if err != nil {
			return err
		}
		return s.webhooksChanged(c, ep.ID, ep.Secret)
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.webhooksChanged(c, 0, "")
}

// handleWebhookLog shows one endpoint's latest deliveries.
func (s *server) handleWebhookLog(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.renderWebhookLog(c, id)
}

func (s *server) renderWebhookLog(c *fiber.Ctx, id int64) error {
	u, _ := currentUser(c)
	ep, ds, err := s.deps.Inbox.WebhookEndpoint(c.UserContext(), u, id)
	if err != nil {
		return err
	}
	p := views.WebhookLogProps{Endpoint: ep, Deliveries: ds}
	return s.renderScreen(c, fiber.StatusOK, views.WebhookLog(p), views.WebhookLogPage(p))
}

// handleWebhookResend queues one delivery again ("Send again").
func (s *server) handleWebhookResend(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	deliveryID, err := paramID(c, "delivery")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	if _, err := s.deps.Inbox.ResendWebhookDelivery(c.UserContext(), u, id, deliveryID); err != nil {
		return err
	}
	if isHTMX(c) {
		return s.renderWebhookLog(c, id)
	}
	return c.Redirect(views.WebhookURL(id), fiber.StatusSeeOther)
}
