package plivotest_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
)

const token = "ZmFrZV9hdXRoX3Rva2VuX2Zvcl90ZXN0c18wMDAx"

// callback builds what the web layer hands to plivo.Verify.
func callback(t *testing.T, publicURL string, r *http.Request) plivo.Callback {
	t.Helper()
	if err := r.ParseForm(); err != nil {
		t.Fatal(err)
	}
	cb := plivo.Callback{URL: publicURL, Method: r.Method, Header: r.Header.Get}
	if r.Method == http.MethodGet {
		u, _ := url.Parse(publicURL)
		u.RawQuery = r.URL.RawQuery
		cb.URL = u.String()
		return cb
	}
	cb.Params = map[string]string{}
	for k, vs := range r.PostForm {
		cb.Params[k] = vs[0]
	}
	return cb
}

func TestSignedRequest(t *testing.T) {
	form := url.Values{"From": {"14155550100"}, "To": {"14155550199"}, "Text": {"Hi & <bye>"}, "MessageIntent": {""}}
	tests := []struct {
		name, url, method string
	}{
		{"POST", "https://inbox.example.com/plivo/sms/inbound", http.MethodPost},
		{"POST with query", "https://inbox.example.com/plivo/sms/status?ref=42", http.MethodPost},
		{"GET", "https://inbox.example.com:8443/plivo/sms/inbound", http.MethodGet},
		{"GET with query", "http://127.0.0.1:3000/plivo/sms/status?ref=42", http.MethodGet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := plivotest.SignedRequest(token, tt.url, tt.method, form)
			if r.Method != tt.method {
				t.Errorf("Method=%v, want %v", r.Method, tt.method)
			}
			cb := callback(t, tt.url, r)
			if got := r.Form.Get("Text"); got != "Hi & <bye>" {
				t.Errorf("Text=%v, want %v", got, "Hi & <bye>")
			}
			if err := plivo.Verify([]string{token}, cb); err != nil {
				t.Errorf("Verify=%v, want nil", err)
			}
			for _, h := range []string{plivo.HeaderSignatureV3, plivo.HeaderSignatureMaV3} {
				r.Header.Del(h)
			}
			if err := plivo.Verify([]string{token}, cb); err != nil {
				t.Errorf("Verify(V2 only)=%v, want nil", err)
			}
			if err := plivo.Verify([]string{"other"}, cb); err == nil {
				t.Errorf("Verify(other token)=nil, want an error")
			}
		})
	}
}
