package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

// An assignment reaches every browser as the conversation's row and its
// thread's assignee control, both out of band.
func TestEventsStreamAssignment(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ctx := context.Background()
	id, admin, ana := ls.mustTeamConversation(t, "as-live-1", "Hello")

	s := ls.openStream(t, ls.client, "/events", "")
	if _, err := ls.svc.AssignConversation(ctx, admin, id, ana.ID); err != nil {
		t.Fatal(err)
	}
	// The stream first replays the text's events (rendered as things are
	// now); the assignment's frame is the one with the control.
	doc := mustParseHTML(t, s.nextWith(t, fmt.Sprintf(`id="assignee-%d"`, id)).data)
	row := doc.Find(fmt.Sprintf(`li#conversation-%d[hx-swap-oob="true"]`, id))
	if row.AttrOr("data-assignee", "") != fmt.Sprint(ana.ID) || row.Find(`[data-testid="assignee-marker"]`).Text() != "Ana Ruiz" {
		t.Errorf("row data-assignee=%q marker=%q, want Ana", row.AttrOr("data-assignee", ""), row.Find(`[data-testid="assignee-marker"]`).Text())
	}
	control := doc.Find(fmt.Sprintf(`#assignee-%d[hx-swap-oob="true"]`, id))
	if control.Length() != 1 || control.Find(`[data-testid="assignee-name"]`).Text() != "Ana Ruiz" {
		t.Errorf("assignee control: %d found, label=%q; want one naming Ana", control.Length(), control.Find(`[data-testid="assignee-name"]`).Text())
	}

	// Releasing it shows nobody, for everyone.
	if _, err := ls.svc.AssignConversation(ctx, admin, id, 0); err != nil {
		t.Fatal(err)
	}
	doc = mustParseHTML(t, s.nextWith(t, fmt.Sprintf(`id="assignee-%d"`, id)).data)
	if _, ok := doc.Find(fmt.Sprintf(`li#conversation-%d`, id)).Attr("data-assignee"); ok {
		t.Error("released row still names an assignee")
	}
	if got := doc.Find(`[data-testid="assignee-name"]`).Text(); got != "Unassigned" {
		t.Errorf("released control label=%q, want Unassigned", got)
	}
}

// A note reaches every browser as an append to its thread; the people it
// names also get a header badge that reloads its count.
func TestEventsStreamNotes(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ctx := context.Background()
	ls.text(t, "note-live-1", "14155550100", "Hello")
	page, err := ls.svc.ListConversations(ctx, inbox.ConversationQuery{}.Normalise())
	if err != nil || len(page.Conversations) != 1 {
		t.Fatalf("conversations=%v err=%v, want 1", page.Conversations, err)
	}
	id := page.Conversations[0].ID
	ana := inbox.User{Email: "ana@example.com", Name: "Ana Ruiz", Role: inbox.RoleAgent}
	if err := ls.store.SaveUser(ctx, &ana); err != nil {
		t.Fatal(err)
	}
	s := ls.openStream(t, ls.client, "/events", "")

	if _, err := ls.svc.AddNote(ctx, ana, id, "@admin can you <i>look</i>?"); err != nil {
		t.Fatal(err)
	}
	doc := mustParseHTML(t, s.nextWith(t, `data-testid="note"`).data)
	appendTo := doc.Find(fmt.Sprintf(`[hx-swap-oob="beforeend:#messages-%d"]`, id))
	if appendTo.Find(`[data-testid="note-author"]`).Text() != "Ana Ruiz" || doc.Find("i").Length() != 0 {
		t.Errorf("note fragment author=%q, <i> elements=%d; want Ana's note, escaped", appendTo.Find(`[data-testid="note-author"]`).Text(), doc.Find("i").Length())
	}
	badge := doc.Find(`a#nav-mentions[hx-swap-oob="true"]`)
	if badge.AttrOr("hx-get", "") != "/mentions/badge" || badge.AttrOr("hx-trigger", "") != "load" {
		t.Errorf("mentioned admin's frame badge hx-get=%q trigger=%q, want a reloading badge", badge.AttrOr("hx-get", ""), badge.AttrOr("hx-trigger", ""))
	}

	if _, err := ls.svc.AddNote(ctx, ana, id, "no one named"); err != nil {
		t.Fatal(err)
	}
	f := s.nextWith(t, "no one named")
	if strings.Contains(f.data, "nav-mentions") {
		t.Error("a note naming nobody touched the admin's badge")
	}
}

