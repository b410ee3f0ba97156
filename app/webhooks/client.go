package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/app/inbox"
)

// Defaults of a Client.
const (
	DefaultTimeout = 10 * time.Second
	// SnippetBytes is how much of an answer the delivery log keeps.
	SnippetBytes = 500
)

// Options configure a Client.
type Options struct {
	// AllowPrivate lets requests reach loopback and private addresses.
	AllowPrivate bool
	// Timeout bounds one request, connecting to reading the answer;
	// DefaultTimeout unless set.
	Timeout time.Duration
	// UserAgent names Parley to receivers.
	UserAgent string
}

// Client makes webhook requests: it implements inbox.WebhookPoster.
type Client struct {
	http      *http.Client
	userAgent string
}

var _ inbox.WebhookPoster = (*Client)(nil)

// NewClient returns a client whose connections pass o's guard.
func NewClient(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.UserAgent == "" {
		o.UserAgent = "Parley-Webhooks/1"
	}
	g := Guard{AllowPrivate: o.AllowPrivate}
	dialer := &net.Dialer{Timeout: o.Timeout, Control: g.control}
	transport := &http.Transport{
		// No proxy: a proxy would connect for us, past the guard.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   o.Timeout,
		ResponseHeaderTimeout: o.Timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	return &Client{
		userAgent: o.UserAgent,
		http: &http.Client{
			Transport: transport,
			Timeout:   o.Timeout,
			// A redirect is an answer, not an instruction: a receiver
			// that moved says so in the log, and no redirect can lead a
			// request to an address the guard would refuse.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// Post makes one attempt of a delivery. A Standard Webhooks endpoint gets
// the payload signed; a Slack endpoint the payload as a Slack message (also
// signed: receivers that do not check simply ignore the headers).
func (c *Client) Post(ctx context.Context, r inbox.WebhookRequest) inbox.WebhookResponse {
	body := r.Payload
	if r.Endpoint.Kind == inbox.WebhookSlack {
		var err error
		if body, err = SlackBody(r.Payload); err != nil {
			return inbox.WebhookResponse{Err: err}
		}
	}
	var sigs []string
	for _, secret := range r.Endpoint.SigningSecrets(r.Timestamp) {
		sig, err := Sign(secret, r.ID, r.Timestamp, body)
		if err != nil {
			return inbox.WebhookResponse{Err: err}
		}
		sigs = append(sigs, sig)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.Endpoint.URL, bytes.NewReader(body))
	if err != nil {
		return inbox.WebhookResponse{Err: fmt.Errorf("the URL cannot be requested: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("webhook-id", r.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(r.Timestamp.Unix(), 10))
	req.Header.Set("webhook-signature", strings.Join(sigs, " "))
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return inbox.WebhookResponse{Latency: time.Since(start), Err: describe(err)}
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, SnippetBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	return inbox.WebhookResponse{Status: resp.StatusCode, Body: validUTF8(snippet), Latency: time.Since(start)}
}

// describe turns a failed request into words for the delivery log.
// The URL is left out: a Slack webhook's path is its credential.
func describe(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(err, ErrPrivateAddress):
		return fmt.Errorf("refused: %w", ErrPrivateAddress)
	case errors.As(err, &ne) && ne.Timeout():
		return errors.New("no answer within the timeout")
	}
	return fmt.Errorf("no answer: %w", err)
}

// validUTF8 keeps the snippet readable when the limit cut a character.
func validUTF8(b []byte) string {
	for len(b) > 0 && !utf8.Valid(b) {
		b = b[:len(b)-1]
	}
	return string(b)
}
