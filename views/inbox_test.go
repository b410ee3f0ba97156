package views_test

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestInboxPanes(t *testing.T) {
	list := []views.ConversationItem{{Conversation: conversation(7, "+14155550123")}}
	for _, tc := range []struct {
		name         string
		props        views.InboxProps
		wantSelected string
		wantThread   string
	}{
		{"nothing selected", views.InboxProps{Conversations: list}, "false", "thread-placeholder"},
		{"thread selected", views.InboxProps{Conversations: list, Selected: &views.ThreadProps{Conversation: conversation(7, "+14155550123")}}, "true", "thread"},
		{"composing", views.InboxProps{Conversations: list, Compose: &views.NewConversationProps{}}, "true", "new-conversation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := MustRender(t, testCtx(), views.InboxPage(tc.props))
			root := MustFind(t, doc, "#inbox")
			if got := attr(root, "data-selected"); got != tc.wantSelected {
				t.Errorf("data-selected=%q, want %q", got, tc.wantSelected)
			}
			// Phones show one pane, chosen by data-selected; from md up both show.
			listClass := attr(MustFind(t, doc, "#list-pane"), "class")
			for _, c := range []string{"w-full", "group-data-[selected=true]/inbox:hidden", "md:group-data-[selected=true]/inbox:flex", "md:w-[360px]"} {
				if !hasClass(listClass, c) {
					t.Errorf("list pane class=%q, want %q", listClass, c)
				}
			}
			threadPane := MustFind(t, doc, "#thread")
			for _, c := range []string{"hidden", "group-data-[selected=true]/inbox:flex", "md:flex"} {
				if !hasClass(attr(threadPane, "class"), c) {
					t.Errorf("thread pane class=%q, want %q", attr(threadPane, "class"), c)
				}
			}
			MustFind(t, threadPane, byTestID(tc.wantThread))
		})
	}
}

func hasClass(classes, c string) bool {
	for _, f := range strings.Fields(classes) {
		if f == c {
			return true
		}
	}
	return false
}

func TestConversationRow(t *testing.T) {
	c := conversation(7, "+14155550123")
	c.UnreadCount = 3
	doc := MustRender(t, testCtx(), views.ConversationRow(views.ConversationItem{Conversation: c}, true))
	row := MustFind(t, doc, "li#conversation-7"+byTestID("conversation-row"))
	link := MustFind(t, row, "a")
	for name, want := range map[string]string{
		"href": "/conversations/7", "hx-get": "/conversations/7", "hx-target": "#thread",
		"hx-push-url": "true", "aria-current": "page",
	} {
		if got := attr(link, name); got != want {
			t.Errorf("link %s=%q, want %q", name, got, want)
		}
	}
	if got := text(MustFind(t, row, byTestID("conversation-title"))); got != "+1 415-555-0123" {
		t.Errorf("title=%q, want the number for people", got)
	}
	if got := text(MustFind(t, row, byTestID("conversation-number"))); got != "+14155550123" {
		t.Errorf("number=%q, want E.164", got)
	}
	if got := text(MustFind(t, row, byTestID("unread-badge"))); got != "3 unread" {
		t.Errorf("unread badge=%q, want %q", got, "3 unread")
	}
	tm := MustFind(t, row, "time")
	if text(tm) != "5m" || attr(tm, "datetime") != "2026-03-12T15:25:00Z" {
		t.Errorf("time=%q datetime=%q, want 5m 2026-03-12T15:25:00Z", text(tm), attr(tm, "datetime"))
	}
	if n := row.Find(byTestID("opted-out-marker") + "," + byTestID("blocked-marker")).Length(); n != 0 {
		t.Errorf("found %d markers on an open, subscribed contact, want 0", n)
	}
	// Drafts live in the browser: the row carries their marker hidden,
	// for the script to show.
	draft := MustFind(t, row, byTestID("draft-marker"))
	if _, isHidden := draft.Attr("hidden"); !isHidden || text(draft) != "Draft" {
		t.Errorf("draft marker hidden=%v text=%q, want hidden and %q", isHidden, text(draft), "Draft")
	}
}

func TestConversationRowMarkers(t *testing.T) {
	at := testNow.Add(-time.Hour)
	opted := conversation(1, "+14155550123")
	opted.OptedOutAt = &at
	blocked := conversation(2, "+14155550124")
	blocked.Status = inbox.ConversationBlocked
	named := conversation(3, "+447700900461")
	doc := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{Conversations: []views.ConversationItem{
		{Conversation: opted}, {Conversation: blocked}, {Conversation: named, ContactName: "Dana Whitfield"},
	}}))
	MustFind(t, doc, "#conversation-1 "+byTestID("opted-out-marker"))
	MustFind(t, doc, "#conversation-2 "+byTestID("blocked-marker"))
	if got := text(MustFind(t, doc, "#conversation-3 "+byTestID("conversation-title"))); got != "Dana Whitfield" {
		t.Errorf("title=%q, want the contact's name", got)
	}
	if n := doc.Find(byTestID("unread-badge")).Length(); n != 0 {
		t.Errorf("found %d unread badges, want 0", n)
	}
	if n := doc.Find("[aria-current]" + `[data-js="row-link"]`).Length(); n != 0 {
		t.Errorf("found %d selected rows, want 0", n)
	}
}

