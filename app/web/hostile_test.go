package web_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/app/plivo/plivotest"
)

// hostileTexts are texts an attacker, or a broken phone, might send.
var hostileTexts = []struct{ uuid, text string }{
	{"h-script", `<script>alert("x")</script> parcel`},
	{"h-img", `<img src=x onerror=alert(1)> parcel`},
	{"h-attr", `" onmouseover="alert(1)" parcel`},
	{"h-ctrl", "bell\x07 escape\x1b[31m red\x00 parcel"},
	{"h-utf8", "broken \xff\xfe bytes parcel"},
	{"h-sql", `O'Brien"; DROP TABLE messages; -- parcel`},
}

// TestHostileTextsAreStoredAndShownEscaped stores each hostile text (a
// text is a text: it is kept, not refused) and shows it in the inbox
// and its thread as text, never as markup, in valid UTF-8.
func TestHostileTextsAreStoredAndShownEscaped(t *testing.T) {
	ts := newTestServer(t, token)
	for i, h := range hostileTexts {
		form := inboundForm(h.uuid, h.text)
		form.Set("From", fmt.Sprintf("141555501%02d", i+10))
		if status, body := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, form)); status != http.StatusOK {
			t.Fatalf("%s: status=%d body=%s, want 200", h.uuid, status, body)
		}
	}
	if n := ts.countMessages(t); n != len(hostileTexts) {
		t.Fatalf("messages=%d, want %d", n, len(hostileTexts))
	}
	b := ts.signedIn(t)
	pages := []string{"/", "/conversations?filter=all&q=parcel"}
	for i := range hostileTexts {
		pages = append(pages, fmt.Sprintf("/conversations/%d", i+1))
	}
	for _, target := range pages {
		p := b.get(target)
		if p.status != http.StatusOK {
			t.Fatalf("GET %s=%d", target, p.status)
		}
		for _, raw := range []string{`<script>alert`, `<img src=x`, `" onmouseover="`, "\x00", "\x07", "\x1b"} {
			if strings.Contains(p.body, raw) {
				t.Errorf("GET %s shows %q unescaped", target, raw)
			}
		}
		if !utf8.ValidString(p.body) {
			t.Errorf("GET %s is not valid UTF-8", target)
		}
	}
	if p := b.get("/conversations/1"); !strings.Contains(p.body, "&lt;script&gt;") {
		t.Error("thread 1 does not show the script text as text")
	}
}

