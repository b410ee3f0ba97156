package web_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// Nothing a signed-in person is shown may be kept by the browser or a
// proxy (the back button on a shared computer, a caching proxy): every
// route behind sign-in, and the sign-in pages, answer Cache-Control:
// no-store, whatever the status. Hashed static assets stay cacheable.
func TestSignedInResponsesAreNotStored(t *testing.T) {
	ts := newTestServer(t, token)
	b := ts.signedIn(t)
	skip := map[string]bool{
		"GET /healthz": true, "GET /readyz": true, "GET /static/*": true,
		"POST /api/sms/webhook": true, "GET /api/sms/webhook": true,
		"POST /api/sms/delivery": true, "GET /api/sms/delivery": true,
		// These would end the walk's session; logout is checked last.
		"POST /auth/logout": true, "POST /auth/dev": true,
	}
	walked := 0
	for _, r := range ts.app.GetRoutes(true) {
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			continue
		}
		key := r.Method + " " + r.Path
		if skip[key] {
			continue
		}
		path := strings.NewReplacer(":provider", "github", ":id", "1", ":action", "x", "*", "x").Replace(r.Path)
		req := httptest.NewRequest(r.Method, path, nil)
		req.Header.Set("X-CSRF-Token", b.csrf)
		if r.Method == http.MethodPost {
			req.Header.Set("HX-Request", "true")
		}
		p := b.do(req)
		if cc := p.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("%s: %d with Cache-Control %q, want no-store", key, p.status, cc)
		}
		walked++
	}
	if walked < 20 {
		t.Fatalf("walked %d routes; the walk is not seeing them", walked)
	}
	if p := b.post("/auth/logout", nil, true); !strings.Contains(p.header.Get("Cache-Control"), "no-store") {
		t.Errorf("POST /auth/logout: Cache-Control %q, want no-store", p.header.Get("Cache-Control"))
	}
	login := b.get("/login")
	if !strings.Contains(login.header.Get("Cache-Control"), "no-store") {
		t.Errorf("GET /login: Cache-Control %q, want no-store", login.header.Get("Cache-Control"))
	}
	css := regexp.MustCompile(`/static/css/app\.[0-9a-f]+\.css`).FindString(login.body)
	if css == "" {
		t.Fatal("no hashed stylesheet on /login")
	}
	if cc := b.get(css).header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || strings.Contains(cc, "no-store") {
		t.Errorf("%s: Cache-Control %q, want a cacheable immutable asset", css, cc)
	}
}