func TestConversationListControls(t *testing.T) {
	doc := MustRender(t, testCtx(), views.InboxPage(views.InboxProps{
		Conversations: []views.ConversationItem{{Conversation: conversation(7, "+14155550123")}},
		Filter:        views.FilterClosed, Query: "lamp", NextCursor: "cur 9",
	}))
	search := MustFind(t, doc, "input#search")
	for name, want := range map[string]string{
		"name": "q", "value": "lamp", "hx-get": "/conversations", "hx-target": "#conversation-list",
		// A new search looks in every tab (the server lists All), so the tab
		// is not sent with it; the label and inbox still narrow it.
		"hx-trigger": "input changed delay:250ms, search", "hx-include": "#label-value, #number-value",
	} {
		if got := attr(search, name); got != want {
			t.Errorf("search %s=%q, want %q", name, got, want)
		}
	}
	if got := attr(MustFind(t, doc, "#filter-value"), "value"); got != "closed" {
		t.Errorf("filter value=%q, want closed", got)
	}
	tabs := doc.Find(byTestID("filter-tab"))
	var labels []string
	tabs.Each(func(_ int, s *goquery.Selection) { labels = append(labels, text(s)) })
	if strings.Join(labels, "|") != "Open|Mine|Unassigned|Snoozed|Failed|Closed|All|Opted out" {
		t.Errorf("tabs=%v, want Open, Mine, Unassigned, Snoozed, Failed, Closed, All, Opted out", labels)
	}
	current := MustFind(t, doc, byTestID("filter-tab")+`[aria-current="page"]`)
	if got := attr(current, "hx-get"); got != "/conversations?filter=closed&q=lamp" {
		t.Errorf("current tab hx-get=%q, want the closed filter keeping the query", got)
	}
	more := MustFind(t, doc, byTestID("load-more")+" button")
	if got := attr(more, "hx-get"); got != "/conversations?cursor=cur+9&filter=closed&q=lamp" {
		t.Errorf("load more hx-get=%q", got)
	}
	if got := attr(more, "hx-swap"); got != "outerHTML" {
		t.Errorf("load more hx-swap=%q, want outerHTML", got)
	}
}

func TestConversationListEmpty(t *testing.T) {
	numbers := []inbox.Channel{{Number: "+14155550199"}, {Number: "+442071838750"}}
	for _, tc := range []struct {
		filter, query string
		dev           bool
		channels      []inbox.Channel
		want, not     string
	}{
		{views.FilterAll, "", true, nil, "No conversations yet Development mode: send a simulated text with go run ./app simulate --text hello", ""},
		{views.FilterOpen, "", true, numbers, "go run ./app simulate --text hello", ""},
		// In production the simulator is no help: say where texts come from.
		{views.FilterOpen, "", false, numbers, "Texts to +1 415-555-0199 or +44 20 7183 8750 will appear here.", "simulate"},
		{views.FilterAll, "", false, nil, "Plivo application sends messages to /api/sms/webhook on this server.", "go run"},
		{views.FilterClosed, "", false, nil, "No closed conversations", ""},
		{views.FilterOpen, "<b>x</b>", false, nil, "Nothing matches “<b>x</b>”", ""},
	} {
		doc := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{Filter: tc.filter, Query: tc.query, Development: tc.dev, Channels: tc.channels}))
		empty := MustFind(t, doc, "#conversation-list "+byTestID("list-empty"))
		if !strings.Contains(text(empty), tc.want) {
			t.Errorf("filter %q query %q dev %v: empty state=%q, want it to contain %q", tc.filter, tc.query, tc.dev, text(empty), tc.want)
		}
		if tc.not != "" && strings.Contains(text(empty), tc.not) {
			t.Errorf("filter %q dev %v: empty state=%q, want no %q", tc.filter, tc.dev, text(empty), tc.not)
		}
		if n := doc.Find(byTestID("load-more")).Length(); n != 0 {
			t.Errorf("empty list has %d load more buttons", n)
		}
	}
}

func TestConversationRowsPage(t *testing.T) {
	items := []views.ConversationItem{{Conversation: conversation(8, "+14155550123")}, {Conversation: conversation(9, "+14155550124")}}
	doc := MustRender(t, testCtx(), views.ConversationRows(views.ConversationListProps{Conversations: items}))
	if n := doc.Find(byTestID("conversation-row")).Length(); n != 2 {
		t.Errorf("rows=%d, want 2", n)
	}
	if n := doc.Find(byTestID("load-more")).Length(); n != 0 {
		t.Errorf("last page has %d load more items, want 0", n)
	}
	if n := doc.Find("#conversation-list").Length(); n != 0 {
		t.Error("a page of rows repeats the list region")
	}
}
