package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// testText is what "Send a test text" sends.
const testText = "Parley test text: if this reached you, sending through Plivo works."

// handlePlivo shows Settings → Plivo.
func (s *server) handlePlivo(c *fiber.Ctx) error {
	return s.renderPlivo(c, fiber.StatusOK, views.PlivoProps{})
}

// renderPlivo reads the account and shows the screen with p's drafts.
func (s *server) renderPlivo(c *fiber.Ctx, status int, p views.PlivoProps) error {
	if s.deps.Carrier == nil {
		p.Overview = inbox.CarrierOverview{AccountError: "Plivo is not configured: set PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN."}
	} else {
		u, _ := currentUser(c)
		ov, err := s.deps.Carrier.Overview(c.UserContext(), u)
		if err != nil {
			return err
		}
		p.Overview = ov
	}
	return s.renderScreen(c, status, views.Plivo(p), views.PlivoPage(p))
}

// plivoPicks reads the ticked numbers ("pick", in form order) and their
// inbox names ("name:<number>").
func plivoPicks(c *fiber.Ctx) ([]inbox.ConnectPick, map[inbox.Number]string) {
	var picks []inbox.ConnectPick
	names := map[inbox.Number]string{}
	for _, raw := range c.Request().PostArgs().PeekMulti("pick") {
		n := inbox.Number(strings.TrimSpace(string(raw)))
		name := c.FormValue("name:" + string(n))
		picks = append(picks, inbox.ConnectPick{Number: n, Name: name})
		names[n] = name
	}
	return picks, names
}

// handlePlivoPreview shows what connecting the ticked numbers would change,
// changing nothing; refused picks come back with the reason (422).
func (s *server) handlePlivoPreview(c *fiber.Ctx) error {
	return s.plivoConnect(c, false)
}

// handlePlivoConnect connects the ticked numbers (the plan is worked out
// afresh, as the preview showed it unless the account changed since).
func (s *server) handlePlivoConnect(c *fiber.Ctx) error {
	return s.plivoConnect(c, true)
}

func (s *server) plivoConnect(c *fiber.Ctx, apply bool) error {
	if s.deps.Carrier == nil {
		return inbox.Errorf(inbox.EUNAVAILABLE, "Plivo is not configured")
	}
	picks, names := plivoPicks(c)
	u, _ := currentUser(c)
	run := s.deps.Carrier.PlanConnect
	if apply {
		run = s.deps.Carrier.Connect
	}
	plan, err := run(c.UserContext(), u, picks)
	if err != nil {
		return refuseForm(err, func(status int, reason string) error {
			return s.renderPlivo(c, status, views.PlivoProps{Picks: names, Error: reason})
		}, inbox.EINVALID, inbox.EUNAUTHORIZED, inbox.EUNAVAILABLE)
	}
	if apply {
		return s.afterSettingsChange(c, views.PlivoURL, func() error {
			return s.renderPlivo(c, fiber.StatusOK, views.PlivoProps{Done: &plan})
		})
	}
	return s.renderPlivo(c, fiber.StatusOK, views.PlivoProps{Picks: names, Plan: &plan})
}

// handlePlivoTestText sends the test text through the outbox like any new
// conversation and opens its thread, where the delivery reports show live.
// A refused phone comes back in the form with the reason (422).
func (s *server) handlePlivoTestText(c *fiber.Ctx) error {
	u, _ := currentUser(c)
	draft := views.TestTextDraft{To: strings.TrimSpace(c.FormValue("to")), From: c.FormValue("from")}
	m, err := s.deps.Inbox.StartConversation(c.UserContext(), u, draft.To, draft.From, testText)
	if err != nil {
		return refuseForm(err, func(status int, reason string) error {
			draft.Error = reason
			return s.renderPlivo(c, status, views.PlivoProps{Test: draft})
		}, inbox.EINVALID, inbox.EOPTEDOUT, inbox.EBLOCKED, inbox.ERATELIMITED)
	}
	target := views.ThreadURL(m.ConversationID)
	if isHTMX(c) {
		c.Set("HX-Redirect", target)
		return c.SendStatus(fiber.StatusOK)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}
