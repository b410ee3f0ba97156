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

func TestNotesAndMentionsInTheBrowser(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("nt-1", "+14155550100", "+14155550199", "I was charged twice"))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Conversation.ID
	admin := ts.signedIn(t)
	ana, anaUser := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	messages := ts.countMessages(t)

	// The admin writes a note naming Ana: the answer is an empty note form
	// and the note, out of band; nothing is sent.
	p := admin.htmxPost("/conversations/"+itoa(id)+"/notes", url.Values{"text": {"@ana please refund <b>one</b>"}})
	if p.status != http.StatusOK || strings.Contains(p.body, "<html") {
		t.Fatalf("add note=%d, want a 200 partial:\n%.300s", p.status, p.body)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	if got := doc.Find(`#note-text`).Text(); got != "" {
		t.Errorf("note form after adding holds %q, want it empty", got)
	}
	note := doc.Find(`[hx-swap-oob="beforeend:#messages-` + itoa(id) + `"] [data-testid="note"]`)
	if note.Length() != 1 || note.Find(`[data-testid="note-mention"]`).Text() != "@ana" || doc.Find("b").Length() != 0 {
		t.Errorf("note fragment: %d found, mention=%q, <b> elements=%d; want one note, @ana marked, text escaped",
			note.Length(), note.Find(`[data-testid="note-mention"]`).Text(), doc.Find("b").Length())
	}
	if n := ts.countMessages(t); n != messages {
		t.Fatalf("messages=%d after a note, want %d: a note is never a message", n, messages)
	}
	events := ts.pub.Events()
	if last := events[len(events)-1]; last.Kind != inbox.EventNoteAdded || last.ConversationID != id {
		t.Errorf("last event=%+v, want note.added", last)
	}

	// Refused notes come back in their form with the reason.
	for _, tt := range []struct {
		name, text string
		csrf       bool
		status     int
	}{
		{"blank", "   ", true, http.StatusUnprocessableEntity},
		{"too long", strings.Repeat("x", inbox.MaxNoteLength+1), true, http.StatusUnprocessableEntity},
		{"no CSRF token", "hi", false, http.StatusForbidden},
	} {
		form := url.Values{"text": {tt.text}}
		var p page
		if tt.csrf {
			p = admin.htmxPost("/conversations/"+itoa(id)+"/notes", form)
		} else {
			p = admin.post("/conversations/"+itoa(id)+"/notes", form, false)
		}
		if p.status != tt.status {
			t.Errorf("%s: status=%d, want %d", tt.name, p.status, tt.status)
		}
		if tt.status == http.StatusUnprocessableEntity && !strings.Contains(p.body, `data-testid="note-error"`) {
			t.Errorf("%s: no error in the form", tt.name)
		}
	}
	if p := admin.htmxPost("/conversations/9999/notes", url.Values{"text": {"hi"}}); p.status != http.StatusNotFound {
		t.Errorf("note on a missing conversation=%d, want 404", p.status)
	}

	// Ana's badge counts the mention; her mentions screen lists it.
	if p := ana.htmxGet("/mentions/badge"); !strings.Contains(p.body, `data-count="1"`) {
		t.Fatalf("ana's badge=%s, want a count of 1", p.body)
	}
	if p := admin.htmxGet("/mentions/badge"); !strings.Contains(p.body, `data-count="0"`) {
		t.Errorf("admin's badge=%s, want 0 (nobody named them)", p.body)
	}
	p = ana.get("/mentions")
	if p.status != http.StatusOK || strings.Count(p.body, `data-testid="mention"`) != 1 || !strings.Contains(p.body, "@ana please refund &lt;b&gt;one&lt;/b&gt;") {
		t.Fatalf("ana's mentions=%d:\n%.500s", p.status, p.body)
	}

	// Opening the conversation reads the mention, and the thread shows the
	// note among the messages.
	p = ana.htmxGet("/conversations/" + itoa(id))
	if !strings.Contains(p.body, `id="nav-mentions"`) || !strings.Contains(p.body, `data-count="0"`) {
		t.Errorf("thread answer lacks the cleared badge out of band")
	}
	if !strings.Contains(p.body, `data-testid="note"`) {
		t.Errorf("thread lacks the note")
	}
	if p := ana.htmxGet("/mentions/badge"); !strings.Contains(p.body, `data-count="0"`) {
		t.Errorf("ana's badge after reading=%s, want 0", p.body)
	}
	if n, _ := ts.svc.CountUnreadMentions(ctx, anaUser); n != 0 {
		t.Errorf("unread mentions=%d, want 0", n)
	}
	if p := ana.get("/conversations/" + itoa(id)); p.status != http.StatusOK || !strings.Contains(p.body, `data-testid="note-body"`) {
		t.Errorf("full thread page=%d without the note", p.status)
	}
}
