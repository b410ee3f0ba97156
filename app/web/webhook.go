package web

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
)

// maxWebhookBody is far above any real Plivo form (a 1,600-character text
// and ten media URLs come to a few KiB).
const maxWebhookBody = 64 << 10

// WebhookPath is where Plivo sends inbound messages (the number's
// message_url), by POST or GET.
const WebhookPath = "/api/sms/webhook"

// DeliveryPath is where Plivo sends delivery reports.
const DeliveryPath = "/api/sms/delivery"

// handleSMSWebhook receives one inbound text from Plivo: verify, parse,
// store exactly once, answer with the automatic reply as XML. Anything not
// committed answers non-2xx so Plivo retries.
func (s *server) handleSMSWebhook(c *fiber.Ctx) (err error) {
	// One deadline for the claim of the nonces and the work.
	ctx, cancel := context.WithTimeout(c.UserContext(), s.opts.WebhookTimeout)
	defer cancel()
	form, err := s.verifiedForm(ctx, c)
	if err != nil {
		return err
	}
	defer func() { s.settleNonces(c, err) }()
	in, err := plivo.ParseInbound(form)
	if err != nil {
		return err
	}
	in.Nonces, _ = c.Locals(nonceLocal).([]string)
	receipt, err := s.deps.Inbox.Receive(ctx, in)
	if errors.Is(err, inbox.ErrNonceReused) {
		return s.refuseWebhook(c, refusedReplayed, err)
	}
	if err != nil {
		return err
	}
	var reply []plivo.XMLMessage
	if r := receipt.Reply; r != nil {
		callback := s.opts.PublicURL + DeliveryPath + "?ref=" + strconv.FormatInt(r.ID, 10)
		reply = append(reply, plivo.XMLMessage{
			Src: r.From.Carrier(), Dst: r.To.Carrier(), CallbackURL: callback, Text: r.Body,
		})
		if s.opts.OnXMLReply != nil {
			s.opts.OnXMLReply(*r, callback)
		}
	}
	var buf bytes.Buffer
	if err := plivo.WriteResponse(&buf, reply...); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	return c.Send(buf.Bytes())
}

// verifiedForm reads a Plivo callback's fields (the form body of a POST, the
// query of a GET) and checks its signature against PUBLIC_URL plus the path
// and query as received.
//
// Its nonces are claimed by the handler's work, in its own transaction
// (see admit and settleNonces).
//
// Errors: ETOOLARGE over 64 KiB; EINVALID for an unparsable body;
// EFORBIDDEN for a missing or wrong signature, or one signed with V2 alone
// where V3 is required; EUNAVAILABLE when that cannot be checked.
func (s *server) verifiedForm(ctx context.Context, c *fiber.Ctx) (url.Values, error) {
	body := c.Body()
	if len(body) > maxWebhookBody {
		return nil, inbox.Errorf(inbox.ETOOLARGE, "request body is over 64 KiB")
	}
	raw := string(c.Request().URI().QueryString())
	if c.Method() == fiber.MethodPost {
		raw = string(body)
	}
	form, err := url.ParseQuery(raw)
	if err != nil {
		return nil, &inbox.Error{Code: inbox.EINVALID, Message: "the form body cannot be parsed", Err: err}
	}
	if len(s.opts.PlivoAuthTokens) == 0 {
		return form, nil
	}
	cb := plivo.Callback{
		URL:    s.opts.PublicURL + requestPathAndQuery(c),
		Method: c.Method(),
		Header: func(name string) string { return c.Get(name) },
	}
	if c.Method() == fiber.MethodPost {
		cb.Params = make(map[string]string, len(form))
		for k, v := range form {
			cb.Params[k] = v[0]
		}
	}
	version, err := plivo.VerifyVersion(s.opts.PlivoAuthTokens, cb)
	if err != nil {
		reason := refusedWrong
		if errors.Is(err, plivo.ErrNoSignature) {
			reason = refusedMissing
		}
		return nil, s.refuseWebhook(c, reason, err)
	}
	if err := s.admit(ctx, c, version); err != nil {
		return nil, err
	}
	return form, nil
}

// requestPathAndQuery is the path and query exactly as the client sent them,
// whether the request line held a path or an absolute URL.
func requestPathAndQuery(c *fiber.Ctx) string {
	uri := c.Request().URI()
	p := string(uri.PathOriginal())
	if i := strings.Index(p, "://"); i >= 0 {
		// Absolute-form request line: drop scheme and host.
		if j := strings.IndexByte(p[i+3:], '/'); j >= 0 {
			p = p[i+3+j:]
		} else {
			p = "/"
		}
	}
	if p, _, _ = strings.Cut(p, "?"); len(uri.QueryString()) > 0 {
		return p + "?" + string(uri.QueryString())
	}
	return p
}