// TestSearchTakesSQLMetacharactersAsText searches for quotes, wildcards
// and statement fragments: each is a 200 that matches words, never an
// error, and nothing changes.
func TestSearchTakesSQLMetacharactersAsText(t *testing.T) {
	ts := newTestServer(t, token)
	form := inboundForm("s-1", "parcel for O'Brien arrived")
	if status, _ := ts.MustDo(t, plivotest.SignedRequest(token, webhookURL, http.MethodPost, form)); status != http.StatusOK {
		t.Fatal("webhook not stored")
	}
	b := ts.signedIn(t)
	tests := []struct {
		q     string
		match bool
	}{
		{"O'Brien", true},
		{"parcel", true},
		{"' OR 1=1 --", false},
		{`"; DROP TABLE messages; --`, false},
		{"%", false},
		{"_", false},
		{`\`, false},
		{"parcel' OR 'a'='a", false},
		{"\x00", false},
		{strings.Repeat("(", 500), false},
	}
	for _, tt := range tests {
		p := b.get("/conversations?filter=all&q=" + url.QueryEscape(tt.q))
		if p.status != http.StatusOK {
			t.Errorf("search %q: status=%d, want 200", tt.q, p.status)
			continue
		}
		if got := strings.Contains(p.body, "arrived"); got != tt.match {
			t.Errorf("search %q matched=%v, want %v", tt.q, got, tt.match)
		}
	}
	if n := ts.countMessages(t); n != 1 {
		t.Fatalf("messages=%d after the searches, want 1", n)
	}
}

// TestHostileHTTP serves the app on a real socket: headers over the read
// buffer and bodies over the limits are refused, and clients trickling
// their headers (slowloris) do not keep a webhook from its answer.
func TestHostileHTTP(t *testing.T) {
	ts := newTestServer(t, token)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = ts.app.Listener(ln) }()
	t.Cleanup(func() { _ = ts.app.ShutdownWithTimeout(time.Second) })
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 8 * time.Second}

	var slow []net.Conn
	for range 50 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		slow = append(slow, c)
		_, _ = c.Write([]byte("POST /api/sms/webhook HTTP/1.1\r\nHost: x\r\nX-Slow: "))
	}
	defer func() {
		for _, c := range slow {
			c.Close()
		}
	}()

	big := strings.Repeat("a", 32<<10)
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"oversized header", func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, base+"/healthz", nil)
			r.Header.Set("X-Big", big)
			return r
		}, http.StatusRequestHeaderFieldsTooLarge},
		{"webhook while slow clients wait", func() *http.Request {
			r := plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("slow-1", "still answered"))
			r2, _ := http.NewRequest(http.MethodPost, base+"/api/sms/webhook", r.Body)
			r2.Header = r.Header
			return r2
		}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.Do(tt.req())
			if err != nil {
				t.Fatalf("%v (no answer before Plivo's 8 s)", err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status=%d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
	// A body over the server's limit is refused from its Content-Length,
	// before it is read. (Sent as raw bytes: a client still writing the
	// body when the server answers and closes may see its write reset
	// before it reads the 413.)
	t.Run("body over the server limit", func(t *testing.T) {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(8 * time.Second))
		fmt.Fprintf(c, "POST /api/sms/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", 2<<20)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("no answer before the body was sent: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status=%d, want 413", resp.StatusCode)
		}
	})
	if n := ts.countMessages(t); n != 1 {
		t.Fatalf("messages=%d, want 1 (only the well-formed webhook)", n)
	}
}

// TestRequestsHTTPRefuses sends raw requests: an HTTP/1.1 request without
// Host is a 400 (RFC 9112 §3.2), an unknown method a 501 (RFC 9110
// §9.1), while HTTP/1.0 without Host, and an absolute-form target that
// names its host, are answered as before.
func TestRequestsHTTPRefuses(t *testing.T) {
	// Production: development answers only this machine's host names, which
	// would refuse the hosts below before these rules are reached.
	ts := newTestServerWith(t, testOptions{tokens: []string{token}, production: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = ts.app.Listener(ln) }()
	t.Cleanup(func() { _ = ts.app.ShutdownWithTimeout(time.Second) })
	tests := []struct {
		name, raw string
		status    int
	}{
		{"HTTP/1.1 without Host", "GET /healthz HTTP/1.1\r\n\r\n", http.StatusBadRequest},
		{"HTTP/1.1 with an empty Host", "GET /healthz HTTP/1.1\r\nHost:\r\n\r\n", http.StatusBadRequest},
		{"HTTP/1.1 webhook without Host", "POST /api/sms/webhook HTTP/1.1\r\nContent-Length: 0\r\n\r\n", http.StatusBadRequest},
		{"HTTP/1.0 without Host", "GET /healthz HTTP/1.0\r\n\r\n", http.StatusOK},
		{"HTTP/1.1 naming its host in the target", "GET http://x/healthz HTTP/1.1\r\n\r\n", http.StatusOK},
		{"HTTP/1.1 with Host", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", http.StatusOK},
		{"unknown method", "BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n", http.StatusNotImplemented},
		{"unknown method on no route", "PROPFIND /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", http.StatusNotImplemented},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(8 * time.Second))
			if _, err := io.WriteString(c, tt.raw); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status=%d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status >= 400 && resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("refusal lacks the security headers: %v", resp.Header)
			}
		})
	}
}
