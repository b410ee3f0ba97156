package views_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// A list with rows has its empty state too, hidden, for the page to show
// when the last row leaves it live; an empty list shows it and hides the
// rows.
func TestListEmptyStateBesideRows(t *testing.T) {
	rows := []views.ConversationItem{{Conversation: inbox.Conversation{ID: 8, ContactNumber: "+14155550123", Status: inbox.ConversationOpen}}}
	for _, tt := range []struct {
		name       string
		items      []views.ConversationItem
		emptyShown bool
	}{{"with rows", rows, false}, {"empty", nil, true}} {
		doc := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{Filter: "open", Conversations: tt.items}))
		empty := MustFind(t, doc, "#conversation-list "+byTestID("list-empty"))
		list := MustFind(t, doc, "#conversation-rows")
		if hasAttr(empty, "hidden") == tt.emptyShown || hasAttr(list, "hidden") != tt.emptyShown {
			t.Errorf("%s: empty state hidden=%v, rows hidden=%v; want %v and %v", tt.name, hasAttr(empty, "hidden"), hasAttr(list, "hidden"), !tt.emptyShown, tt.emptyShown)
		}
		if got := text(empty); !strings.HasPrefix(got, "No open conversations") {
			t.Errorf("%s: empty state %q, want it to start with No open conversations", tt.name, got)
		}
	}
}
