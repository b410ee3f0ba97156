package views_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// The unread badge is always on the page (hidden at zero), so the live
// feed's UnreadBadgeOOB has a target; data-count feeds the tab title.
func TestUnreadBadge(t *testing.T) {
	for _, tt := range []struct {
		count  int
		hidden bool
		text   string
	}{{0, true, ""}, {3, false, "3 unread"}, {1600, false, "1,600 unread"}} {
		doc := MustRender(t, testCtx(), views.UnreadBadgeOOB(tt.count))
		b := MustFind(t, doc, "#nav-unread")
		if attr(b, "hx-swap-oob") != "true" || hasAttr(b, "hidden") != tt.hidden || text(b) != tt.text {
			t.Errorf("UnreadBadgeOOB(%d): oob=%q hidden=%v text=%q, want true %v %q",
				tt.count, attr(b, "hx-swap-oob"), hasAttr(b, "hidden"), text(b), tt.hidden, tt.text)
		}
		if attr(b, "data-count") != strconv.Itoa(tt.count) {
			t.Errorf("UnreadBadgeOOB(%d): data-count=%q", tt.count, attr(b, "data-count"))
		}
	}
	page := MustRender(t, testCtx(), views.InboxPage(views.InboxProps{EventsURL: views.EventsURL}))
	if b := MustFind(t, page, "header #nav-unread"); !hasAttr(b, "hidden") || hasAttr(b, "hx-swap-oob") {
		t.Errorf("page badge with nothing unread: hidden=%v oob=%v, want hidden and not out of band", hasAttr(b, "hidden"), hasAttr(b, "hx-swap-oob"))
	}
	if sink := MustFind(t, page, "#live-sink"); attr(sink, "sse-swap") != "update" || attr(sink, "hx-ext") != "parley-live" {
		t.Errorf("live sink sse-swap=%q hx-ext=%q, want update and parley-live", attr(sink, "sse-swap"), attr(sink, "hx-ext"))
	}
}

// Rows carry what the page needs to place a live row: its activity time,
// status and consent; an empty list still has the rows element, hidden.
func TestConversationRowLiveAttributes(t *testing.T) {
	at := time.Date(2026, 3, 12, 15, 0, 0, 123000, time.UTC)
	out := at
	c := inbox.Conversation{ID: 7, ContactNumber: "+14155550100", Status: inbox.ConversationClosed, LastMessageAt: at, OptedOutAt: &out}
	row := MustFind(t, MustRender(t, testCtx(), views.ConversationRowOOB(views.ConversationItem{Conversation: c}, false)), "li#conversation-7")
	if attr(row, "data-at") != "1773327600000123" || attr(row, "data-status") != "closed" || attr(row, "data-opted-out") != "true" {
		t.Errorf("row data-at=%q data-status=%q data-opted-out=%q", attr(row, "data-at"), attr(row, "data-status"), attr(row, "data-opted-out"))
	}
	empty := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{}))
	if rows := MustFind(t, empty, "#conversation-rows"); !hasAttr(rows, "hidden") {
		t.Errorf("empty list: #conversation-rows not hidden")
	}
	MustFind(t, empty, byTestID("list-empty"))
}
