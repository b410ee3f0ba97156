package plivo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	plivo "github.com/plivo/plivo-go/v7"

	"github.com/parleyhq/parley/app/inbox"
)

// DefaultAPIURL is Plivo's API.
const DefaultAPIURL = "https://api.plivo.com/"

// maxAnswer bounds how much of an API answer is read; a real one is a few
// hundred bytes.
const maxAnswer = 64 << 10

// SenderOptions configure a Sender.
type SenderOptions struct {
	// AuthID and AuthToken are required: plivo-go would otherwise read
	// PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN from the environment itself.
	AuthID    string
	AuthToken string
	// BaseURL is the API's scheme and host; DefaultAPIURL unless set. A
	// path is ignored (plivo-go sets its own).
	BaseURL string
	// CallbackURL receives delivery reports (PUBLIC_URL +
	// "/api/sms/delivery"); each send adds ?ref=<message id>. Empty asks
	// for no reports.
	CallbackURL string
	// Timeout bounds one send, answer included; 10 s unless set.
	Timeout time.Duration
	// Transport makes the HTTP requests; a clone of
	// http.DefaultTransport unless set.
	Transport http.RoundTripper
}

// Sender sends messages through Plivo's Message API with plivo-go. It is
// safe for concurrent use.
type Sender struct {
	opts SenderOptions
	base *url.URL
}

var _ inbox.Sender = (*Sender)(nil)

// NewSender checks o and returns a Sender.
//
// Errors: a plain error naming the missing or malformed option.
func NewSender(o SenderOptions) (*Sender, error) {
	if o.AuthID == "" || o.AuthToken == "" {
		return nil, errors.New("plivo: sender needs an auth ID and an auth token")
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultAPIURL
	}
	base, err := url.Parse(o.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("plivo: API URL %q is not an http(s) URL", o.BaseURL)
	}
	if o.CallbackURL != "" {
		if u, err := url.Parse(o.CallbackURL); err != nil || !u.IsAbs() {
			return nil, fmt.Errorf("plivo: callback URL %q is not an absolute URL", o.CallbackURL)
		}
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &Sender{opts: o, base: base}, nil
}

// Send implements inbox.Sender: one POST to the Message API. Numbers go as
// digits without "+"; a message with media goes as MMS. It returns Plivo's
// MessageUUID.
//
// Errors: *inbox.SendError. Retryable for no answer (network error,
// timeout, ctx done) and for 408, 429 and 5xx, even with the empty body on
// which plivo-go reports no error; not retryable for any other 4xx, with
// Plivo's error text; not retryable, with a 2xx Status, when Plivo accepted
// the request but named no message.
func (s *Sender) Send(ctx context.Context, m inbox.OutboundSMS) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	// plivo-go neither takes a context nor tells the HTTP status, so each
	// send gets its own client whose transport does both; a client is a
	// few small structs, and the connections stay in the shared Transport.
	rec := &recorder{ctx: ctx, next: s.opts.Transport}
	client, err := plivo.NewClient(s.opts.AuthID, s.opts.AuthToken, &plivo.ClientOptions{HttpClient: &http.Client{
		Transport:     rec,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}})
	if err != nil {
		return "", &inbox.SendError{Message: "the Plivo client could not be built", Err: err}
	}
	base := *s.base
	client.BaseUrl = &base
	params := plivo.MessageCreateParams{
		Src: m.From.Carrier(), Dst: m.To.Carrier(), Text: m.Text, Type: plivo.SMS,
	}
	if len(m.MediaURLs) > 0 {
		params.Type, params.MediaUrls = plivo.MMS, m.MediaURLs
	}
	if s.opts.CallbackURL != "" {
		params.URL, params.Method = withRef(s.opts.CallbackURL, m.MessageID), http.MethodPost
	}
	resp, err := client.Messages.Create(params)
	return classify(ctx, rec, resp, err)
}

// classify turns one call's outcome into a UUID or a *inbox.SendError.
func classify(ctx context.Context, rec *recorder, resp *plivo.MessageCreateResponseBody, err error) (string, error) {
	if rec.status == 0 {
		msg := "Plivo could not be reached"
		var cause error
		switch {
		case errors.Is(rec.err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
			msg = "Plivo did not answer in time"
		case errors.Is(rec.err, context.Canceled) || ctx.Err() != nil:
			msg = "the send was cancelled"
		case err != nil:
			// The OS's words go to the log only, and not the *url.Error
			// itself: its URL holds the auth ID.
			cause = err
			var ue *url.Error
			if errors.As(err, &ue) {
				cause = ue.Err
			}
		}
		// A refused connection never carried the request: nothing was
		// sent, so no answer was lost.
		var op *net.OpError
		notSent := errors.As(rec.err, &op) && op.Op == "dial"
		return "", &inbox.SendError{Retryable: true, Message: msg, Err: cause, NotSent: notSent}
	}
	if rec.status/100 == 2 {
		if err == nil && resp != nil && len(resp.MessageUUID) > 0 && resp.MessageUUID[0] != "" {
			return resp.MessageUUID[0], nil
		}
		return "", &inbox.SendError{Status: rec.status, Message: "Plivo accepted the request but named no message"}
	}
	se := &inbox.SendError{
		Retryable: inbox.RetryableStatus(rec.status),
		Status:    rec.status,
		Message:   answerText(rec.status, rec.body),
	}
	if rec.status == http.StatusTooManyRequests {
		se.RetryAfter = parseRetryAfter(rec.header, time.Now())
	}
	return "", se
}

// answerText is Plivo's error text from a JSON answer, or the status.
func answerText(status int, body []byte) string {
	var answer struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &answer) == nil && strings.TrimSpace(answer.Error) != "" {
		text := strings.TrimSpace(answer.Error)
		if len(text) > 300 {
			text = text[:300]
		}
		return strings.ToValidUTF8(text, "") + " (HTTP " + strconv.Itoa(status) + ")"
	}
	return "Plivo answered HTTP " + strconv.Itoa(status) + " " + http.StatusText(status)
}

// withRef adds our message id to the callback URL, so a report can find
// the message even before its UUID is stored.
func withRef(callback string, id int64) string {
	sep := "?"
	if strings.Contains(callback, "?") {
		sep = "&"
	}
	return callback + sep + "ref=" + strconv.FormatInt(id, 10)
}

// recorder is the transport of one send: it puts the send's context on
// the request, and keeps the answer's status and body (read in full and
// closed here, since plivo-go never closes it).
type recorder struct {
	ctx    context.Context
	next   http.RoundTripper
	status int
	header http.Header
	body   []byte
	err    error
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req.WithContext(r.ctx))
	if err != nil {
		r.err = err
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		r.err = err
		return nil, err
	}
	r.status, r.header, r.body = resp.StatusCode, resp.Header, body
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
