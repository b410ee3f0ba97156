package views

import (
	"context"
	"strconv"

	"github.com/parleyhq/parley/app/inbox"
)

// previewSpeaker is who wrote a row's latest message, as the viewer on ctx
// reads it: "You", another agent's name, "Auto-reply" for Parley's own
// answers (outbound with no sender), or "" for the contact. It depends on
// the viewer, so live rows are rendered per user.
func previewSpeaker(ctx context.Context, item ConversationItem) string {
	c := item.Conversation
	if c.LastMessageDirection != inbox.DirectionOutbound {
		return ""
	}
	if c.LastMessageSentBy == 0 {
		return "Auto-reply"
	}
	if me, ok := CurrentUser(ctx); ok && me.ID == c.LastMessageSentBy {
		return "You"
	}
	if item.SenderName != "" {
		return item.SenderName
	}
	return "Agent"
}

// previewBody is a row's latest message: its text, with a camera standing
// in for pictures ("📷 Photo" when there is no text); "" when it has
// neither.
func previewBody(c inbox.Conversation) string {
	switch {
	case c.LastMessageMedia == 0:
		return c.LastMessagePreview
	case c.LastMessagePreview != "":
		return "📷 " + c.LastMessagePreview
	case c.LastMessageMedia == 1:
		return "📷 Photo"
	default:
		return "📷 " + strconv.Itoa(c.LastMessageMedia) + " photos"
	}
}
