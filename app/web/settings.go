package web

import (
	"context"
	"slices"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// The settings screens (keywords, users, labels, canned replies, hours,
// export, audit) have a file each, settings_*.go, and share one shape: a
// GET shows the screen through renderScreen; a POST reads its optional id
// with optionalID, calls one use case, and answers a refusal the admin can
// correct with the form again, their draft in it and the reason
// (refuseForm, 422), and success with afterSettingsChange.

// optionalID reads the route parameter name where the route has one (an
// edit) and is 0 where it has none (a new item).
//
// Errors: ENOTFOUND for an id that is not a positive number.
func optionalID(c *fiber.Ctx, name string) (int64, error) {
	if c.Params(name) == "" {
		return 0, nil
	}
	return paramID(c, name)
}

// renderScreen shows a settings screen: its region alone for htmx, the
// whole page for a plain request.
func (s *server) renderScreen(c *fiber.Ctx, status int, region, page templ.Component) error {
	if isHTMX(c) {
		return s.render(c, status, region)
	}
	return s.render(c, status, page)
}

// refuseForm answers a form whose use case failed with err. When err's
// code is one of codes (EINVALID when none are given) the admin can
// correct it, so reshow puts the form back, with the draft and reason,
// under 422; any other error goes on to the error handler.
func refuseForm(err error, reshow func(status int, reason string) error, codes ...string) error {
	if len(codes) == 0 {
		codes = []string{inbox.EINVALID}
	}
	if !slices.Contains(codes, inbox.ErrorCode(err)) {
		return err
	}
	return reshow(fiber.StatusUnprocessableEntity, inbox.ErrorMessage(err))
}

// deleteOnScreen answers POST /settings/{screen}/{id}/delete, the one
// action of the screens whose items are only saved or deleted: del
// removes the item, changed answers as after any change.
func (s *server) deleteOnScreen(c *fiber.Ctx, del func(ctx context.Context, actor inbox.User, id int64) error, changed func(*fiber.Ctx) error) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if c.Params("action") != "delete" {
		return fiber.ErrNotFound
	}
	u, _ := currentUser(c)
	if err := del(c.UserContext(), u, id); err != nil {
		return err
	}
	return changed(c)
}

// afterSettingsChange answers a settings form: the region again for htmx,
// a redirect (post/redirect/get) for a plain form.
func (s *server) afterSettingsChange(c *fiber.Ctx, page string, region func() error) error {
	if isHTMX(c) {
		return region()
	}
	return c.Redirect(page, fiber.StatusSeeOther)
}
