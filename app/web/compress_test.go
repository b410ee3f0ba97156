package web_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/parleyhq/parley/static"
)

// getEncoded is get with Accept-Encoding set to enc (none when empty).
func (b *browser) getEncoded(method, target, enc string, header ...string) page {
	b.t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if enc != "" {
		req.Header.Set("Accept-Encoding", enc)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// decode undoes the Content-Encoding a response names.
func decode(t testing.TB, p page) string {
	t.Helper()
	var r io.Reader = strings.NewReader(p.body)
	switch enc := p.header.Get("Content-Encoding"); enc {
	case "":
		return p.body
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip body: %v", err)
		}
		r = zr
	default:
		t.Fatalf("Content-Encoding=%q, want br or gzip", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s body: %v", p.header.Get("Content-Encoding"), err)
	}
	return string(out)
}

var pageAssets = regexp.MustCompile(`<(?:script src|link rel="stylesheet" href)="(/static/[^"]+)"`)

// Pages, their stylesheet and scripts, and JSON answers go out compressed
// to a browser that accepts it, name the encoding, vary on
// Accept-Encoding, and decode to exactly the plain answer.
func TestResponsesAreCompressed(t *testing.T) {
	ts := newTestServer(t, token)
	b := ts.signedIn(t)
	inbox := b.get("/")
	assets := pageAssets.FindAllStringSubmatch(inbox.body, -1)
	if len(assets) < 4 {
		t.Fatalf("the inbox links %d stylesheets and scripts, want 4", len(assets))
	}
	longKey := `{"` + strings.Repeat("unknown", 40) + `": 1}`
	cases := []struct {
		name     string
		send     func(enc string) page
		wantType string
	}{
		{"inbox page", func(enc string) page { return b.getEncoded(http.MethodGet, "/", enc) }, "text/html"},
		{"JSON error", func(enc string) page {
			req := httptest.NewRequest(http.MethodPost, "/api/sms/send", strings.NewReader(longKey))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF-Token", b.csrf)
			if enc != "" {
				req.Header.Set("Accept-Encoding", enc)
			}
			return b.do(req)
		}, "application/json"},
	}
	for _, m := range assets {
		path := m[1]
		cases = append(cases, struct {
			name     string
			send     func(enc string) page
			wantType string
		}{path, func(enc string) page { return b.getEncoded(http.MethodGet, path, enc) }, "text/"})
	}
	for _, tc := range cases {
		plain := tc.send("")
		if ce := plain.header.Get("Content-Encoding"); ce != "" {
			t.Errorf("%s without Accept-Encoding: Content-Encoding=%q, want none", tc.name, ce)
		}
		if !strings.HasPrefix(plain.header.Get("Content-Type"), tc.wantType) {
			t.Errorf("%s: Content-Type=%q, want %s", tc.name, plain.header.Get("Content-Type"), tc.wantType)
		}
		for _, enc := range []string{"br", "gzip", "gzip, deflate, br, zstd"} {
			got := tc.send(enc)
			want := enc
			if strings.Contains(enc, "br") {
				want = "br"
			}
			if ce := got.header.Get("Content-Encoding"); ce != want {
				t.Errorf("%s with Accept-Encoding %q: Content-Encoding=%q, want %q", tc.name, enc, ce, want)
				continue
			}
			if v := got.header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") {
				t.Errorf("%s %s: Vary=%q, want Accept-Encoding", tc.name, enc, v)
			}
			if got.status != plain.status {
				t.Errorf("%s %s: status=%d, want %d", tc.name, enc, got.status, plain.status)
			}
			if len(got.body) >= len(plain.body) {
				t.Errorf("%s %s: %d bytes, want fewer than the plain %d", tc.name, enc, len(got.body), len(plain.body))
			}
			if decoded := decode(t, got); decoded != plain.body {
				t.Errorf("%s %s: decodes to %d bytes that differ from the plain %d", tc.name, enc, len(decoded), len(plain.body))
			}
			if cl := got.header.Get("Content-Length"); cl != strconv.Itoa(len(got.body)) {
				t.Errorf("%s %s: Content-Length=%s, want %d", tc.name, enc, cl, len(got.body))
			}
		}
	}
}

// Answers too small to gain (a probe's JSON, Plivo's XML reply) and
// content that is compressed already go out as they are.
func TestSmallAnswersAreNotCompressed(t *testing.T) {
	ts := newTestServer(t, token)
	b := ts.browser(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		p := b.getEncoded(http.MethodGet, path, "br, gzip")
		if ce := p.header.Get("Content-Encoding"); ce != "" || !strings.HasPrefix(p.body, "{") {
			t.Errorf("%s: Content-Encoding=%q body %q, want plain JSON", path, ce, p.body)
		}
	}
}

// Hashed assets answer HEAD with the GET's headers and no body, carry an
// ETag, and answer a matching If-None-Match with an empty 304, in every
// encoding.
func TestStaticAssetsRevalidate(t *testing.T) {
	ts := newTestServer(t, token)
	b := ts.browser(t)
	for _, name := range []string{"css/app.css", "js/app.min.js", "js/htmx.min.js", "img/favicon.svg"} {
		path := static.Path(name)
		for _, enc := range []string{"", "br", "gzip"} {
			get := b.getEncoded(http.MethodGet, path, enc)
			if get.status != http.StatusOK {
				t.Errorf("GET %s (%q)=%d, want 200", path, enc, get.status)
				continue
			}
			etag := get.header.Get("ETag")
			if etag == "" {
				t.Errorf("GET %s (%q): no ETag", path, enc)
				continue
			}
			if cc := get.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("GET %s: Cache-Control=%q, want immutable", path, cc)
			}
			head := b.getEncoded(http.MethodHead, path, enc)
			if head.status != http.StatusOK || head.body != "" {
				t.Errorf("HEAD %s (%q)=%d with %d bytes, want 200 and none", path, enc, head.status, len(head.body))
			}
			for _, h := range []string{"Content-Length", "Content-Encoding", "Content-Type", "ETag", "Vary"} {
				if head.header.Get(h) != get.header.Get(h) {
					t.Errorf("HEAD %s (%q): %s=%q, want the GET's %q", path, enc, h, head.header.Get(h), get.header.Get(h))
				}
			}
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				again := b.getEncoded(method, path, enc, "If-None-Match", etag)
				if again.status != http.StatusNotModified || again.body != "" {
					t.Errorf("%s %s (%q) with If-None-Match %s=%d with %d bytes, want an empty 304", method, path, enc, etag, again.status, len(again.body))
				}
				if again.header.Get("ETag") != etag {
					t.Errorf("%s %s 304: ETag=%q, want %q", method, path, again.header.Get("ETag"), etag)
				}
			}
			stale := b.getEncoded(http.MethodGet, path, enc, "If-None-Match", `W/"0000"`)
			if stale.status != http.StatusOK || !bytes.Equal([]byte(stale.body), []byte(get.body)) {
				t.Errorf("GET %s (%q) with another ETag=%d, want the 200 again", path, enc, stale.status)
			}
		}
	}
}

