package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
)

const (
	apiChannel = "+14155550199"
	apiContact = "+14155550100"
)

// signedIn returns a browser signed in as development's local admin.
func (ts *testServer) signedIn(t testing.TB) *browser {
	t.Helper()
	b := ts.browser(t)
	b.get("/login")
	if p := b.post("/auth/dev", nil, true); p.status != http.StatusSeeOther {
		t.Fatalf("dev sign-in=%d %s", p.status, p.body)
	}
	b.get("/")
	return b
}

// postJSON posts body as JSON; withCSRF sends the page's token in
// X-CSRF-Token, as a script on a Parley page would.
func (b *browser) postJSON(target, body string, withCSRF bool) page {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if withCSRF {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	return b.do(req)
}

// apiError is the JSON of an /api error.
type apiError struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	Field string `json:"field"`
}

func mustJSON[T any](t testing.TB, p page) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(p.body), &v); err != nil {
		t.Fatalf("status %d body %q is not JSON: %v", p.status, p.body, err)
	}
	return v
}

func newAPIServer(t testing.TB) *testServer {
	t.Helper()
	return newTestServerWith(t, testOptions{numbers: []inbox.Number{apiChannel}})
}

func TestAPISendQueuesAMessage(t *testing.T) {
	ts := newAPIServer(t)
	b := ts.signedIn(t)
	tests := []struct {
		body         string
		wantSegments int
		wantEncoding string
	}{
		{`{"to": "+1 415 555 0100", "text": "Your order shipped"}`, 1, "GSM-7"},
		{`{"to": "+14155550100", "text": "Merci ☺", "from": "+14155550199"}`, 1, "UCS-2"},
		{`{"to": "+14155550100", "text": "` + strings.Repeat("a", 1600) + `"}`, 11, "GSM-7"},
		{`{"to": "+14155550100", "media_urls": ["https://cdn.example.com/receipt.jpg"]}`, 1, "GSM-7"},
	}
	for i, tt := range tests {
		p := b.postJSON("/api/sms/send", tt.body, true)
		if p.status != http.StatusAccepted {
			t.Fatalf("send %d: status=%d %s, want 202", i, p.status, p.body)
		}
		got := mustJSON[struct {
			ID             int64  `json:"id"`
			Status         string `json:"status"`
			Segments       int    `json:"segments"`
			Encoding       string `json:"encoding"`
			ConversationID int64  `json:"conversation_id"`
		}](t, p)
		if got.ID == 0 || got.ConversationID == 0 || got.Status != "queued" || got.Segments != tt.wantSegments || got.Encoding != tt.wantEncoding {
			t.Fatalf("send %d: answer=%+v, want queued, %d segment(s), %s", i, got, tt.wantSegments, tt.wantEncoding)
		}
		m, err := ts.store.FindMessageByID(context.Background(), got.ID)
		if err != nil || m.To != apiContact || m.From != apiChannel || m.Status != inbox.StatusQueued || m.Via != inbox.ViaAPI {
			t.Fatalf("send %d: stored %+v, %v", i, m, err)
		}
	}
	if n := ts.countMessages(t); n != len(tests) {
		t.Fatalf("messages=%d, want %d", n, len(tests))
	}
}

