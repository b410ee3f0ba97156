package web_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/plivo/simulator"
)

const webhookURL = publicURL + "/api/sms/webhook"

// inboundForm is a text from +14155550100 to +14155550199.
func inboundForm(uuid, text string) url.Values {
	return simulator.InboundForm("+14155550100", "+14155550199", text, uuid)
}

// xmlReply decodes Parley's answer; it fails the test on malformed XML.
type xmlReply struct {
	XMLName  xml.Name `xml:"Response"`
	Messages []struct {
		Src         string `xml:"src,attr"`
		Dst         string `xml:"dst,attr"`
		CallbackURL string `xml:"callbackUrl,attr"`
		Text        string `xml:",chardata"`
	} `xml:"Message"`
}

func mustDecodeReply(tb testing.TB, body string) xmlReply {
	tb.Helper()
	var r xmlReply
	if err := xml.Unmarshal([]byte(body), &r); err != nil {
		tb.Fatalf("answer is not XML: %v\n%s", err, body)
	}
	return r
}

func TestWebhookAnswersKeywordWithXML(t *testing.T) {
	ts := newTestServer(t, token)
	status, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-1", "Hello")))
	if status != http.StatusOK {
		t.Fatalf("status=%d body=%s, want 200", status, body)
	}
	r := mustDecodeReply(t, body)
	if len(r.Messages) != 1 {
		t.Fatalf("messages in reply=%d, want 1: %s", len(r.Messages), body)
	}
	m := r.Messages[0]
	if m.Src != "14155550199" || m.Dst != "14155550100" || !strings.HasPrefix(m.Text, "Hello!") {
		t.Fatalf("reply=%+v, want greeting from our number to the contact", m)
	}
	if !strings.HasPrefix(m.CallbackURL, publicURL+"/api/sms/delivery?ref=") {
		t.Fatalf("callbackUrl=%q, want the delivery URL with the reply's id", m.CallbackURL)
	}
	if n := ts.countMessages(t); n != 2 {
		t.Fatalf("messages stored=%d, want 2", n)
	}
}

func TestWebhookSilentForOrdinaryText(t *testing.T) {
	ts := newTestServer(t, token)
	status, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-1", "Where is my order?")))
	if status != http.StatusOK || strings.TrimSpace(body) != "<Response></Response>" {
		t.Fatalf("status=%d body=%q, want 200 and an empty Response", status, body)
	}
}

func TestWebhookAcceptsGET(t *testing.T) {
	ts := newTestServer(t, token)
	status, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodGet, inboundForm("u-get", "hi")))
	if status != http.StatusOK || len(mustDecodeReply(t, body).Messages) != 1 {
		t.Fatalf("GET status=%d body=%s, want 200 with a reply", status, body)
	}
}

func TestWebhookSignatures(t *testing.T) {
	form := inboundForm("u-sig", "hello")
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"v3 and v2", func() *http.Request { return plivotest.SignedRequest(token, webhookURL, http.MethodPost, form) }, 200},
		{"v2 only", func() *http.Request {
			r := plivotest.SignedRequest(token, webhookURL, http.MethodPost, form)
			for _, h := range []string{plivo.HeaderSignatureV3, plivo.HeaderSignatureMaV3, plivo.HeaderNonceV3} {
				r.Header.Del(h)
			}
			return r
		}, 200},
		{"comma list with spaces", func() *http.Request {
			r := plivotest.SignedRequest(token, webhookURL, http.MethodPost, form)
			r.Header.Set(plivo.HeaderSignatureV3, "bogus=, "+r.Header.Get(plivo.HeaderSignatureV3))
			r.Header.Del(plivo.HeaderSignatureMaV3)
			return r
		}, 200},
		{"unsigned", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, webhookURL, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 403},
		{"wrong token", func() *http.Request { return plivotest.SignedRequest("other-token", webhookURL, http.MethodPost, form) }, 403},
		{"tampered body", func() *http.Request {
			r := plivotest.SignedRequest(token, webhookURL, http.MethodPost, form)
			tampered := inboundForm("u-sig", "hello")
			tampered.Set("From", "14155550111")
			r.Body = httpBody(tampered.Encode())
			r.ContentLength = int64(len(tampered.Encode()))
			return r
		}, 403},
		{"v3 wrong, v2 right: no fallback", func() *http.Request {
			r := plivotest.SignedRequest(token, webhookURL, http.MethodPost, form)
			r.Header.Set(plivo.HeaderSignatureV3, "AAAA")
			r.Header.Set(plivo.HeaderSignatureMaV3, "AAAA")
			return r
		}, 403},
		{"signed for the Host, not PUBLIC_URL", func() *http.Request {
			r := plivotest.SignedRequest(token, "http://internal:3000/api/sms/webhook", http.MethodPost, form)
			return r
		}, 403},
		{"any Host header when signed for PUBLIC_URL", func() *http.Request {
			r := plivotest.SignedRequest(token, webhookURL, http.MethodPost, form)
			r.Host = "10.0.0.7:3000"
			return r
		}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Production: development answers other Host names 421 before
			// any signature is read.
			ts := newTestServerWith(t, testOptions{tokens: []string{token}, production: true})
			status, body := ts.MustDo(t, tt.req())
			if status != tt.status {
				t.Fatalf("status=%d body=%s, want %d", status, body, tt.status)
			}
			want := 0
			if tt.status == 200 {
				want = 2
			}
			if n := ts.countMessages(t); n != want {
				t.Fatalf("messages stored=%d, want %d", n, want)
			}
		})
	}
}

