package views_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestAvailabilityToggle(t *testing.T) {
	for _, on := range []bool{false, true} {
		doc := MustRender(t, testCtx(), views.AvailabilityToggle(inbox.User{ID: 1, Available: on}))
		form := MustFind(t, doc, "form"+byTestID("available-toggle"))
		if attr(form, "hx-post") != "/me/available" || form.Find(`input[name="_csrf"]`).Length() != 1 {
			t.Errorf("on=%v: form posts %q", on, attr(form, "hx-post"))
		}
		wantNext, wantChecked := "true", "false"
		if on {
			wantNext, wantChecked = "false", "true"
		}
		if got := attr(form.Find(`input[name="on"]`), "value"); got != wantNext {
			t.Errorf("on=%v: posts on=%q, want %q", on, got, wantNext)
		}
		if got := attr(form.Find("button"), "aria-checked"); got != wantChecked {
			t.Errorf("on=%v: aria-checked=%q", on, got)
		}
	}
	// The account menu carries it.
	doc := MustRender(t, testCtx(), views.InboxPage(views.InboxProps{}))
	MustFind(t, doc, byTestID("user-menu")+" "+byTestID("available-toggle"))
}
