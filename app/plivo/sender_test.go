package plivo_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
)

const callbackURL = "https://sms.example.com/api/sms/delivery"

func mustSender(tb testing.TB, api *plivotest.API, timeout time.Duration) *plivo.Sender {
	tb.Helper()
	s, err := plivo.NewSender(plivo.SenderOptions{
		AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL + "/",
		CallbackURL: callbackURL, Timeout: timeout,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func sms(id int64, text string) inbox.OutboundSMS {
	return inbox.OutboundSMS{MessageID: id, From: "+14155550199", To: "+14155550100", Text: text}
}

func TestSenderSendsWhatPlivoGoSends(t *testing.T) {
	api := plivotest.NewAPI(t)
	s := mustSender(t, api, 0)
	tests := []struct {
		name string
		in   inbox.OutboundSMS
		want map[string]any
	}{
		{"sms", sms(7, "Hi <there> & bye"), map[string]any{
			"src": "14155550199", "dst": "14155550100", "text": "Hi <there> & bye", "type": "sms",
			"url": callbackURL + "?ref=7", "method": "POST",
		}},
		{"mms", inbox.OutboundSMS{MessageID: 8, From: "+14155550199", To: "+14155550100", Text: "see", MediaURLs: []string{"https://x.example/a.png"}}, map[string]any{
			"src": "14155550199", "dst": "14155550100", "text": "see", "type": "mms",
			"url": callbackURL + "?ref=8", "method": "POST", "media_urls": []any{"https://x.example/a.png"},
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uuid, err := s.Send(context.Background(), tt.in)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			sends := api.Sends()
			if len(sends) != i+1 {
				t.Fatalf("sends=%d, want %d", len(sends), i+1)
			}
			got := sends[i]
			if uuid == "" || uuid != got.UUID {
				t.Fatalf("uuid=%q, want the API's %q", uuid, got.UUID)
			}
			if !reflect.DeepEqual(got.Body, tt.want) {
				t.Fatalf("body=%v, want %v", got.Body, tt.want)
			}
			if got.AuthID != plivotest.AuthID {
				t.Fatalf("basic auth id=%q, want %q", got.AuthID, plivotest.AuthID)
			}
		})
	}
}

func TestSenderClassifiesFailures(t *testing.T) {
	tests := []struct {
		mode      plivotest.Mode
		status    int
		retryable bool
		text      string
	}{
		{plivotest.BadRequest, 400, false, plivotest.BadRequestText},
		{plivotest.Unauthorized, 401, false, plivotest.UnauthorizedText},
		{plivotest.RateLimited, 429, true, plivotest.RateLimitedText},
		{plivotest.ServerError, 500, true, plivotest.ServerErrorText},
		{plivotest.EmptyServerError, 500, true, "HTTP 500"},
		{plivotest.Hang, 0, true, "did not answer in time"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			api := plivotest.NewAPI(t)
			api.SetMode(tt.mode)
			s := mustSender(t, api, 300*time.Millisecond)
			uuid, err := s.Send(context.Background(), sms(1, "hello"))
			var se *inbox.SendError
			if !errors.As(err, &se) {
				t.Fatalf("err=%v (uuid %q), want *inbox.SendError", err, uuid)
			}
			if se.Status != tt.status || se.Retryable != tt.retryable {
				t.Fatalf("status=%d retryable=%v, want %d %v", se.Status, se.Retryable, tt.status, tt.retryable)
			}
			if !strings.Contains(se.Message, tt.text) {
				t.Fatalf("message=%q, want it to contain %q", se.Message, tt.text)
			}
			if n := api.Count("+14155550100", "hello"); n != 1 {
				t.Fatalf("sends=%d, want 1 (the sender never retries itself)", n)
			}
		})
	}
}

func TestSenderHonoursCancellation(t *testing.T) {
	api := plivotest.NewAPI(t)
	api.SetMode(plivotest.Hang)
	s := mustSender(t, api, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	var (
		wg  sync.WaitGroup
		err error
	)
	wg.Go(func() { _, err = s.Send(ctx, sms(1, "hello")) })
	for api.Count("14155550100", "hello") == 0 {
		time.Sleep(5 * time.Millisecond) // until the request is in flight
	}
	cancel()
	wg.Wait()
	var se *inbox.SendError
	if !errors.As(err, &se) || !se.Retryable || se.Status != 0 {
		t.Fatalf("err=%v, want a retryable SendError without status", err)
	}
}

func TestSenderRejectsWrongCredentials(t *testing.T) {
	api := plivotest.NewAPI(t)
	s, err := plivo.NewSender(plivo.SenderOptions{AuthID: api.AuthID, AuthToken: "wrong", BaseURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), sms(1, "hello"))
	var se *inbox.SendError
	if !errors.As(err, &se) || se.Retryable || se.Status != http.StatusUnauthorized {
		t.Fatalf("err=%v, want a permanent 401", err)
	}
	if got := api.Sends()[0].Body["url"]; got != nil {
		t.Fatalf("url=%v, want none without a callback URL", got)
	}
}

func TestNewSenderValidates(t *testing.T) {
	tests := []struct {
		name string
		o    plivo.SenderOptions
	}{
		{"no auth id", plivo.SenderOptions{AuthToken: "t"}},
		{"no token", plivo.SenderOptions{AuthID: "a"}},
		{"bad base", plivo.SenderOptions{AuthID: "a", AuthToken: "t", BaseURL: "ftp://x"}},
		{"relative callback", plivo.SenderOptions{AuthID: "a", AuthToken: "t", CallbackURL: "/api/sms/delivery"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := plivo.NewSender(tt.o); err == nil {
				t.Fatalf("NewSender(%+v) err=nil, want an error", tt.o)
			}
		})
	}
}
