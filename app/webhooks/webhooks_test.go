package webhooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/webhooks"
)

func TestBlocked(t *testing.T) {
	for _, tt := range []struct {
		ip      string
		blocked bool
	}{
		{"127.0.0.1", true}, {"10.1.2.3", true}, {"172.16.0.1", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"0.0.0.0", true}, {"100.64.0.1", true}, {"::1", true},
		{"fd00::1", true}, {"fe80::1", true}, {"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true},
		{"224.0.0.1", true}, {"255.255.255.255", true},
		{"93.184.216.34", false}, {"2606:4700::1111", false}, {"8.8.8.8", false},
	} {
		if got := webhooks.Blocked(netip.MustParseAddr(tt.ip)); got != tt.blocked {
			t.Errorf("Blocked(%s) = %v, want %v", tt.ip, got, tt.blocked)
		}
	}
}

func TestCheckURLRefusesPrivateHostsUnlessAllowed(t *testing.T) {
	ctx := context.Background()
	strict := webhooks.Guard{}
	for _, u := range []string{
		"http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]/x", "http://169.254.169.254/latest/meta-data",
		"https://10.0.0.5/hook", "http://0.0.0.0/", "http://[::ffff:192.168.0.1]/",
	} {
		if err := strict.CheckURL(ctx, u); !errors.Is(err, webhooks.ErrPrivateAddress) {
			t.Errorf("CheckURL(%s) = %v, want ErrPrivateAddress", u, err)
		}
	}
	if err := strict.CheckURL(ctx, "https://93.184.216.34/hook"); err != nil {
		t.Errorf("a public address was refused: %v", err)
	}
	if err := (webhooks.Guard{AllowPrivate: true}).CheckURL(ctx, "http://127.0.0.1/x"); err != nil {
		t.Errorf("AllowPrivate refused loopback: %v", err)
	}
}

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func request(url string, kind inbox.WebhookKind, payload []byte) inbox.WebhookRequest {
	return inbox.WebhookRequest{
		Endpoint: inbox.WebhookEndpoint{ID: 1, URL: url, Kind: kind, Secret: secret},
		ID:       "msg_1_message_received", Timestamp: time.Now(), Type: inbox.WebhookMessageReceived, Payload: payload,
	}
}

// TestClientRefusesPrivateAddressesWhenItConnects is the SSRF attempt: a
// receiver on loopback, reached by name and by address, with private
// addresses not allowed. The dialer refuses before any byte is sent.
func TestClientRefusesPrivateAddressesWhenItConnects(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := webhooks.NewClient(webhooks.Options{Timeout: 2 * time.Second})
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	for _, u := range []string{srv.URL, byName} {
		res := c.Post(context.Background(), request(u, inbox.WebhookStandard, []byte(`{}`)))
		if res.OK() || !errors.Is(res.Err, webhooks.ErrPrivateAddress) {
			t.Errorf("Post(%s) = %+v, want refused as a private address", u, res)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("the private receiver got %d requests, want none", hits.Load())
	}
}

// TestClientFollowsNoRedirect: a public-looking endpoint that redirects to
// an internal one gets its 3xx recorded; the internal one is never asked.
func TestClientFollowsNoRedirect(t *testing.T) {
	var internal atomic.Int32
	inner := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { internal.Add(1) }))
	defer inner.Close()
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/admin", http.StatusTemporaryRedirect)
	}))
	defer outer.Close()
	c := webhooks.NewClient(webhooks.Options{AllowPrivate: true, Timeout: 2 * time.Second})
	res := c.Post(context.Background(), request(outer.URL, inbox.WebhookStandard, []byte(`{}`)))
	if res.OK() || res.Status != http.StatusTemporaryRedirect || internal.Load() != 0 {
		t.Fatalf("Post = %+v, inner hits %d; want the 307 recorded as a failure and no request to the target", res, internal.Load())
	}
}

func TestClientTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	c := webhooks.NewClient(webhooks.Options{AllowPrivate: true, Timeout: 200 * time.Millisecond})
	start := time.Now()
	res := c.Post(context.Background(), request(srv.URL, inbox.WebhookStandard, []byte(`{}`)))
	if res.OK() || res.Err == nil || !strings.Contains(res.Err.Error(), "timeout") || time.Since(start) > 5*time.Second {
		t.Fatalf("Post = %+v after %s, want a timeout", res, time.Since(start))
	}
}

// TestSignMatchesTheOfficialLibrary signs with Sign and checks with the
// Standard Webhooks library, both ways.
func TestSignMatchesTheOfficialLibrary(t *testing.T) {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"type":"message.received","data":{}}`)
	ts := time.Now()
	ours, err := webhooks.Sign(secret, "msg_7", ts, body)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := wh.Sign("msg_7", ts, body)
	if err != nil || ours != theirs {
		t.Fatalf("Sign = %q, library = %q (err %v)", ours, theirs, err)
	}
	tampered, _ := webhooks.Sign(secret, "msg_7", ts, append(body, ' '))
	if tampered == ours {
		t.Fatal("a changed body signed the same")
	}
	if _, err := webhooks.Sign("whsec_!!!", "msg_7", ts, body); err == nil {
		t.Fatal("a secret that is not base64 signed")
	}
}

// TestSlackEndpoint is a fake Slack receiver: a text arrives as a Slack
// message with the text, the contact, and a link to the thread.
func TestSlackEndpoint(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(body, &got) != nil {
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	d := inbox.WebhookDelivery{EventID: 1, Type: inbox.WebhookMessageReceived, ConversationID: 42, OccurredAt: time.Now()}
	conv := inbox.Conversation{ID: 42, ContactNumber: "+14155550101", ChannelNumber: "+14155550199", Status: inbox.ConversationOpen}
	msg := inbox.Message{ID: 9, Direction: inbox.DirectionInbound, From: "+14155550101", To: "+14155550199", Body: "Where is <my> order?\nThanks"}
	payload, err := inbox.BuildWebhookPayload(d, conv, &msg, nil, nil, "https://sms.example.com/conversations/42")
	if err != nil {
		t.Fatal(err)
	}
	c := webhooks.NewClient(webhooks.Options{AllowPrivate: true, Timeout: 2 * time.Second})
	res := c.Post(context.Background(), request(srv.URL, inbox.WebhookSlack, payload))
	if !res.OK() || res.Body != "ok" {
		t.Fatalf("Post = %+v, want Slack's ok", res)
	}
	text, _ := got["text"].(string)
	if !strings.Contains(text, "Where is <my> order?") || !strings.Contains(text, "+1 415-555-0101") {
		t.Errorf("text = %q, want the message and who sent it", text)
	}
	blocks, _ := got["blocks"].([]any)
	if len(blocks) != 2 {
		t.Fatalf("blocks = %v, want a section and a context", got["blocks"])
	}
	section := blocks[0].(map[string]any)
	sectionText := section["text"].(map[string]any)["text"].(string)
	if section["type"] != "section" || !strings.Contains(sectionText, "&gt; Where is &lt;my&gt; order?\n&gt; Thanks") {
		t.Errorf("section = %v, want the text quoted and escaped for mrkdwn", section)
	}
	button := section["accessory"].(map[string]any)
	if button["url"] != "https://sms.example.com/conversations/42" {
		t.Errorf("button = %v, want a link to the thread", button)
	}
	context := blocks[1].(map[string]any)["elements"].([]any)[0].(map[string]any)["text"].(string)
	if !strings.Contains(context, "<https://sms.example.com/conversations/42|Open the thread in Parley>") {
		t.Errorf("context = %q, want a link to the thread", context)
	}
}
