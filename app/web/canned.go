package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// cannedChoices are the canned replies filled for contact and me.
func (s *server) cannedChoices(ctx context.Context, contact inbox.Contact, me inbox.User) ([]views.CannedChoice, error) {
	rs, err := s.deps.Inbox.CannedReplies(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]views.CannedChoice, len(rs))
	for i, r := range rs {
		out[i] = views.CannedChoice{Name: r.Name, Text: r.Fill(contact, me)}
	}
	return out, nil
}

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
	if isHTMX(c) {
		return s.render(c, status, views.CannedReplies(p))
	}
	return s.render(c, status, views.CannedPage(p))
}

// handleCannedSave adds a canned reply (POST /settings/canned) or changes
// one (POST /settings/canned/{id}); a refused one comes back in its form
// with the reason (422).
func (s *server) handleCannedSave(c *fiber.Ctx) error {
	var id int64
	if c.Params("id") != "" {
		var err error
		if id, err = paramID(c, "id"); err != nil {
			return err
		}
	}
	u, _ := currentUser(c)
	r := inbox.CannedReply{ID: id, Name: c.FormValue("name"), Body: c.FormValue("body")}
	if _, err := s.deps.Inbox.SaveCannedReply(c.UserContext(), u, r); err != nil {
		if code := inbox.ErrorCode(err); code != inbox.EINVALID && code != inbox.ECONFLICT {
			return err
		}
		return s.renderCanned(c, fiber.StatusUnprocessableEntity, views.CannedDraft{ID: id, Name: r.Name, Body: r.Body, Error: inbox.ErrorMessage(err)})
	}
	return s.afterSettingsChange(c, views.CannedRepliesURL, func() error {
		return s.renderCanned(c, fiber.StatusOK, views.CannedDraft{})
	})
}

// handleCannedAction deletes a canned reply.
func (s *server) handleCannedAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if c.Params("action") != "delete" {
		return fiber.ErrNotFound
	}
	u, _ := currentUser(c)
	if err := s.deps.Inbox.DeleteCannedReply(c.UserContext(), u, id); err != nil {
		return err
	}
	return s.afterSettingsChange(c, views.CannedRepliesURL, func() error {
		return s.renderCanned(c, fiber.StatusOK, views.CannedDraft{})
	})
}
