package views_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// A text's web addresses render as links that open a new tab and tell
// the site nothing; the rest stays text, HTML included.
func TestMessageBubbleLinks(t *testing.T) {
	body := "Track <b>it</b> at https://example.com/t?id=1&x=2, or example.org/help."
	doc := MustRender(t, testCtx(), views.MessageBubble(views.MessageItem{Message: inbox.Message{
		ID: 7, ConversationID: 1, Direction: inbox.DirectionInbound, Status: inbox.StatusReceived, Body: body,
	}}))
	p := MustFind(t, doc, byTestID("message-body"))
	if got := text(p); got != body {
		t.Errorf("body text=%q, want %q", got, body)
	}
	if n := p.Find("b").Length(); n != 0 {
		t.Errorf("the text's <b> became markup (%d elements)", n)
	}
	links := p.Find("a" + byTestID("message-link"))
	want := []string{"https://example.com/t?id=1&x=2", "https://example.org/help"}
	if links.Length() != len(want) {
		t.Fatalf("%d links, want %d", links.Length(), len(want))
	}
	for i, href := range want {
		a := links.Eq(i)
		if attr(a, "href") != href || attr(a, "target") != "_blank" || attr(a, "rel") != "noopener noreferrer nofollow" {
			t.Errorf("link %d href=%q target=%q rel=%q, want %q in a new tab with noopener noreferrer nofollow", i, attr(a, "href"), attr(a, "target"), attr(a, "rel"), href)
		}
	}
}
