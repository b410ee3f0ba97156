package views_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

var (
	ann = inbox.User{ID: 2, Name: "Ann Lee", Role: inbox.RoleAgent}
	bob = inbox.User{ID: 3, Name: "Bob Stone", Role: inbox.RoleAgent}
)

func TestAssignmentMenu(t *testing.T) {
	tests := []struct {
		name      string
		assignee  inbox.User
		canChange bool
		label     string
		assignMe  bool
		unassign  bool
		locked    bool
	}{
		{"unassigned", inbox.User{}, true, "Unassigned", true, false, false},
		{"mine", ann, true, "You", false, true, false},
		{"someone else's, admin", bob, true, "Bob Stone", true, true, false},
		{"someone else's, agent", bob, false, "", false, false, true},
	}
	for _, tt := range tests {
		p := views.AssignmentProps{ConversationID: 7, Assignee: tt.assignee, Me: ann, People: []inbox.User{ann, bob}, CanChange: tt.canChange}
		doc := MustRender(t, testCtx(), views.Assignment(p))
		root := MustFind(t, doc, "#assignee-7"+byTestID("assignee"))
		if tt.locked {
			locked := MustFind(t, root, byTestID("assignee-locked"))
			if got := attr(locked, "title"); got != "Bob Stone has this conversation; only they or an admin can reassign it" {
				t.Errorf("%s: locked title=%q", tt.name, got)
			}
			if n := root.Find("form").Length(); n != 0 {
				t.Errorf("%s: %d forms, want none", tt.name, n)
			}
			continue
		}
		if got := text(MustFind(t, root, byTestID("assignee-name"))); got != tt.label {
			t.Errorf("%s: label=%q, want %q", tt.name, got, tt.label)
		}
		if got := root.Find(byTestID("assign-me")).Length() == 1; got != tt.assignMe {
			t.Errorf("%s: assign to me shown=%v, want %v", tt.name, got, tt.assignMe)
		}
		if got := root.Find(byTestID("unassign")).Length() == 1; got != tt.unassign {
			t.Errorf("%s: unassign shown=%v, want %v", tt.name, got, tt.unassign)
		}
		people := root.Find(byTestID("assign-person"))
		if people.Length() != 2 {
			t.Fatalf("%s: people=%d, want 2", tt.name, people.Length())
		}
		// Every choice posts the assign action with its value and the CSRF token.
		root.Find("form").Each(func(_ int, f *goquery.Selection) {
			if got := attr(f, "hx-post"); got != "/conversations/7/assign" {
				t.Errorf("%s: form posts to %q", tt.name, got)
			}
			if f.Find(`input[name="assignee"]`).Length() != 1 || f.Find(`input[name="_csrf"]`).Length() != 1 {
				t.Errorf("%s: form lacks the assignee or CSRF field", tt.name)
			}
		})
		if tt.assignee.ID != 0 {
			current := MustFind(t, root, byTestID("assign-person")+`[aria-current="true"]`)
			if got := attr(current, "data-user-id"); got != strconv.FormatInt(tt.assignee.ID, 10) || !current.Is("[disabled]") {
				t.Errorf("%s: current person=%q, want the assignee, disabled", tt.name, got)
			}
		}
	}
}

func TestRowShowsAssignee(t *testing.T) {
	mine := conversation(7, "+14155550123")
	mine.AssigneeID = ann.ID
	theirs := conversation(8, "+14155550124")
	theirs.AssigneeID = bob.ID
	doc := MustRender(t, views.WithUser(testCtx(), ann), views.ConversationList(views.ConversationListProps{
		Conversations: []views.ConversationItem{
			{Conversation: mine, AssigneeName: ann.Name},
			{Conversation: theirs, AssigneeName: bob.Name},
			{Conversation: conversation(9, "+14155550125")},
		},
	}))
	rows := doc.Find(byTestID("conversation-row"))
	for i, want := range []struct{ assignee, marker string }{{"2", "You"}, {"3", "Bob Stone"}, {"", ""}} {
		row := rows.Eq(i)
		if got := attr(row, "data-assignee"); got != want.assignee {
			t.Errorf("row %d data-assignee=%q, want %q", i, got, want.assignee)
		}
		if got := text(row.Find(byTestID("assignee-marker"))); got != want.marker {
			t.Errorf("row %d marker=%q, want %q", i, got, want.marker)
		}
	}
}

func TestEmptyAssignmentLists(t *testing.T) {
	for filter, want := range map[string]string{
		views.FilterMine:       "Nothing assigned to you",
		views.FilterUnassigned: "Everything is assigned",
	} {
		doc := MustRender(t, testCtx(), views.ConversationList(views.ConversationListProps{Filter: filter}))
		if got := text(MustFind(t, doc, byTestID("list-empty"))); !strings.HasPrefix(got, want) {
			t.Errorf("%s empty=%q, want it to start %q", filter, got, want)
		}
	}
}
