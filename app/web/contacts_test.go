package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

func TestContactFromTheThread(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("ct-1", "+14155550100", "+14155550199", "hi, it's Maria"))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Conversation.ID
	ana, _ := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	action := "/conversations/" + itoa(id) + "/contact"

	form := url.Values{
		"name": {"Maria <b>Lopez</b>"}, "notes": {"Prefers mornings"},
		"field_key": {"Order", "", "Plan"}, "field_value": {"A-1234", "", "Gold"},
	}
	p := ana.htmxPost(action, form)
	if p.status != http.StatusOK || strings.Contains(p.body, "<html") {
		t.Fatalf("save contact=%d:\n%.300s", p.status, p.body)
	}
	for _, want := range []string{
		`id="contact-` + itoa(id) + `"`,                                            // the panel
		`id="conversation-` + itoa(id) + `"`, `id="thread-title-` + itoa(id) + `"`, // row and title, out of band
		"Maria &lt;b&gt;Lopez&lt;/b&gt;",
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("answer lacks %s", want)
		}
	}
	c, err := ts.svc.FindContact(ctx, "+14155550100")
	if err != nil || c.Name != "Maria <b>Lopez</b>" || len(c.Fields) != 2 || c.Fields[1].Key != "Plan" {
		t.Fatalf("stored=%+v err=%v", c, err)
	}

	// The list shows the name instead of the number.
	list, _ := goquery.NewDocumentFromReader(strings.NewReader(ana.htmxGet("/conversations?filter=all").body))
	if got := list.Find(`[data-testid="conversation-title"]`).Text(); got != "Maria <b>Lopez</b>" {
		t.Errorf("list title=%q, want the contact's name", got)
	}

	// Refusals keep what was typed and change nothing.
	p = ana.htmxPost(action, url.Values{"name": {"Someone else"}, "field_key": {""}, "field_value": {"orphan"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "give the field with") || !strings.Contains(p.body, `value="Someone else"`) {
		t.Errorf("bad field=%d:\n%.500s", p.status, p.body)
	}
	if p := ana.post(action, url.Values{"name": {"x"}}, false); p.status != http.StatusForbidden {
		t.Errorf("no CSRF=%d, want 403", p.status)
	}
	if p := ana.htmxPost("/conversations/9999/contact", url.Values{"name": {"x"}}); p.status != http.StatusNotFound {
		t.Errorf("missing conversation=%d, want 404", p.status)
	}
	if c, _ := ts.svc.FindContact(ctx, "+14155550100"); c.Name != "Maria <b>Lopez</b>" {
		t.Errorf("refusals changed the contact: %+v", c)
	}
	n := 0
	for _, e := range ts.pub.Events() {
		if e.Kind == inbox.EventContactUpdated {
			n++
		}
	}
	if n != 1 {
		t.Errorf("contact events=%d, want 1", n)
	}
}
