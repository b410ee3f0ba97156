package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// labelParam reads ?label= (a label ID, or empty for any). Errors:
// EINVALID.
func labelParam(c *fiber.Ctx) (int64, error) {
	v := c.Query("label")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, inbox.FieldError("label", "no such label")
	}
	return id, nil
}

// labelFromForm reads the label action's label ID. Errors: EINVALID.
func labelFromForm(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.FormValue(views.LabelField), 10, 64)
	if err != nil || id <= 0 {
		return 0, inbox.FieldError("label", "no such label")
	}
	return id, nil
}

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
	if isHTMX(c) {
		return s.render(c, status, views.Labels(p))
	}
	return s.render(c, status, views.LabelsPage(p))
}

// handleLabelSave adds a label (POST /settings/labels) or changes one
// (POST /settings/labels/{id}); a refused label comes back in its form
// with the reason (422).
func (s *server) handleLabelSave(c *fiber.Ctx) error {
	var id int64
	if c.Params("id") != "" {
		var err error
		if id, err = paramID(c, "id"); err != nil {
			return err
		}
	}
	u, _ := currentUser(c)
	l := inbox.Label{ID: id, Name: c.FormValue("name"), Color: c.FormValue("color")}
	if _, err := s.deps.Inbox.SaveLabel(c.UserContext(), u, l); err != nil {
		if code := inbox.ErrorCode(err); code != inbox.EINVALID && code != inbox.ECONFLICT {
			return err
		}
		draft := views.LabelDraft{ID: id, Name: l.Name, Color: l.Color, Error: inbox.ErrorMessage(err)}
		return s.renderLabels(c, fiber.StatusUnprocessableEntity, draft)
	}
	return s.afterSettingsChange(c, views.LabelsURL, func() error {
		return s.renderLabels(c, fiber.StatusOK, views.LabelDraft{})
	})
}

// handleLabelAction deletes a label.
func (s *server) handleLabelAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if c.Params("action") != "delete" {
		return fiber.ErrNotFound
	}
	u, _ := currentUser(c)
	if err := s.deps.Inbox.DeleteLabel(c.UserContext(), u, id); err != nil {
		return err
	}
	return s.afterSettingsChange(c, views.LabelsURL, func() error {
		return s.renderLabels(c, fiber.StatusOK, views.LabelDraft{})
	})
}
