package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

// TestEventsRowPreviewIsPerViewer checks that the list row sent live says
// "You:" for the viewer's own reply and names a colleague for theirs.
func TestEventsRowPreviewIsPerViewer(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ctx := context.Background()
	id, admin, ana := ls.mustTeamConversation(t, "pv-live-1", "Is it in stock?")

	s := ls.openStream(t, ls.client, "/events", "")
	for _, tc := range []struct {
		by   inbox.User
		text string
		want string
	}{
		{admin, "Back on Monday", "You: Back on Monday"},
		{ana, "Sold out, sorry", "Ana Ruiz: Sold out, sorry"},
	} {
		if _, err := ls.svc.SendReply(ctx, tc.by, id, tc.text); err != nil {
			t.Fatalf("SendReply by %s: %v", tc.by.Email, err)
		}
		// Skip the replayed frames of the text and of earlier replies.
		got := ""
		for !strings.Contains(got, tc.text) {
			doc := mustParseHTML(t, s.nextWith(t, "conversation-preview").data)
			got = strings.Join(strings.Fields(doc.Find(fmt.Sprintf(`li#conversation-%d [data-testid="conversation-preview"]`, id)).Text()), " ")
		}
		if got != tc.want {
			t.Errorf("live row preview=%q, want %q", got, tc.want)
		}
	}
}
