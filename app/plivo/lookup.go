package plivo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	plivo "github.com/plivo/plivo-go/v7"

	"github.com/parleyhq/parley/app/inbox"
)

// listPageLimit is the most a page of Plivo's message list holds (20), and
// maxListPages bounds one search; Plivo answers 20 list requests a minute.
const (
	listPageLimit = 20
	maxListPages  = 5
)

// plivoTime is how Plivo's message list filters take times (UTC).
const plivoTime = "2006-01-02 15:04:05"

// Lookup reads Plivo's record of sent messages (Message API get and list)
// with plivo-go, to settle a send whose answer was lost. It is safe for
// concurrent use.
type Lookup struct {
	s *Sender
}

var _ inbox.MessageLookup = (*Lookup)(nil)

// NewLookup checks o as NewSender does and returns a Lookup; CallbackURL is
// not used.
//
// Errors: a plain error naming the missing or malformed option.
func NewLookup(o SenderOptions) (*Lookup, error) {
	o.CallbackURL = ""
	s, err := NewSender(o)
	if err != nil {
		return nil, err
	}
	return &Lookup{s: s}, nil
}

// listParams adds the number filters Plivo's list takes but plivo-go's
// MessageListParams lacks; plivo-go's own request encodes the embedded
// fields beside them.
type listParams struct {
	plivo.MessageListParams
	FromNumber string `url:"from_number,omitempty"`
	ToNumber   string `url:"to_number,omitempty"`
}

// MessageByUUID implements inbox.MessageLookup: GET /Message/{uuid}/.
//
// Errors: ENOTFOUND when Plivo answers 404; EUNAVAILABLE for anything but
// a 2xx with the message.
func (l *Lookup) MessageByUUID(ctx context.Context, uuid string) (inbox.CarrierMessage, error) {
	var out plivo.Message
	err := l.do(ctx, func(c *plivo.Client) error {
		req, err := c.NewRequest(http.MethodGet, nil, "Message/%s", uuid)
		if err != nil {
			return err
		}
		return c.ExecuteRequest(req, &out)
	})
	if err != nil {
		return inbox.CarrierMessage{}, err
	}
	return carrierMessage(out)
}

// SentMessages implements inbox.MessageLookup: GET /Message/ filtered by
// direction, time (message_time__gte/__lte, UTC) and numbers, every page
// until meta.next is null (the list has no total count). Plivo may ignore
// the number filters (plivo-go does not know them), so callers match the
// numbers again.
//
// Errors: EUNAVAILABLE when a page cannot be read or the search needs more
// than five pages.
func (l *Lookup) SentMessages(ctx context.Context, q inbox.SentQuery) ([]inbox.CarrierMessage, error) {
	p := listParams{
		MessageListParams: plivo.MessageListParams{
			Limit: listPageLimit, MessageDirection: "outbound",
			MessageTimeGreaterOrEqual: q.Since.UTC().Format(plivoTime),
			MessageTimeLessOrEqual:    q.Until.UTC().Format(plivoTime),
		},
		FromNumber: q.From.Carrier(), ToNumber: q.To.Carrier(),
	}
	var found []inbox.CarrierMessage
	for page := 0; ; page++ {
		if page == maxListPages {
			return nil, inbox.Errorf(inbox.EUNAVAILABLE, "Plivo lists more than %d messages between these numbers in the window", maxListPages*listPageLimit)
		}
		p.Offset = page * listPageLimit
		var list plivo.MessageList
		err := l.do(ctx, func(c *plivo.Client) error {
			req, err := c.NewRequest(http.MethodGet, p, "Message")
			if err != nil {
				return err
			}
			return c.ExecuteRequest(req, &list)
		})
		if err != nil {
			return nil, err
		}
		for _, m := range list.Objects {
			cm, err := carrierMessage(m)
			if err != nil {
				return nil, err
			}
			found = append(found, cm)
		}
		if list.Meta.Next == nil || *list.Meta.Next == "" || len(list.Objects) == 0 {
			return found, nil
		}
	}
}

// do runs one plivo-go request with ctx, and turns its outcome into an
// inbox error: the status comes from the transport, since plivo-go hides
// it.
func (l *Lookup) do(ctx context.Context, call func(*plivo.Client) error) error {
	ctx, cancel := context.WithTimeout(ctx, l.s.opts.Timeout)
	defer cancel()
	rec := &recorder{ctx: ctx, next: l.s.opts.Transport}
	client, err := plivo.NewClient(l.s.opts.AuthID, l.s.opts.AuthToken, &plivo.ClientOptions{HttpClient: &http.Client{
		Transport:     rec,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}})
	if err != nil {
		return inbox.Errorf(inbox.EUNAVAILABLE, "the Plivo client could not be built")
	}
	base := *l.s.base
	client.BaseUrl = &base
	err = call(client)
	switch {
	case rec.status == 0:
		return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "Plivo's message API did not answer"}
	case rec.status == http.StatusNotFound:
		return &inbox.Error{Code: inbox.ENOTFOUND, Message: "Plivo has no such message"}
	case rec.status/100 != 2:
		return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: answerText(rec.status, rec.body)}
	case err != nil:
		return &inbox.Error{Code: inbox.EUNAVAILABLE, Message: "Plivo's message API answered in an unexpected form"}
	}
	return nil
}

// carrierMessage is one message of Plivo's answer in inbox terms.
func carrierMessage(m plivo.Message) (inbox.CarrierMessage, error) {
	from, err1 := inbox.ParseCarrierNumber(m.FromNumber)
	to, err2 := inbox.ParseCarrierNumber(m.ToNumber)
	at, err3 := parseMessageTime(m.MessageTime)
	if err := errors.Join(err1, err2, err3); err != nil || m.MessageUUID == "" {
		return inbox.CarrierMessage{}, &inbox.Error{Code: inbox.EUNAVAILABLE,
			Message: fmt.Sprintf("Plivo listed a message Parley cannot read (%q)", m.MessageUUID)}
	}
	return inbox.CarrierMessage{
		UUID: m.MessageUUID, From: from, To: to, Direction: inbox.Direction(m.MessageDirection),
		State: m.MessageState, Time: at,
	}, nil
}

// parseMessageTime reads message_time: "2017-05-22 21:36:14+05:30" (the
// account's zone), with or without fractions or a zone (then UTC).
func parseMessageTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("plivo: message_time %q", s)
}
