package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo/plivotest"
	"github.com/parleyhq/parley/app/store"
	"github.com/parleyhq/parley/app/store/storetest"
)

func TestSendToWithMediaGoesAsMMS(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		urls := []string{"https://cdn.example.com/a.jpg", "https://cdn.example.com/b.png"}
		m, err := r.svc.SendTo(ctx, r.agent, inbox.Outgoing{To: contact, MediaURLs: urls})
		if err != nil {
			t.Fatalf("SendTo: %v", err)
		}
		if m.ConversationID != r.convID || len(m.Media) != 2 || m.Segments != 1 || m.Status != inbox.StatusQueued {
			t.Fatalf("message=%+v, want a queued 1-part MMS in the contact's conversation", m)
		}
		conv, err := s.FindConversationByID(ctx, r.convID)
		if err != nil {
			t.Fatal(err)
		}
		if conv.LastMessagePreview != "" || conv.LastMessageMedia != 2 || conv.LastMessageSentBy != r.agent.ID {
			t.Errorf("last message=(%q, %d media, sent by %d), want (\"\", 2, %d)", conv.LastMessagePreview, conv.LastMessageMedia, conv.LastMessageSentBy, r.agent.ID)
		}
		r.MustSendDue(t, 1)
		sends := r.api.Sends()
		if len(sends) != 1 || sends[0].Type != "mms" || !slices.Equal(sends[0].MediaURLs, urls) || sends[0].Text != "" {
			t.Fatalf("send=%+v, want type mms with the media URLs and no text", sends)
		}

		// A failed MMS sent again keeps its attachments.
		r.api.Script(plivotest.BadRequest)
		failed, err := r.svc.SendTo(ctx, r.agent, inbox.Outgoing{To: contact, Text: "and this", MediaURLs: urls[:1]})
		if err != nil {
			t.Fatal(err)
		}
		r.MustSendDue(t, 1)
		again, err := r.svc.RetryMessage(ctx, r.agent, failed.ID)
		if err != nil {
			t.Fatalf("RetryMessage: %v", err)
		}
		r.MustSendDue(t, 1)
		last := r.api.Sends()[2]
		if again.Body != "and this" || len(again.Media) != 1 || last.Type != "mms" || !slices.Equal(last.MediaURLs, urls[:1]) {
			t.Fatalf("retry=%+v sent as %+v, want the text and attachment again as MMS", again, last)
		}
	})
}

func TestSendToRefusals(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRig(t, s, rigOptions{})
		before := countAll(t, s)
		eleven := make([]string, 11)
		for i := range eleven {
			eleven[i] = "https://cdn.example.com/p.jpg"
		}
		tests := []struct {
			name  string
			o     inbox.Outgoing
			field string
		}{
			{"bad number", inbox.Outgoing{To: "555-0100", Text: "hi"}, "to"},
			{"unknown sender", inbox.Outgoing{To: contact, From: "+14155550000", Text: "hi"}, "from"},
			{"blank without media", inbox.Outgoing{To: contact, Text: "  "}, "text"},
			{"too many attachments", inbox.Outgoing{To: contact, MediaURLs: eleven}, "media_urls"},
			{"http attachment", inbox.Outgoing{To: contact, MediaURLs: []string{"http://cdn.example.com/a.jpg"}}, "media_urls"},
			{"relative attachment", inbox.Outgoing{To: contact, MediaURLs: []string{"/a.jpg"}}, "media_urls"},
			{"MMS to the UK", inbox.Outgoing{To: "+447911123456", MediaURLs: []string{"https://cdn.example.com/a.jpg"}}, "media_urls"},
		}
		for _, tt := range tests {
			_, err := r.svc.SendTo(ctx, r.agent, tt.o)
			if inbox.ErrorCode(err) != inbox.EINVALID || inbox.ErrorField(err) != tt.field {
				t.Errorf("%s: err=%v, want invalid %s", tt.name, err, tt.field)
			}
		}
		if n := countAll(t, s); n != before {
			t.Fatalf("messages=%d, want %d", n, before)
		}
		if _, err := r.svc.SendTo(ctx, r.agent, inbox.Outgoing{To: "+447911123456", Text: "SMS is fine"}); err != nil {
			t.Fatalf("SMS to the UK: %v", err)
		}
	})
}
