package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleLabels shows the labels settings screen.
func (s *server) handleLabels(c *fiber.Ctx) error {
	return s.renderLabels(c, fiber.StatusOK, views.LabelDraft{})
}

func (s *server) renderLabels(c *fiber.Ctx, status int, draft views.LabelDraft) error {
	labels, err := s.page(c).labels()
	if err != nil {
		return err
	}
	p := views.LabelsProps{Labels: labels, Draft: draft}
	return s.renderScreen(c, status, views.Labels(p), views.LabelsPage(p))
}

// labelsChanged answers a change to the labels.
func (s *server) labelsChanged(c *fiber.Ctx) error {
	return s.afterSettingsChange(c, views.LabelsURL, func() error {
		return s.renderLabels(c, fiber.StatusOK, views.LabelDraft{})
	})
}

// handleLabelSave adds a label (POST /settings/labels) or changes one
// (POST /settings/labels/{id}); a refused label comes back in its form
// with the reason (422).
func (s *server) handleLabelSave(c *fiber.Ctx) error {
	id, err := optionalID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	l := inbox.Label{ID: id, Name: c.FormValue("name"), Color: c.FormValue("color")}
	if _, err := s.deps.Inbox.SaveLabel(c.UserContext(), u, l); err != nil {
		return refuseForm(err, func(status int, reason string) error {
			return s.renderLabels(c, status, views.LabelDraft{ID: id, Name: l.Name, Color: l.Color, Error: reason})
		}, inbox.EINVALID, inbox.ECONFLICT)
	}
	return s.labelsChanged(c)
}

// handleLabelAction deletes a label.
func (s *server) handleLabelAction(c *fiber.Ctx) error {
	return s.deleteOnScreen(c, s.deps.Inbox.DeleteLabel, s.labelsChanged)
}
