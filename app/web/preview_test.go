package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

// rowPreview is the preview line of conversation id in a list page.
func rowPreview(t *testing.T, b *browser, id int64) string {
	t.Helper()
	p := b.htmxGet("/conversations?filter=all")
	if p.status != http.StatusOK {
		t.Fatalf("list=%d, want 200", p.status)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(doc.Find("#conversation-"+itoa(id)+` [data-testid="conversation-preview"]`).Text()), " ")
}

// TestListPreviewSaysWhoSpoke checks, through a real database, that a row
// names the writer of its latest message as each viewer reads it.
func TestListPreviewSaysWhoSpoke(t *testing.T) {
	ts := newTestServer(t, token)
	ctx := context.Background()
	ana, anaUser := ts.agent(t, "ana@team.example.com", "Ana Ruiz")
	bob, _ := ts.agent(t, "bob@team.example.com", "Bob Stone")

	r, err := ts.svc.Receive(ctx, inboxtest.Inbound("pv-1", "+14155550100", "+14155550199", "HELP"))
	if err != nil || r.Reply == nil {
		t.Fatalf("Receive HELP: reply=%v err=%v, want an automatic reply", r.Reply, err)
	}
	id := r.Conversation.ID
	if got, want := rowPreview(t, ana, id), "Auto-reply: "+inbox.Preview(r.Reply.Body, inbox.PreviewLength); got != want {
		t.Errorf("after HELP preview=%q, want %q", got, want)
	}

	if _, err := ts.svc.SendReply(ctx, anaUser, id, "On its way"); err != nil {
		t.Fatalf("SendReply: %v", err)
	}
	for _, tc := range []struct {
		viewer string
		b      *browser
		want   string
	}{
		{"ana", ana, "You: On its way"},
		{"bob", bob, "Ana Ruiz: On its way"},
	} {
		if got := rowPreview(t, tc.b, id); got != tc.want {
			t.Errorf("%s sees preview=%q, want %q", tc.viewer, got, tc.want)
		}
	}

	photo := inboxtest.Inbound("pv-2", "+14155550100", "+14155550199", "")
	photo.Media = []inbox.Media{{URL: "https://media.example.com/a.jpg", ContentType: "image/jpeg"}}
	if _, err := ts.svc.Receive(ctx, photo); err != nil {
		t.Fatal(err)
	}
	if got := rowPreview(t, bob, id); got != "📷 Photo" {
		t.Errorf("after a photo preview=%q, want 📷 Photo", got)
	}
}
