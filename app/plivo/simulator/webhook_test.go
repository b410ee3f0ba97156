package simulator_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/simulator"
)

func TestSignedWebhook(t *testing.T) {
	form := url.Values{"From": {"14155550100"}, "Text": {"hi"}}
	const target, signURL = "http://127.0.0.1:9/api/sms/webhook?x=1", "https://sms.example.com/api/sms/webhook?x=1"

	post, err := simulator.SignedWebhook(context.Background(), token, target, signURL, http.MethodPost, form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(post.Body)
	if post.URL.String() != target || string(body) != form.Encode() || post.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("POST url=%s body=%q type=%q, want the form as the body of a request to the target", post.URL, body, post.Header.Get("Content-Type"))
	}
	want, _ := plivo.SignatureV3(token, signURL, http.MethodPost, post.Header.Get(plivo.HeaderNonceV3), map[string]string{"From": "14155550100", "Text": "hi"})
	if got := post.Header.Get(plivo.HeaderSignatureV3); got != want {
		t.Errorf("POST V3=%q, want %q (signed for the public URL)", got, want)
	}

	get, err := simulator.SignedWebhook(context.Background(), token, target, signURL, http.MethodGet, form)
	if err != nil {
		t.Fatal(err)
	}
	if q := get.URL.Query(); q.Get("x") != "1" || q.Get("Text") != "hi" || get.Body != nil {
		t.Errorf("GET url=%s, want the form merged into the target's query and no body", get.URL)
	}
	signed := "https://sms.example.com/api/sms/webhook?" + get.URL.RawQuery
	want, _ = plivo.SignatureV3(token, signed, http.MethodGet, get.Header.Get(plivo.HeaderNonceV3), nil)
	if got := get.Header.Get(plivo.HeaderSignatureV3); got != want {
		t.Errorf("GET V3=%q, want %q", got, want)
	}

	unsigned, err := simulator.SignedWebhook(context.Background(), "", target, signURL, http.MethodPost, form)
	if err != nil || unsigned.Header.Get(plivo.HeaderSignatureV3) != "" || unsigned.Header.Get(plivo.HeaderSignatureV2) != "" {
		t.Errorf("no token: headers=%v, %v, want no signature", unsigned.Header, err)
	}
	if _, err := simulator.SignedWebhook(context.Background(), token, target, "://bad", http.MethodPost, form); err == nil {
		t.Error("unparsable sign URL accepted, want an error")
	}
}
