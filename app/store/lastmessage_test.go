package store_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/inbox/inboxtest"
	"github.com/parleyhq/parley/app/store"
)

// TestConversationRemembersWhoSpokeLast checks that the list's preview
// carries its speaker and attachments through the database: an automatic
// answer to HELP, a picture from the contact, an agent's reply.
func TestConversationRemembersWhoSpokeLast(t *testing.T) {
	eachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		check := func(step string, dir inbox.Direction, sentBy int64, media int, preview string) {
			t.Helper()
			page, err := s.ListConversations(ctx, inbox.ConversationQuery{Filter: inbox.FilterAll, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Conversations) != 1 {
				t.Fatalf("%s: %d conversations, want 1", step, len(page.Conversations))
			}
			c := page.Conversations[0]
			if c.LastMessageDirection != dir || c.LastMessageSentBy != sentBy || c.LastMessageMedia != media || c.LastMessagePreview != preview {
				t.Errorf("%s: last message=(%s, sent by %d, %d media, %q), want (%s, %d, %d, %q)", step,
					c.LastMessageDirection, c.LastMessageSentBy, c.LastMessageMedia, c.LastMessagePreview, dir, sentBy, media, preview)
			}
		}
		help := MustReceive(t, r.svc, inboxtest.Inbound("in-help", contact, channel, "HELP"))
		if help.Reply == nil {
			t.Fatal("HELP got no automatic reply")
		}
		check("auto-reply to HELP", inbox.DirectionOutbound, 0, 0, inbox.Preview(help.Reply.Body, inbox.PreviewLength))

		photo := inboxtest.Inbound("in-photo", contact, channel, "")
		photo.Media = []inbox.Media{{URL: "https://media.example.com/a.jpg", ContentType: "image/jpeg"}}
		MustReceive(t, r.svc, photo)
		check("inbound photo", inbox.DirectionInbound, 0, 1, "")

		if _, err := r.svc.SendReply(ctx, r.agent, r.convID, "On its way"); err != nil {
			t.Fatalf("SendReply: %v", err)
		}
		check("agent's reply", inbox.DirectionOutbound, r.agent.ID, 0, "On its way")
	})
}
