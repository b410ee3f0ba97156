package web

import (
	"context"
	"errors"
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
//
// A report signed with V2 alone names its message by MessageUUID only:
// V2 does not sign the query, so its ?ref= (a guessable id) could be
// anyone's. One whose MessageUUID matches nothing is refused (403).
func (s *server) handleDeliveryReport(c *fiber.Ctx) (err error) {
	// One deadline for the claim of the nonces and the work.
	ctx, cancel := context.WithTimeout(c.UserContext(), s.opts.WebhookTimeout)
	defer cancel()
	form, err := s.verifiedForm(ctx, c)
	if err != nil {
		return err
	}
	defer func() { s.settleNonces(c, err) }()
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
	refIgnored := d.Ref != "" && signedVersion(c) == plivo.V2
	if d.Ref != "" && !refIgnored {
		if report.MessageID, err = strconv.ParseInt(d.Ref, 10, 64); err != nil || report.MessageID <= 0 {
			return inbox.FieldError("ref", "must be a message id")
		}
	}
	if s.deps.Outbox == nil {
		return inbox.Errorf(inbox.EUNAVAILABLE, "delivery reports are not being recorded")
	}
	report.Nonces, _ = c.Locals(nonceLocal).([]string)
	m, err := s.deps.Outbox.RecordDelivery(ctx, report)
	if errors.Is(err, inbox.ErrNonceReused) {
		return s.refuseWebhook(c, refusedReplayed, err)
	}
	switch inbox.ErrorCode(err) {
	case "":
		s.log.Debug("delivery report", "message_id", m.ID, "status", d.Status, "sequence", d.Sequence)
	case inbox.ENOTFOUND, inbox.ECONFLICT:
		if refIgnored {
			return s.refuseWebhook(c, refusedDowngraded, inbox.Errorf(inbox.EFORBIDDEN,
				"a report signed with V2 alone cannot name its message by ref, and no message has its MessageUUID"))
		}
		s.log.Warn("delivery report for no message of ours", "id", c.Locals(requestIDHeader), "message_uuid", d.MessageUUID, "ref", d.Ref,
			"status", d.Status, "reason", inbox.ErrorMessage(err))
		// Acknowledged with nothing recorded: its nonces are spent all
		// the same (a replay of it is refused).
		if err := s.spendNonces(c); err != nil {
			return err
		}
	default:
		return err
	}
	return c.SendStatus(fiber.StatusOK)
}
