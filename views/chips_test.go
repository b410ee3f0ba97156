package views_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// TestConversationRowLabelChipsFit checks that label chips never wrap or
// push the number out: each truncates with its full name on hover, the
// number does not shrink, and labels past the first few fold into "+k".
func TestConversationRowLabelChipsFit(t *testing.T) {
	long := "Wholesale enquiry from the northern warehouse"
	labels := []inbox.Label{
		{ID: 1, Name: long, Color: "sky"},
		{ID: 2, Name: "VIP", Color: "amber"},
		{ID: 3, Name: "Refund pending", Color: "red"},
		{ID: 4, Name: "Follow up", Color: "green"},
	}
	doc := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{Conversations: []views.ConversationItem{
		{Conversation: conversation(1, "+14155550123"), Labels: labels},
	}}))
	number := MustFind(t, doc, byTestID("conversation-number"))
	if cls := attr(number, "class"); !hasClass(cls, "shrink-0") {
		t.Errorf("number class=%q, want shrink-0", cls)
	}
	chips := doc.Find(byTestID("label-chip"))
	if chips.Length() != 2 {
		t.Fatalf("found %d label chips, want 2", chips.Length())
	}
	first := chips.First()
	if got := attr(first, "title"); got != long {
		t.Errorf("chip title=%q, want %q", got, long)
	}
	cls := attr(first, "class")
	for _, want := range []string{"min-w-0", "whitespace-nowrap"} {
		if !hasClass(cls, want) {
			t.Errorf("chip class=%q, want %s", cls, want)
		}
	}
	if !strings.Contains(cls, "max-w-") {
		t.Errorf("chip class=%q, want a max width", cls)
	}
	name := MustFind(t, first, byTestID("label-chip-name"))
	if got := attr(name, "class"); !hasClass(got, "truncate") {
		t.Errorf("chip name class=%q, want truncate", got)
	}
	more := MustFind(t, doc, byTestID("label-more"))
	if got := text(more.Clone().Find(".sr-only").Remove().End()); got != "+2" {
		t.Errorf("more=%q, want +2", got)
	}
	if got := text(more.Find(".sr-only")); got != "more labels: Refund pending, Follow up" {
		t.Errorf("more for screen readers=%q, want the hidden labels named", got)
	}
	if got := attr(more, "title"); got != "Refund pending, Follow up" {
		t.Errorf("more title=%q, want the hidden labels' names", got)
	}
	if got := attr(more, "class"); !hasClass(got, "shrink-0") {
		t.Errorf("more class=%q, want shrink-0", got)
	}
}