// Labelling reaches every browser as the row with its chips and the
// thread's labels, both out of band.
func TestEventsStreamLabels(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ctx := context.Background()
	ls.text(t, "label-live-1", "14155550100", "Hello")
	page, err := ls.svc.ListConversations(ctx, inbox.ConversationQuery{}.Normalise())
	if err != nil || len(page.Conversations) != 1 {
		t.Fatalf("conversations=%v err=%v, want 1", page.Conversations, err)
	}
	id := page.Conversations[0].ID
	admin, err := ls.store.FindUserByEmail(ctx, inbox.DevelopmentAdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	vip, err := ls.svc.SaveLabel(ctx, admin, inbox.Label{Name: "VIP", Color: "purple"})
	if err != nil {
		t.Fatal(err)
	}
	s := ls.openStream(t, ls.client, "/events", "")
	if _, err := ls.svc.SetConversationLabel(ctx, admin, id, vip.ID, true); err != nil {
		t.Fatal(err)
	}
	doc := mustParseHTML(t, s.nextWith(t, `<div id="labels-`).data)
	row := doc.Find(fmt.Sprintf(`li#conversation-%d[hx-swap-oob="true"]`, id))
	if got := row.AttrOr("data-labels", ""); got != fmt.Sprintf(" %d ", vip.ID) || row.Find(`[data-testid="label-chip"]`).Text() == "" {
		t.Errorf("row data-labels=%q chips=%d, want the VIP label", got, row.Find(`[data-testid="label-chip"]`).Length())
	}
	header := doc.Find(fmt.Sprintf(`#labels-%d[hx-swap-oob="true"]`, id))
	if !strings.Contains(header.Find(`[data-testid="label-chip"]`).Text(), "VIP") {
		t.Errorf("thread labels=%q, want VIP", header.Text())
	}

	// Renaming or deleting a label tells every page to show its labels
	// again; creating one does not (it is on no conversation yet).
	if _, err := ls.svc.SaveLabel(ctx, admin, inbox.Label{Name: "Later", Color: "gray"}); err != nil {
		t.Fatal(err)
	}
	vip.Name = "Very important"
	if _, err := ls.svc.SaveLabel(ctx, admin, vip); err != nil {
		t.Fatal(err)
	}
	if f := s.nextWith(t, `data-live-refresh`); !strings.Contains(f.data, `data-live-refresh="list"`) {
		t.Errorf("after a rename the frame was %.100q, want a refresh", f.data)
	}
	if err := ls.svc.DeleteLabel(ctx, admin, vip.ID); err != nil {
		t.Fatal(err)
	}
	s.nextWith(t, `data-live-refresh`)
	logged, err := ls.svc.EventsAfter(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	changes := 0
	for _, e := range logged {
		if e.Kind == inbox.EventLabelsChanged {
			changes++
		}
	}
	if changes != 2 {
		t.Errorf("%d labels.changed events logged, want 2 (rename and delete, not create)", changes)
	}
}

// A contact's new name reaches every browser in the list row and the open
// thread's title.
func TestEventsStreamContact(t *testing.T) {
	ls := newLiveServer(t, liveOptions{})
	ctx := context.Background()
	ls.text(t, "contact-live-1", "14155550100", "Hello")
	page, err := ls.svc.ListConversations(ctx, inbox.ConversationQuery{}.Normalise())
	if err != nil || len(page.Conversations) != 1 {
		t.Fatalf("conversations=%v err=%v, want 1", page.Conversations, err)
	}
	id := page.Conversations[0].ID
	admin, err := ls.store.FindUserByEmail(ctx, inbox.DevelopmentAdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	s := ls.openStream(t, ls.client, "/events", "")
	if _, err := ls.svc.SaveContact(ctx, admin, id, inbox.Contact{Name: "Maria Lopez"}); err != nil {
		t.Fatal(err)
	}
	doc := mustParseHTML(t, s.nextWith(t, `<span id="thread-title-`).data)
	if got := doc.Find(fmt.Sprintf(`#thread-title-%d[hx-swap-oob="true"]`, id)).Text(); got != "Maria Lopez" {
		t.Errorf("title=%q, want Maria Lopez", got)
	}
	if got := doc.Find(fmt.Sprintf(`li#conversation-%d [data-testid="conversation-title"]`, id)).Text(); got != "Maria Lopez" {
		t.Errorf("row title=%q, want Maria Lopez", got)
	}
}

// mustTeamConversation makes one conversation from a text, and the team
// the live tests act with: the development admin and an agent, Ana Ruiz.
func (ls *liveServer) mustTeamConversation(t *testing.T, uuid, text string) (id int64, admin, ana inbox.User) {
	t.Helper()
	ctx := context.Background()
	ls.text(t, uuid, "14155550100", text)
	page, err := ls.svc.ListConversations(ctx, inbox.ConversationQuery{}.Normalise())
	if err != nil || len(page.Conversations) != 1 {
		t.Fatalf("conversations=%v err=%v, want 1", page.Conversations, err)
	}
	admin, err = ls.store.FindUserByEmail(ctx, inbox.DevelopmentAdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	ana = inbox.User{Email: "ana@example.com", Name: "Ana Ruiz", Role: inbox.RoleAgent}
	if err := ls.store.SaveUser(ctx, &ana); err != nil {
		t.Fatal(err)
	}
	return page.Conversations[0].ID, admin, ana
}
