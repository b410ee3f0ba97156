package views_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestCannedPicker(t *testing.T) {
	p := sampleThread()
	p.Canned = []views.CannedChoice{{Name: "thanks", Text: "Thanks <Maria>!"}}
	doc := MustRender(t, testCtx(), views.Thread(p))
	choice := MustFind(t, doc, "#compose-area "+byTestID("canned-choice"))
	if attr(choice, "data-name") != "thanks" || attr(choice, "data-text") != "Thanks <Maria>!" || attr(choice, "data-js") != "canned" {
		t.Errorf("choice name=%q text=%q", attr(choice, "data-name"), attr(choice, "data-text"))
	}
	if got := text(choice); got != "/thanks Thanks <Maria>!" {
		t.Errorf("choice=%q", got)
	}
	if MustRender(t, testCtx(), views.Thread(sampleThread())).Find(byTestID("canned-picker")).Length() != 0 {
		t.Error("picker shown with no canned replies")
	}
}

func TestCannedScreen(t *testing.T) {
	doc := MustRender(t, testCtx(), views.CannedPage(views.CannedProps{
		Replies: []inbox.CannedReply{{ID: 3, Name: "thanks", Body: "Thanks {{first_name}}!"}},
		Draft:   views.CannedDraft{Name: "oops", Body: "Hi {{frist_name}}", Error: "{{frist_name}} is not a placeholder"},
	}))
	if got := text(MustFind(t, doc, byTestID("canned-error"))); got != "{{frist_name}} is not a placeholder" {
		t.Errorf("error=%q", got)
	}
	row := MustFind(t, doc, byTestID("canned-row"))
	if row.Find(`form[hx-post="/settings/canned/3"]`).Length() != 1 || row.Find(`form[hx-post="/settings/canned/3/delete"]`).Length() != 1 {
		t.Error("row lacks its edit or delete form")
	}
}
