package web

import (
	"context"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
)

// handleDeliveryReport records one delivery report from Plivo: verify,
// parse, record. A report for a message Parley does not know is
// acknowledged (and logged), since no retry would make it known; a store
// failure answers 503 so Plivo sends the report again.
func (s *server) handleDeliveryReport(c *fiber.Ctx) error {
	form, err := s.verifiedForm(c)
	if err != nil {
		return err
	}
	query, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return &inbox.Error{Code: inbox.EINVALID, Message: "the query cannot be parsed", Err: err}
	}
	d, err := plivo.ParseDelivery(form, query)
	if err != nil {
		return err
	}
	report := inbox.DeliveryReport{
		MessageUUID: d.MessageUUID, Status: inbox.Status(d.Status), ErrorCode: d.ErrorCode,
		Sequence: d.Sequence, Units: d.Units, TotalAmount: d.TotalAmount, TotalRate: d.TotalRate, Raw: d.Raw,
	}
	if d.Ref != "" {
		if report.MessageID, err = strconv.ParseInt(d.Ref, 10, 64); err != nil || report.MessageID <= 0 {
			return inbox.FieldError("ref", "must be a message id")
		}
	}
	if s.deps.Outbox == nil {
		return inbox.Errorf(inbox.EUNAVAILABLE, "delivery reports are not being recorded")
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), s.opts.WebhookTimeout)
	defer cancel()
	m, err := s.deps.Outbox.RecordDelivery(ctx, report)
	switch inbox.ErrorCode(err) {
	case "":
		s.log.Debug("delivery report", "message_id", m.ID, "status", d.Status, "sequence", d.Sequence)
	case inbox.ENOTFOUND, inbox.ECONFLICT:
		s.log.Warn("delivery report for no message of ours", "id", c.Locals(requestIDHeader), "message_uuid", d.MessageUUID, "ref", d.Ref,
			"status", d.Status, "reason", inbox.ErrorMessage(err))
	default:
		return err
	}
	s.rememberNonce(c)
	return c.SendStatus(fiber.StatusOK)
}
