package views_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestInboxFilterAndMarker(t *testing.T) {
	channels := []inbox.Channel{{Number: "+14155550199", Name: "Support"}, {Number: "+442071838750", Name: "UK sales"}}
	row := views.ConversationItem{Conversation: inbox.Conversation{ID: 7, ContactNumber: "+14155550100", ChannelNumber: "+442071838750", Status: inbox.ConversationOpen}, Inbox: "UK sales"}
	doc := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{
		Conversations: []views.ConversationItem{row}, Channels: channels, Number: "+442071838750",
	}))
	if got := attr(MustFind(t, doc, byTestID("number-filter")+" option[selected]"), "value"); got != "+442071838750" {
		t.Errorf("selected inbox=%q", got)
	}
	if got := attr(MustFind(t, doc, "#number-value"), "value"); got != "+442071838750" {
		t.Errorf("#number-value=%q, want the filter's number for search and live rows", got)
	}
	if got := text(MustFind(t, doc, byTestID("inbox-marker"))); got != "UK sales" {
		t.Errorf("row marker=%q", got)
	}
	if got := attr(MustFind(t, doc, byTestID("conversation-row")), "data-channel"); got != "+442071838750" {
		t.Errorf("row data-channel=%q", got)
	}
	if got := doc.Find(byTestID("filter-tab")).First().AttrOr("href", ""); got != "/conversations?filter=open&number=%2B442071838750" {
		t.Errorf("a filter tab keeps the inbox: href=%q", got)
	}
	one := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{Channels: channels[:1]}))
	if n := one.Find(byTestID("number-filter")).Length(); n != 0 {
		t.Errorf("one number shows %d inbox filters, want 0", n)
	}
}