// The page loads the minified script, and never the source beside it.
func TestPagesLinkTheMinifiedScript(t *testing.T) {
	ts := newTestServer(t, token)
	b := ts.signedIn(t)
	for path, body := range map[string]string{"/": b.get("/").body, "/login": ts.browser(t).get("/login").body} {
		if !strings.Contains(body, `<script src="`+static.Path("js/app.min.js")+`"`) {
			t.Errorf("%s does not load %s", path, static.Path("js/app.min.js"))
		}
		if strings.Contains(body, "/static/js/app.") && !strings.Contains(body, "/static/js/app.min.") {
			t.Errorf("%s loads the unminified app.js", path)
		}
	}
}

// The live stream is never compressed, whatever the browser accepts: a
// compressor would hold events back until its buffer fills.
func TestEventsAreNeverCompressed(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	for i, path := range []string{"/events", "/events/", "/Events"} {
		req, _ := http.NewRequest(http.MethodGet, ls.base+path, nil)
		// Set by hand, so the client hands over the raw stream and headers.
		req.Header.Set("Accept-Encoding", "br, gzip")
		resp, err := ls.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		s := &sseStream{resp: resp, frames: make(chan sseFrame, 64), cancel: func() {}, ended: make(chan struct{})}
		if ce := resp.Header.Get("Content-Encoding"); ce != "" || resp.Uncompressed {
			s.close()
			t.Fatalf("%s: Content-Encoding=%q, want none", path, ce)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
			s.close()
			t.Fatalf("%s: Content-Type=%q, want text/event-stream", path, ct)
		}
		go s.read()
		text := fmt.Sprintf("straight through %d", i)
		ls.text(t, fmt.Sprintf("plain-%d", i), "14155550100", text)
		s.nextWith(t, text)
		s.close()
	}
}

// The encoding follows the client's Accept-Encoding, q-values included:
// brotli when accepted, gzip otherwise, nothing when neither is.
func TestCompressionHonoursAcceptEncoding(t *testing.T) {
	ts := newTestServer(t, token)
	b := ts.signedIn(t)
	for _, tc := range []struct{ accept, want string }{
		{"gzip, br", "br"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0.5, br;q=0.1", "br"},
		{"*", "br"},
		{"*;q=0, gzip", "gzip"},
		{"GZIP", "gzip"},
		{"identity", ""},
		{"deflate", ""},
		{"gzip;q=0", ""},
	} {
		p := b.getEncoded(http.MethodGet, "/", tc.accept)
		if ce := p.header.Get("Content-Encoding"); ce != tc.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding=%q, want %q", tc.accept, ce, tc.want)
		}
		if v := p.header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: Vary=%q, want Accept-Encoding", tc.accept, v)
		}
	}
}

// A page asked for by another site is never compressed (BREACH): such a
// request can carry text the other site chose (a search) beside secrets
// of the session (the CSRF token, customers' texts), and the size of a
// compressed answer would tell how much of one matches the other. The
// same page asked for by Parley's own pages, or typed in, is compressed.
func TestCrossSiteRequestsAreNotCompressed(t *testing.T) {
	ts := newTestServer(t, token)
	b := ts.signedIn(t)
	cases := []struct {
		site, want string
	}{
		{"cross-site", ""},
		{"same-site", ""},
		{"same-origin", "br"},
		{"none", "br"},
		{"", "br"}, // a client that sends no fetch metadata
	}
	for _, tc := range cases {
		var header []string
		if tc.site != "" {
			header = []string{"Sec-Fetch-Site", tc.site}
		}
		p := b.getEncoded(http.MethodGet, "/?q=parley", "br, gzip", header...)
		if p.status != http.StatusOK {
			t.Fatalf("Sec-Fetch-Site %q: status=%d, want 200", tc.site, p.status)
		}
		if ce := p.header.Get("Content-Encoding"); ce != tc.want {
			t.Errorf("Sec-Fetch-Site %q: Content-Encoding=%q, want %q", tc.site, ce, tc.want)
		}
		if v := p.header.Get("Vary"); !strings.Contains(v, "Sec-Fetch-Site") {
			t.Errorf("Sec-Fetch-Site %q: Vary=%q, want it to name Sec-Fetch-Site", tc.site, v)
		}
	}
}
