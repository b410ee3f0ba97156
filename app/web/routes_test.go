package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/web"
)

// TestEveryRouteIsPublicByIntentOrRefusesAnonymous walks every route the
// router holds. A route is either listed as public, or an anonymous request
// to it is refused with 401 or a redirect to /login. The anonymous browser
// carries a valid CSRF token (anyone can get one from /login), so only
// authentication can be what refuses it.
func TestEveryRouteIsPublicByIntentOrRefusesAnonymous(t *testing.T) {
	ts := newTestServer(t, token)
	routes := ts.app.GetRoutes(true)
	if len(routes) < 10 {
		t.Fatalf("router holds %d routes; the walk is not seeing them", len(routes))
	}
	public := web.PublicRoutes()
	anon := ts.browser(t)
	anon.get("/login")
	if anon.csrf == "" {
		t.Fatal("no CSRF token on /login")
	}
	for _, r := range routes {
		if r.Method == http.MethodHead || r.Method == http.MethodOptions || r.Method == "CONNECT" || r.Method == "TRACE" {
			continue
		}
		key := r.Method + " " + r.Path
		if public[key] {
			continue
		}
		path := strings.NewReplacer(":provider", "github", ":id", "1", "*", "x").Replace(r.Path)
		req := httptest.NewRequest(r.Method, path, nil)
		req.Header.Set("X-CSRF-Token", anon.csrf)
		p := anon.do(req)
		refused := p.status == http.StatusUnauthorized ||
			(p.status == http.StatusSeeOther && strings.HasPrefix(p.location, "/login"))
		if !refused {
			t.Errorf("%s is reachable anonymously: %d %s %.80s", key, p.status, p.location, p.body)
		}
	}
}
