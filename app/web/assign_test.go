package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/auth/authtest"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

// agent returns a browser signed in as an invited agent with email.
func (ts *testServer) agent(t *testing.T, email, name string) (*browser, inbox.User) {
	t.Helper()
	ts.fake.SignInAs(authtest.Account{Email: email, EmailVerified: true, Name: name})
	b := ts.browser(t)
	b.get("/login")
	if p := b.signInWith("github", "/"); p.status != http.StatusSeeOther {
		t.Fatalf("%s sign-in=%d", email, p.status)
	}
	b.get("/")
	u, err := ts.store.FindUserByEmail(context.Background(), email)
	if err != nil || u.Role != inbox.RoleAgent {
		t.Fatalf("%s: user=%+v err=%v, want an agent", email, u, err)
	}
	return b, u
}

// htmxPost posts a form as htmx does, with the page's CSRF token.
func (b *browser) htmxPost(target string, form url.Values) page {
	b.t.Helper()
	form.Set("_csrf", b.csrf)
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	return b.do(req)
}

func (b *browser) htmxGet(target string) page {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("HX-Request", "true")
	return b.do(req)
}

func (ts *testServer) assigneeOf(t *testing.T, id int64) int64 {
	t.Helper()
	c, err := ts.svc.FindConversation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.AssigneeID
}

func listedIDs(t *testing.T, body string) []string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	doc.Find(`[data-testid="conversation-row"]`).Each(func(_ int, s *goquery.Selection) { ids = append(ids, s.AttrOr("id", "")) })
	return ids
}

func TestAssignFromTheThread(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("as-1", "+14155550100", "+14155550199", "Where is my parcel?"))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Conversation.ID
	action := "/conversations/" + itoa(id) + "/assign"
	admin := ts.signedIn(t)
	ana, anaUser := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	bob, bobUser := ts.agent(t, "bob@team.example.com", "Bob Stone")

	// Ana takes it: the thread comes back with her as the assignee, and
	// its list row out of band.
	p := ana.htmxPost(action, url.Values{"assignee": {"me"}})
	if p.status != http.StatusOK || strings.Contains(p.body, "<html") {
		t.Fatalf("assign to me=%d, want a 200 partial:\n%.300s", p.status, p.body)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	if got := doc.Find(`[data-testid="assignee-name"]`).Text(); got != "You" {
		t.Errorf("assignee label=%q, want You", got)
	}
	if got := doc.Find(`li#conversation-`+itoa(id)+`[hx-swap-oob]`).AttrOr("data-assignee", ""); got != itoa(anaUser.ID) {
		t.Errorf("row data-assignee=%q, want ana %d", got, anaUser.ID)
	}
	if got := ts.assigneeOf(t, id); got != anaUser.ID {
		t.Fatalf("assignee=%d, want ana %d", got, anaUser.ID)
	}

	// The lists follow: Ana's "Mine" has it, Bob's does not, nor does
	// "Unassigned".
	for _, tt := range []struct {
		name string
		b    *browser
		url  string
		want int
	}{
		{"ana mine", ana, "/conversations?filter=mine", 1},
		{"bob mine", bob, "/conversations?filter=mine", 0},
		{"unassigned", bob, "/conversations?filter=unassigned", 0},
		{"open", bob, "/conversations?filter=open", 1},
	} {
		p := tt.b.htmxGet(tt.url)
		if got := len(listedIDs(t, p.body)); p.status != http.StatusOK || got != tt.want {
			t.Errorf("%s: status=%d rows=%d, want 200 and %d", tt.name, p.status, got, tt.want)
		}
	}
	if p := bob.get("/conversations/" + itoa(id)); !strings.Contains(p.body, `data-testid="assignee-locked"`) {
		t.Errorf("bob sees Ana's conversation without the locked assignee label")
	}

	// Refusals change nothing.
	published := len(ts.pub.Events())
	for _, tt := range []struct {
		name   string
		b      *browser
		form   url.Values
		csrf   bool
		status int
	}{
		{"bob takes ana's", bob, url.Values{"assignee": {"me"}}, true, http.StatusForbidden},
		{"bob releases ana's", bob, url.Values{"assignee": {""}}, true, http.StatusForbidden},
		{"malformed person", admin, url.Values{"assignee": {"ana"}}, true, http.StatusBadRequest},
		{"unknown person", admin, url.Values{"assignee": {"9999"}}, true, http.StatusBadRequest},
		{"no CSRF token", ana, url.Values{"assignee": {""}}, false, http.StatusForbidden},
	} {
		p := tt.b.post(action, tt.form, tt.csrf)
		if p.status != tt.status {
			t.Errorf("%s: status=%d, want %d", tt.name, p.status, tt.status)
		}
		if got := ts.assigneeOf(t, id); got != anaUser.ID {
			t.Errorf("%s: assignee=%d, want still ana", tt.name, got)
		}
	}
	if n := len(ts.pub.Events()); n != published {
		t.Errorf("refusals published %d events", n-published)
	}

	// An admin hands it to Bob (a plain form post redirects to the
	// thread); Bob releases it.
	if p := admin.post(action, url.Values{"assignee": {itoa(bobUser.ID)}}, true); p.status != http.StatusSeeOther || p.location != "/conversations/"+itoa(id) {
		t.Fatalf("admin reassign=%d to %q, want 303 to the thread", p.status, p.location)
	}
	if got := ts.assigneeOf(t, id); got != bobUser.ID {
		t.Fatalf("assignee=%d, want bob", got)
	}
	if p := bob.htmxPost(action, url.Values{"assignee": {""}}); p.status != http.StatusOK {
		t.Fatalf("bob unassign=%d", p.status)
	}
	if got := ts.assigneeOf(t, id); got != 0 {
		t.Fatalf("assignee=%d, want nobody", got)
	}
	if got := listedIDs(t, ana.htmxGet("/conversations?filter=unassigned").body); len(got) != 1 {
		t.Errorf("unassigned rows=%v, want the released conversation", got)
	}
	events := ts.pub.Events()[published:]
	if len(events) != 2 || events[0].Kind != inbox.EventConversationAssigned || events[1].Kind != inbox.EventConversationAssigned {
		t.Errorf("published %+v, want two assignment events", events)
	}
}