func TestWebhookUnsignedAcceptedWithoutToken(t *testing.T) {
	ts := newTestServer(t)
	r := httptest.NewRequest(http.MethodPost, webhookURL, strings.NewReader(inboundForm("u-dev", "hi").Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if status, body := ts.MustDo(t, r); status != 200 {
		t.Fatalf("status=%d body=%s, want 200 without a configured token", status, body)
	}
}

func TestWebhookBadInputChangesNothing(t *testing.T) {
	without := func(k string) url.Values {
		f := inboundForm("u-bad", "hi")
		f.Del(k)
		return f
	}
	tests := []struct {
		name   string
		body   string
		status int
		reason string
	}{
		{"missing From", without("From").Encode(), 400, "From"},
		{"missing To", without("To").Encode(), 400, "To"},
		{"missing MessageUUID", without("MessageUUID").Encode(), 400, "MessageUUID"},
		{"bad From", strings.Replace(inboundForm("u-bad", "hi").Encode(), "From=14155550100", "From=%3Cscript%3E", 1), 400, "From"},
		{"unparsable body", "From=%zz&To=1", 400, "form body"},
		{"body over 64 KiB", inboundForm("u-big", strings.Repeat("a", 70<<10)).Encode(), 413, "64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			r := httptest.NewRequest(http.MethodPost, webhookURL, strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			status, body := ts.MustDo(t, r)
			if status != tt.status || !strings.Contains(body, tt.reason) || strings.Count(strings.TrimSpace(body), "\n") != 0 {
				t.Fatalf("status=%d body=%q, want %d with a one-line reason naming %q", status, body, tt.status, tt.reason)
			}
			if n := ts.countMessages(t); n != 0 {
				t.Fatalf("messages stored=%d, want 0", n)
			}
		})
	}
}

func TestWebhookDuplicatesStoreOnceAndReplyOnce(t *testing.T) {
	ts := newTestServer(t, token)
	const n = 30
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		replies int
		bad     []string
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("same", "hello")))
			mu.Lock()
			defer mu.Unlock()
			if status != 200 {
				bad = append(bad, fmt.Sprintf("%d %s", status, body))
				return
			}
			replies += len(mustDecodeReply(t, body).Messages)
		}()
	}
	wg.Wait()
	if len(bad) > 0 {
		t.Fatalf("%d of %d deliveries not 200, first: %s", len(bad), n, bad[0])
	}
	if replies != 1 {
		t.Fatalf("replies across %d deliveries=%d, want 1", n, replies)
	}
	if got := ts.countMessages(t); got != 2 {
		t.Fatalf("messages stored=%d, want 2 (the text and one reply)", got)
	}
}

func TestWebhookStoreFailureAnswers503(t *testing.T) {
	ts := newTestServer(t, token)
	ts.store.Close()
	status, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-down", "hello")))
	if status != http.StatusServiceUnavailable {
		t.Fatalf("status=%d body=%s, want 503 so Plivo retries", status, body)
	}
	if strings.Contains(body, "sql") || strings.Contains(body, "closed") {
		t.Fatalf("body=%q leaks internals", body)
	}
}

func TestWebhookEscapesReplyText(t *testing.T) {
	ts := newTestServer(t, token)
	if _, err := ts.store.DB().NewRaw("UPDATE keyword_rules SET reply = ? WHERE keywords = 'HOURS'", `Mon–Fri 9<5 & "weekends" closed`).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-esc", "hours")))
	r := mustDecodeReply(t, body)
	if len(r.Messages) != 1 || r.Messages[0].Text != `Mon–Fri 9<5 & "weekends" closed` {
		t.Fatalf("reply=%s, want the text to round-trip through XML", body)
	}
}
