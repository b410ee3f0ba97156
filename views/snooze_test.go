package views_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestSnoozeControls(t *testing.T) {
	later := testNow.Add(2 * time.Hour)
	past := testNow.Add(-time.Minute)
	tests := []struct {
		name    string
		status  inbox.ConversationStatus
		until   *time.Time
		menu    bool
		wake    bool
		chip    string
		snoozed bool
	}{
		{"open", inbox.ConversationOpen, nil, true, false, "", false},
		{"snoozed", inbox.ConversationOpen, &later, false, true, "until 17:30", true},
		{"snooze over", inbox.ConversationOpen, &past, true, false, "", false},
		{"closed", inbox.ConversationClosed, nil, false, false, "", false},
	}
	for _, tt := range tests {
		p := sampleThread()
		p.Conversation.Status, p.Conversation.SnoozedUntil = tt.status, tt.until
		doc := MustRender(t, testCtx(), views.Thread(p))
		if got := doc.Find(byTestID("snooze-menu")).Length() == 1; got != tt.menu {
			t.Errorf("%s: snooze menu=%v, want %v", tt.name, got, tt.menu)
		}
		if got := doc.Find(byTestID("action-wake")).Length() == 1; got != tt.wake {
			t.Errorf("%s: wake=%v, want %v", tt.name, got, tt.wake)
		}
		if got := text(doc.Find(byTestID("thread-status") + " " + byTestID("snoozed-marker"))); got != tt.chip {
			t.Errorf("%s: chip=%q, want %q", tt.name, got, tt.chip)
		}
		row := MustRender(t, testCtx(), views.ConversationRow(views.ConversationItem{Conversation: p.Conversation}, false))
		if got := hasAttr(MustFind(t, row, byTestID("conversation-row")), "data-snoozed"); got != tt.snoozed {
			t.Errorf("%s: row data-snoozed=%v, want %v", tt.name, got, tt.snoozed)
		}
	}
	doc := MustRender(t, testCtx(), views.Thread(sampleThread()))
	choices := doc.Find(byTestID("snooze-choice"))
	if choices.Length() != 5 || attr(choices.Eq(0), "data-for") != "1h" || attr(choices.Eq(0).Closest("form"), "hx-post") != "/conversations/7/snooze" {
		t.Errorf("choices=%d first=%q", choices.Length(), attr(choices.Eq(0), "data-for"))
	}
}
