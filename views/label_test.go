package views_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestThreadLabelsMenu(t *testing.T) {
	refund := inbox.Label{ID: 3, Name: "Refund", Color: "red"}
	vip := inbox.Label{ID: 5, Name: "VIP", Color: "bogus"}
	doc := MustRender(t, testCtx(), views.ThreadLabels(views.ThreadLabelsProps{ConversationID: 7, On: []inbox.Label{vip}, All: []inbox.Label{refund, vip}}))
	root := MustFind(t, doc, "#labels-7")
	chip := MustFind(t, root, byTestID("label-chip"))
	if text(chip) != "VIP" || !hasClass(attr(chip, "class"), "bg-gray-50") {
		t.Errorf("chip=%q class=%q, want VIP in gray (an unknown colour falls back)", text(chip), attr(chip, "class"))
	}
	opts := root.Find(byTestID("label-option"))
	if opts.Length() != 2 {
		t.Fatalf("options=%d, want 2", opts.Length())
	}
	for i, want := range []struct{ pressed, on string }{{"false", "true"}, {"true", "false"}} {
		opt := opts.Eq(i)
		form := opt.Closest("form")
		if attr(opt, "aria-pressed") != want.pressed || attr(form.Find(`input[name="on"]`), "value") != want.on || attr(form, "hx-post") != "/conversations/7/label" {
			t.Errorf("option %d pressed=%q on=%q post=%q, want %s/%s", i, attr(opt, "aria-pressed"), attr(form.Find(`input[name="on"]`), "value"), attr(form, "hx-post"), want.pressed, want.on)
		}
	}
}

func TestLabelFilterAndRows(t *testing.T) {
	refund := inbox.Label{ID: 3, Name: "Refund", Color: "red"}
	c := conversation(7, "+14155550123")
	c.LabelIDs = []int64{3}
	doc := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{
		Conversations: []views.ConversationItem{{Conversation: c, Labels: []inbox.Label{refund}}},
		Filter:        views.FilterAll, Label: 3, Labels: []inbox.Label{refund},
	}))
	if got := attr(MustFind(t, doc, "#label-value"), "value"); got != "3" {
		t.Errorf("label value=%q, want 3", got)
	}
	if got := attr(MustFind(t, doc, byTestID("label-filter")+" option[selected]"), "value"); got != "3" {
		t.Errorf("selected option=%q, want 3", got)
	}
	row := MustFind(t, doc, byTestID("conversation-row"))
	if attr(row, "data-labels") != " 3 " || text(row.Find(byTestID("label-chip"))) != "Refund" {
		t.Errorf("row labels=%q chip=%q", attr(row, "data-labels"), text(row.Find(byTestID("label-chip"))))
	}
	// The tabs keep the label.
	if got := attr(MustFind(t, doc, byTestID("filter-tab")+`[data-filter="open"]`), "hx-get"); got != "/conversations?filter=open&label=3" {
		t.Errorf("open tab=%q, want it to keep the label", got)
	}
	// No labels defined: no filter.
	plain := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{}))
	if plain.Find(byTestID("label-filter")).Length() != 0 {
		t.Error("label filter shown with no labels")
	}
}

func TestLabelsScreen(t *testing.T) {
	doc := MustRender(t, testCtx(), views.LabelsPage(views.LabelsProps{
		Labels: []inbox.Label{{ID: 3, Name: "Refund", Color: "red"}},
		Draft:  views.LabelDraft{Name: "refund", Color: "blue", Error: "there is already a label called Refund"},
	}))
	if got := text(MustFind(t, doc, byTestID("label-error"))); got != "there is already a label called Refund" {
		t.Errorf("error=%q", got)
	}
	row := MustFind(t, doc, byTestID("label-row"))
	if attr(row.Find(`form[hx-post="/settings/labels/3"]`), "hx-target") != "#labels" || row.Find(`form[hx-post="/settings/labels/3/delete"]`).Length() != 1 {
		t.Error("label row lacks its edit or delete form")
	}
	if n := doc.Find(`[data-testid="label-color"]`).First().Find("option").Length(); n != len(inbox.LabelColors) {
		t.Errorf("colour options=%d, want %d", n, len(inbox.LabelColors))
	}
}
