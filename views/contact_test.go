package views_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestContactPanel(t *testing.T) {
	p := views.ContactPanelProps{ConversationID: 7, Contact: inbox.Contact{
		Name: "Maria Lopez", Notes: "Prefers mornings", Fields: []inbox.ContactField{{Key: "Order", Value: "A-1234"}},
	}}
	doc := MustRender(t, testCtx(), views.ContactPanel(p))
	panel := MustFind(t, doc, "details#contact-7")
	if hasAttr(panel, "open") {
		t.Error("panel open without an error")
	}
	if got := text(MustFind(t, panel, byTestID("contact-summary"))); got != "Prefers mornings" {
		t.Errorf("summary=%q", got)
	}
	form := MustFind(t, panel, "form")
	if attr(form, "hx-post") != "/conversations/7/contact" || attr(form, "hx-target") != "#contact-7" {
		t.Errorf("form posts %q into %q", attr(form, "hx-post"), attr(form, "hx-target"))
	}
	if got := attr(MustFind(t, form, byTestID("contact-name")), "value"); got != "Maria Lopez" {
		t.Errorf("name=%q", got)
	}
	rows := form.Find(byTestID("contact-field"))
	if rows.Length() != 3 || attr(rows.Eq(0).Find(`input[name="field_key"]`), "value") != "Order" || attr(rows.Eq(2).Find(`input[name="field_value"]`), "value") != "" {
		t.Errorf("field rows=%d, want the one field and two blank", rows.Length())
	}
	bad := MustRender(t, testCtx(), views.ContactPanel(views.ContactPanelProps{ConversationID: 7, Open: true, Error: "order appears twice"}))
	if !hasAttr(MustFind(t, bad, "details#contact-7"), "open") || text(MustFind(t, bad, byTestID("contact-error"))) != "order appears twice" {
		t.Error("refused panel is not open with its error")
	}
}

func TestThreadUsesContactName(t *testing.T) {
	p := sampleThread()
	p.ContactName = "Maria Lopez"
	p.Contact = inbox.Contact{Name: "Maria Lopez"}
	doc := MustRender(t, testCtx(), views.Thread(p))
	if got := text(MustFind(t, doc, "#thread-title-7")); got != "Maria Lopez" {
		t.Errorf("title=%q, want the contact's name", got)
	}
	MustFind(t, doc, "details#contact-7")
}
