package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleCannedReplies shows the canned replies settings screen.
func (s *server) handleCannedReplies(c *fiber.Ctx) error {
	return s.renderCanned(c, fiber.StatusOK, views.CannedDraft{})
}

func (s *server) renderCanned(c *fiber.Ctx, status int, draft views.CannedDraft) error {
	rs, err := s.deps.Inbox.CannedReplies(c.UserContext())
	if err != nil {
		return err
	}
	p := views.CannedProps{Replies: rs, Draft: draft}
	return s.renderScreen(c, status, views.CannedReplies(p), views.CannedPage(p))
}

// cannedChanged answers a change to the canned replies.
func (s *server) cannedChanged(c *fiber.Ctx) error {
	return s.afterSettingsChange(c, views.CannedRepliesURL, func() error {
		return s.renderCanned(c, fiber.StatusOK, views.CannedDraft{})
	})
}

// handleCannedSave adds a canned reply (POST /settings/canned) or changes
// one (POST /settings/canned/{id}); a refused one comes back in its form
// with the reason (422).
func (s *server) handleCannedSave(c *fiber.Ctx) error {
	id, err := optionalID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	r := inbox.CannedReply{ID: id, Name: c.FormValue("name"), Body: c.FormValue("body")}
	if _, err := s.deps.Inbox.SaveCannedReply(c.UserContext(), u, r); err != nil {
		return refuseForm(err, func(status int, reason string) error {
			return s.renderCanned(c, status, views.CannedDraft{ID: id, Name: r.Name, Body: r.Body, Error: reason})
		}, inbox.EINVALID, inbox.ECONFLICT)
	}
	return s.cannedChanged(c)
}

// handleCannedAction deletes a canned reply.
func (s *server) handleCannedAction(c *fiber.Ctx) error {
	return s.deleteOnScreen(c, s.deps.Inbox.DeleteCannedReply, s.cannedChanged)
}