func TestAPISendRefusesBadInput(t *testing.T) {
	ts := newAPIServer(t)
	b := ts.signedIn(t)
	eleven := `"https://cdn.example.com/p.jpg"` + strings.Repeat(`, "https://cdn.example.com/p.jpg"`, 10)
	tests := []struct {
		name, body, field string
	}{
		{"bad JSON", `{"to": "+14155550100", "text": `, ""},
		{"not an object", `["+14155550100"]`, ""},
		{"empty body", ``, ""},
		{"unknown field", `{"to": "+14155550100", "text": "hi", "media_url": ["https://cdn.example.com/a.jpg"]}`, "media_url"},
		{"wrong type", `{"to": "+14155550100", "media_urls": "https://cdn.example.com/a.jpg"}`, "media_urls"},
		{"not E.164", `{"to": "4155550100", "text": "hi"}`, "to"},
		{"not a number", `{"to": "+1415555", "text": "hi"}`, "to"},
		{"blank text", `{"to": "+14155550100", "text": "  "}`, "text"},
		{"no text", `{"to": "+14155550100"}`, "text"},
		{"too long GSM-7", `{"to": "+14155550100", "text": "` + strings.Repeat("a", 1601) + `"}`, "text"},
		{"too long Unicode", `{"to": "+14155550100", "text": "` + strings.Repeat("é€☺", 246) + `"}`, "text"},
		{"eleven attachments", `{"to": "+14155550100", "media_urls": [` + eleven + `]}`, "media_urls"},
		{"http attachment", `{"to": "+14155550100", "media_urls": ["http://cdn.example.com/a.jpg"]}`, "media_urls"},
		{"relative attachment", `{"to": "+14155550100", "media_urls": ["/a.jpg"]}`, "media_urls"},
		{"MMS outside US and Canada", `{"to": "+447911123456", "text": "hi", "media_urls": ["https://cdn.example.com/a.jpg"]}`, "media_urls"},
		{"not our number", `{"to": "+14155550100", "text": "hi", "from": "+14155550000"}`, "from"},
	}
	for _, tt := range tests {
		p := b.postJSON("/api/sms/send", tt.body, true)
		e := mustJSON[apiError](t, p)
		if p.status != http.StatusBadRequest || e.Code != inbox.EINVALID || e.Field != tt.field || e.Error == "" {
			t.Errorf("%s: %d %+v, want 400 invalid with field %q", tt.name, p.status, e, tt.field)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/api/sms/send", strings.NewReader(`to=%2B14155550100&text=hi`))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", b.csrf)
	if p := b.do(req); p.status != http.StatusBadRequest || mustJSON[apiError](t, p).Code != inbox.EINVALID {
		t.Errorf("form body: %d %s, want 400", p.status, p.body)
	}
	if n := ts.countMessages(t); n != 0 {
		t.Fatalf("messages=%d after refused sends, want 0", n)
	}

	none := newTestServerWith(t, testOptions{})
	p := none.signedIn(t).postJSON("/api/sms/send", `{"to": "+14155550100", "text": "hi"}`, true)
	if e := mustJSON[apiError](t, p); p.status != http.StatusBadRequest || e.Field != "from" {
		t.Fatalf("no sending number: %d %+v, want 400 on from", p.status, e)
	}
}

func TestAPISendNeedsASessionAndCSRF(t *testing.T) {
	ts := newAPIServer(t)
	anon := ts.browser(t)
	anon.get("/login")
	p := anon.postJSON("/api/sms/send", `{"to": "+14155550100", "text": "hi"}`, true)
	if e := mustJSON[apiError](t, p); p.status != http.StatusUnauthorized || e.Code != inbox.EUNAUTHORIZED {
		t.Errorf("anonymous: %d %+v, want 401", p.status, e)
	}
	b := ts.signedIn(t)
	p = b.postJSON("/api/sms/send", `{"to": "+14155550100", "text": "hi"}`, false)
	if e := mustJSON[apiError](t, p); p.status != http.StatusForbidden || e.Code != inbox.EFORBIDDEN {
		t.Errorf("no CSRF token: %d %+v, want 403", p.status, e)
	}
	if n := ts.countMessages(t); n != 0 {
		t.Fatalf("messages=%d, want 0", n)
	}
}

func TestAPISendHonoursConsentAtSendTime(t *testing.T) {
	ts := newAPIServer(t)
	b := ts.signedIn(t)
	ctx := context.Background()
	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("in-stop", apiContact, apiChannel, "STOP"))
	if err != nil {
		t.Fatal(err)
	}
	before := ts.countMessages(t)
	p := b.postJSON("/api/sms/send", `{"to": "+14155550100", "text": "come back!"}`, true)
	if e := mustJSON[apiError](t, p); p.status != http.StatusForbidden || e.Code != inbox.EOPTEDOUT {
		t.Fatalf("opted out: %d %+v, want 403 opted_out", p.status, e)
	}
	if n := ts.countMessages(t); n != before {
		t.Fatalf("messages=%d, want %d (nothing queued)", n, before)
	}

	blocked, err := ts.svc.Receive(ctx, inboxtest.Inbound("in-spam", "+14155550111", apiChannel, "buy now"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.svc.SetConversationStatus(ctx, inbox.User{}, blocked.Conversation.ID, inbox.ConversationBlocked); err != nil {
		t.Fatal(err)
	}
	before = ts.countMessages(t)
	p = b.postJSON("/api/sms/send", `{"to": "+14155550111", "text": "hello?"}`, true)
	if e := mustJSON[apiError](t, p); p.status != http.StatusForbidden || e.Code != inbox.EBLOCKED {
		t.Fatalf("blocked: %d %+v, want 403 blocked", p.status, e)
	}
	if n := ts.countMessages(t); n != before {
		t.Fatalf("messages=%d, want %d (nothing queued)", n, before)
	}
	_ = r
}

func TestAPISendIsRateLimitedPerAgent(t *testing.T) {
	ts := newTestServerWith(t, testOptions{numbers: []inbox.Number{apiChannel}, limits: inbox.SendLimits{PerMinute: 3, PerDay: 100}})
	b := ts.signedIn(t)
	for i := range 3 {
		if p := b.postJSON("/api/sms/send", `{"to": "+14155550100", "text": "n`+strconv.Itoa(i)+`"}`, true); p.status != http.StatusAccepted {
			t.Fatalf("send %d: %d %s", i, p.status, p.body)
		}
	}
	p := b.postJSON("/api/sms/send", `{"to": "+14155550100", "text": "one too many"}`, true)
	e := mustJSON[apiError](t, p)
	retry, err := strconv.Atoi(p.header.Get("Retry-After"))
	if p.status != http.StatusTooManyRequests || e.Code != inbox.ERATELIMITED || err != nil || retry < 1 || retry > 60 {
		t.Fatalf("fourth send: %d %+v Retry-After=%q, want 429 rate_limited with 1..60 s", p.status, e, p.header.Get("Retry-After"))
	}
	if n := ts.countMessages(t); n != 3 {
		t.Fatalf("messages=%d, want 3", n)
	}
}

func TestAPISendMMSReachesTheCarrierAsMMS(t *testing.T) {
	ts := newAPIServer(t)
	b := ts.signedIn(t)
	api := plivotest.NewAPI(t)
	sender, err := plivo.NewSender(plivo.SenderOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	ob := inbox.NewOutbox(inbox.OutboxOptions{Store: ts.store, Sender: sender, Log: slog.New(slog.DiscardHandler)})
	urls := []string{"https://cdn.example.com/receipt.jpg", "https://cdn.example.com/map.png"}
	body := `{"to": "+14155550100", "text": "Here you go", "media_urls": ["` + strings.Join(urls, `", "`) + `"]}`
	if p := b.postJSON("/api/sms/send", body, true); p.status != http.StatusAccepted {
		t.Fatalf("send: %d %s", p.status, p.body)
	}
	if n, err := ob.SendDue(context.Background()); n != 1 || err != nil {
		t.Fatalf("SendDue=%d, %v; want 1", n, err)
	}
	sends := api.Sends()
	if len(sends) != 1 {
		t.Fatalf("sends=%d, want 1", len(sends))
	}
	s := sends[0]
	raw, _ := s.Body["media_urls"].([]any)
	if s.Type != "mms" || !slices.Equal(s.MediaURLs, urls) || len(raw) != 2 || s.Text != "Here you go" || s.Dst != "14155550100" || s.Src != "14155550199" {
		t.Fatalf("carrier got %+v, want type mms with media_urls %v", s, urls)
	}
}
