package views_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// TestConversationRowPreviewSpeaker checks that a row's preview says who
// spoke last and stands in for pictures.
func TestConversationRowPreviewSpeaker(t *testing.T) {
	tests := []struct {
		name      string
		preview   string
		direction inbox.Direction
		sentBy    int64
		sender    string
		media     int
		want      string
	}{
		{name: "inbound text", preview: "Is it in stock?", direction: inbox.DirectionInbound, want: "Is it in stock?"},
		{name: "mine", preview: "Yes, tomorrow", direction: inbox.DirectionOutbound, sentBy: testUser.ID, sender: testUser.DisplayName(), want: "You: Yes, tomorrow"},
		{name: "another agent", preview: "Yes, tomorrow", direction: inbox.DirectionOutbound, sentBy: testUser.ID + 1, sender: "Sam", want: "Sam: Yes, tomorrow"},
		{name: "another agent unnamed", preview: "Yes", direction: inbox.DirectionOutbound, sentBy: testUser.ID + 1, want: "Agent: Yes"},
		{name: "auto-reply", preview: "We open at 9", direction: inbox.DirectionOutbound, want: "Auto-reply: We open at 9"},
		{name: "one photo", direction: inbox.DirectionInbound, media: 1, want: "📷 Photo"},
		{name: "two photos", direction: inbox.DirectionInbound, media: 2, want: "📷 2 photos"},
		{name: "photo and text", preview: "this one", direction: inbox.DirectionInbound, media: 1, want: "📷 this one"},
		{name: "my photo", direction: inbox.DirectionOutbound, sentBy: testUser.ID, media: 1, want: "You: 📷 Photo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := conversation(1, "+14155550123")
			c.LastMessagePreview, c.LastMessageDirection, c.LastMessageSentBy, c.LastMessageMedia = tc.preview, tc.direction, tc.sentBy, tc.media
			doc := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{Conversations: []views.ConversationItem{
				{Conversation: c, SenderName: tc.sender},
			}}))
			if got := text(MustFind(t, doc, byTestID("conversation-preview"))); got != tc.want {
				t.Errorf("preview=%q, want %q", got, tc.want)
			}
			if strings.Contains(doc.Text(), "No text") {
				t.Errorf("row says No text")
			}
		})
	}
}
