package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// browser drives the app like a browser: it keeps cookies between requests
// and reads the CSRF token from pages.
type browser struct {
	t       testing.TB
	ts      *testServer
	cookies map[string]string
	csrf    string
	// host, when set, is the Host of every request instead of the
	// server's public host.
	host string
}

func (ts *testServer) browser(t testing.TB) *browser {
	return &browser{t: t, ts: ts, cookies: map[string]string{}}
}

type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	b.ts.setHost(req)
	if b.host != "" {
		req.Host = b.host
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := b.ts.app.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	if m := csrfMeta.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return page{status: resp.StatusCode, body: string(body), location: resp.Header.Get("Location"), header: resp.Header}
}

func (b *browser) get(target string) page {
	b.t.Helper()
	return b.do(httptest.NewRequest(http.MethodGet, target, nil))
}

// post sends a form; withCSRF adds the page's token as _csrf.
func (b *browser) post(target string, form url.Values, withCSRF bool) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if withCSRF {
		form.Set("_csrf", b.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}
