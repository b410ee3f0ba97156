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
