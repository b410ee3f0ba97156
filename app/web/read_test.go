package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

// A page with the thread open and in view marks a new text read: CSRF-
// checked, idempotent, and announced so every page's row and count follow.
func TestMarkReadEndpoint(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	res, err := ts.svc.Receive(ctx, inboxtest.Inbound("read-1", "+14155550100", "+14155550199", "Hello"))
	if err != nil {
		t.Fatal(err)
	}
	id := res.Conversation.ID
	unread := func() int {
		t.Helper()
		c, err := ts.store.FindConversationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return c.UnreadCount
	}
	b := ts.signedIn(t)
	if p := b.post("/conversations/"+itoa(id)+"/read", nil, false); p.status != http.StatusForbidden || unread() != 1 {
		t.Fatalf("without CSRF: %d, unread %d; want 403 and still unread", p.status, unread())
	}
	before := len(ts.pub.Events())
	if p := b.post("/conversations/"+itoa(id)+"/read", nil, true); p.status != http.StatusNoContent || unread() != 0 {
		t.Fatalf("mark read: %d, unread %d; want 204 and read", p.status, unread())
	}
	events := ts.pub.Events()[before:]
	if len(events) != 1 || events[0].Kind != inbox.EventConversationUpdated || events[0].ConversationID != id {
		t.Fatalf("events=%+v, want the conversation's update", events)
	}
	if p := b.post("/conversations/"+itoa(id)+"/read", nil, true); p.status != http.StatusNoContent || len(ts.pub.Events()) != before+1 {
		t.Fatalf("again: %d with %d new events, want 204 and nothing announced", p.status, len(ts.pub.Events())-before)
	}
	if p := b.post("/conversations/999999/read", nil, true); p.status != http.StatusNotFound {
		t.Fatalf("unknown conversation: %d, want 404", p.status)
	}
}
