package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
)

// The list narrows to one inbox; a number that is not one gets 400.
func TestListByNumber(t *testing.T) {
	ts := newTestServerWith(t, testOptions{numbers: []inbox.Number{"+14155550199", "+14155550188"}})
	ctx := context.Background()
	for i, to := range []string{"+14155550199", "+14155550188"} {
		if _, err := ts.svc.Receive(ctx, inboxtest.Inbound("n-"+to, "+1415555010"+string(rune('0'+i)), to, "hi")); err != nil {
			t.Fatal(err)
		}
	}
	b := ts.signedIn(t)
	p := b.get("/conversations?filter=all&number=%2B14155550188")
	if p.status != http.StatusOK || strings.Count(p.body, `data-testid="conversation-row"`) != 1 || !strings.Contains(p.body, `data-channel="+14155550188"`) {
		t.Fatalf("GET ?number=+14155550188: %d, %d rows", p.status, strings.Count(p.body, `data-testid="conversation-row"`))
	}
	if p := b.get("/conversations?number=sales"); p.status != http.StatusBadRequest {
		t.Fatalf("GET ?number=sales=%d, want 400", p.status)
	}
}
