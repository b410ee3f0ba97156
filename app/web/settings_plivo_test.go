package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
)

// newPlivoServer is a test server whose Settings → Plivo works over api.
func newPlivoServer(t *testing.T, api *plivotest.API, refusals *inbox.RefusalTally) *testServer {
	t.Helper()
	return newTestServerWith(t, testOptions{
		tokens: []string{token}, numbers: []inbox.Number{"+14155550199"}, refusals: refusals,
		carrier: func(svc *inbox.Service, s *store.Store) *inbox.Carrier {
			account, err := plivo.NewAccount(plivo.AccountOptions{AuthID: api.AuthID, AuthToken: api.AuthToken, BaseURL: api.URL})
			if err != nil {
				t.Fatal(err)
			}
			return inbox.NewCarrier(inbox.CarrierOptions{Account: account, Store: s, Service: svc, MessageURL: webhookURL})
		},
	})
}

func TestPlivoScreenPreviewsThenConnects(t *testing.T) {
	api := plivotest.NewAPI(t)
	old := api.AddApplication(plivotest.Application{AppName: "Old-helpdesk", MessageURL: "https://old.example.com/sms"})
	api.AddNumber(plivotest.Number{Number: "14155550100", Type: "local", Region: "California, UNITED STATES", SMS: true})
	api.AddNumber(plivotest.Number{Number: "14155550101", Type: "local", SMS: true, AppID: old})
	ts := newPlivoServer(t, api, nil)
	admin := ts.signedIn(t)
	agent, _ := ts.agent(t, "ana@team.example.com", "Ana Ruiz")

	if p := agent.get("/settings/plivo"); p.status != http.StatusForbidden {
		t.Errorf("agent GET /settings/plivo=%d, want 403", p.status)
	}
	if p := agent.htmxPost("/settings/plivo/connect", url.Values{"pick": {"+14155550100"}}); p.status != http.StatusForbidden {
		t.Errorf("agent connect=%d, want 403", p.status)
	}

	p := admin.get("/settings/plivo")
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	routes := map[string]string{}
	doc.Find(`[data-testid="plivo-number"]`).Each(func(_ int, s *goquery.Selection) {
		routes[s.AttrOr("data-number", "")] = s.AttrOr("data-route", "")
	})
	if p.status != http.StatusOK || routes["+14155550100"] != "no_url" || routes["+14155550101"] != "elsewhere" {
		t.Fatalf("screen=%d routes=%v, want no_url and elsewhere", p.status, routes)
	}

	form := url.Values{"pick": {"+14155550100"}, "name:+14155550100": {"Support"}}
	p = admin.htmxPost("/settings/plivo/preview", form)
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(p.body))
	changes := doc.Find(`[data-testid="plivo-plan-change"]`)
	if p.status != http.StatusOK || changes.Length() != 2 || !strings.Contains(changes.Text(), "Link +1 415-555-0100 to Parley (was: none)") {
		t.Fatalf("preview=%d, changes %q; want create + link", p.status, changes.Text())
	}
	if strings.Contains(p.body, "<html") {
		t.Error("the htmx preview answered a whole page")
	}
	if n := plivotest.Changes(api); n != 0 {
		t.Fatalf("the preview made %d changes on Plivo", n)
	}

	p = admin.htmxPost("/settings/plivo/connect", form)
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="plivo-done"`) {
		t.Fatalf("connect=%d:\n%.400s", p.status, p.body)
	}
	if got := plivotest.ChangedNumbers(api); len(got) != 1 || got[0] != "14155550100" {
		t.Errorf("changed numbers=%v, want [14155550100]", got)
	}
	if name := ts.svc.ChannelName("+14155550100"); name != "Support" {
		t.Errorf("inbox name=%q, want Support", name)
	}

	// A bad pick comes back with the reason and changes nothing.
	before := plivotest.Changes(api)
	p = admin.htmxPost("/settings/plivo/connect", url.Values{"pick": {"+14155550199"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "is not a number on this Plivo account") {
		t.Errorf("bad pick=%d, want 422 naming it", p.status)
	}
	if plivotest.Changes(api) != before {
		t.Error("a refused connect changed Plivo")
	}
}

func TestPlivoScreenShowsWrongCredentialsWithoutTheToken(t *testing.T) {
	api := plivotest.NewAPI(t)
	ts := newPlivoServer(t, api, nil)
	api.AuthToken = "rotated-elsewhere"
	p := ts.signedIn(t).get("/settings/plivo")
	if p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="plivo-account-error"`) || !strings.Contains(p.body, "Plivo refused the credentials") {
		t.Fatalf("screen=%d, want the credentials error shown:\n%.400s", p.status, p.body)
	}
	if strings.Contains(p.body, plivotest.AuthToken) {
		t.Error("the page shows the auth token")
	}
}

func TestPlivoScreenCountsRefusedWebhooks(t *testing.T) {
	api := plivotest.NewAPI(t)
	tally := &inbox.RefusalTally{}
	ts := newPlivoServer(t, api, tally)
	bad := plivotest.SignedRequest("not-our-token", webhookURL, http.MethodPost, inboundForm("u-forged", "hi"))
	if status, _ := ts.MustDo(t, bad); status != http.StatusForbidden {
		t.Fatalf("forged webhook=%d, want 403", status)
	}
	good := plivotest.SignedRequest(token, webhookURL, http.MethodPost, inboundForm("u-ok", "hi"))
	for range 2 {
		ts.MustDo(t, good) // the second is a replay
	}
	counts := tally.Drain()
	if counts["wrong"] != 1 || counts["replayed"] != 1 || len(counts) != 2 {
		t.Errorf("tally=%v, want one wrong and one replayed", counts)
	}
}

func TestPlivoTestTextOpensItsThread(t *testing.T) {
	api := plivotest.NewAPI(t)
	ts := newPlivoServer(t, api, nil)
	admin := ts.signedIn(t)
	p := admin.htmxPost("/settings/plivo/test", url.Values{"to": {"555"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `data-testid="plivo-test-error"`) {
		t.Errorf("bad phone=%d, want 422 with the reason", p.status)
	}
	if n := ts.countMessages(t); n != 0 {
		t.Fatalf("messages after a refused test=%d, want 0", n)
	}
	p = admin.htmxPost("/settings/plivo/test", url.Values{"to": {"+14155550123"}})
	if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("HX-Redirect"), "/conversations/") {
		t.Errorf("test text=%d redirect %q, want the thread", p.status, p.header.Get("HX-Redirect"))
	}
	if n := ts.countMessages(t); n != 1 {
		t.Errorf("messages=%d, want the one queued test text", n)
	}
}
