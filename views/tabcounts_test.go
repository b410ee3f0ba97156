package views_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// The Open, Mine and Unassigned tabs' unread counts are on the list
// (hidden at zero) with ids the live feed's TabCountsOOB lands on; a list
// whose tabs count a search, one label or one number has no such ids, so
// the whole inbox's live counts do not land there.
func TestTabCountsLive(t *testing.T) {
	counts := inbox.TabCounts{Open: 3, Mine: 0, Unassigned: 1200}
	oob := MustRender(t, testCtx(), views.TabCountsOOB(counts))
	for _, tt := range []struct {
		filter string
		hidden bool
		text   string
	}{{"open", false, "3 unread conversations"}, {"mine", true, ""}, {"unassigned", false, "1,200 unread conversations"}} {
		b := MustFind(t, oob, "#tab-count-"+tt.filter)
		if attr(b, "hx-swap-oob") != "true" || hasAttr(b, "hidden") != tt.hidden || text(b) != tt.text {
			t.Errorf("TabCountsOOB %s: oob=%q hidden=%v text=%q, want true %v %q",
				tt.filter, attr(b, "hx-swap-oob"), hasAttr(b, "hidden"), text(b), tt.hidden, tt.text)
		}
	}

	for _, tt := range []struct {
		name string
		list views.ConversationListProps
		ids  int
	}{
		{"the inbox", views.ConversationListProps{Filter: "open", Counts: counts}, 3},
		{"a search", views.ConversationListProps{Filter: "all", Query: "parcel", Counts: inbox.TabCounts{Search: true, Open: 1}}, 0},
		{"one label", views.ConversationListProps{Filter: "open", Label: 2, Counts: counts}, 0},
		{"one number", views.ConversationListProps{Filter: "open", Number: "+14155550199", Counts: counts}, 0},
	} {
		doc := MustRender(t, testCtx(), views.ConversationList(tt.list))
		if n := doc.Find(`[id^="tab-count-"]`).Length(); n != tt.ids {
			t.Errorf("%s: %d live tab counts, want %d", tt.name, n, tt.ids)
		}
		if tt.ids > 0 {
			if b := MustFind(t, doc, "#tab-count-mine"); !hasAttr(b, "hidden") {
				t.Errorf("%s: Mine's zero count is not hidden", tt.name)
			}
		}
	}
}
