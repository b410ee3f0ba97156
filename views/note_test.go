package views_test

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func note(id int64, at time.Time, body string) views.NoteItem {
	return views.NoteItem{Note: inbox.Note{ID: id, ConversationID: 7, AuthorID: 2, Body: body, CreatedAt: at}, AuthorName: "Ann Lee"}
}

func TestThreadShowsNotesInTimeOrder(t *testing.T) {
	p := sampleThread()
	p.OlderCursor = ""
	msgs := p.Messages // 8, 7 and 6 minutes before testNow
	p.Notes = []views.NoteItem{
		note(1, msgs[0].Message.CreatedAt.Add(-time.Hour), "first of all"),
		note(2, msgs[1].Message.CreatedAt, "@ann <b>refund</b> them, @bob."),
		note(3, testNow, "done"),
	}
	doc := MustRender(t, testCtx(), views.Thread(p))
	var order []string
	MustFind(t, doc, byTestID("messages")).Children().Each(func(_ int, s *goquery.Selection) {
		if id, ok := s.Attr("id"); ok {
			order = append(order, id)
		}
	})
	if got, want := strings.Join(order, " "), "note-1 message-1 message-2 note-2 message-3 note-3"; got != want {
		t.Errorf("order=%s, want %s (a note at a message's instant follows it)", got, want)
	}
	n2 := MustFind(t, doc, "#note-2")
	if got := text(n2.Find(byTestID("note-body"))); got != "@ann <b>refund</b> them, @bob." {
		t.Errorf("note body=%q, want the text as written", got)
	}
	if n2.Find("b").Length() != 0 {
		t.Error("markup in a note became HTML")
	}
	var mentions []string
	n2.Find(byTestID("note-mention")).Each(func(_ int, s *goquery.Selection) { mentions = append(mentions, s.Text()) })
	if strings.Join(mentions, ",") != "@ann,@bob" {
		t.Errorf("mentions marked=%v, want @ann and @bob (without the full stop)", mentions)
	}
	if got := text(n2.Find(byTestID("note-author"))); got != "Ann Lee" {
		t.Errorf("author=%q", got)
	}
	// The compose area offers the reply and the note, reply first.
	area := MustFind(t, doc, "#compose-area")
	if attr(area, "data-mode") != "reply" || area.Find("form#composer").Length() != 1 || area.Find("form#note-composer").Length() != 1 {
		t.Errorf("compose area mode=%q, want reply with both forms", attr(area, "data-mode"))
	}
	if got := attr(MustFind(t, area, "form#note-composer"), "hx-post"); got != "/conversations/7/notes" {
		t.Errorf("note form posts to %q", got)
	}
	if doc.Find(byTestID("thread-empty")).Length() != 0 {
		t.Error("a thread with notes says it is empty")
	}
}

func TestNoteComposerError(t *testing.T) {
	doc := MustRender(t, testCtx(), views.NoteComposer(views.NoteComposerProps{ConversationID: 7, Text: "draft", Error: "write something first"}))
	if got := MustFind(t, doc, "#note-text").Text(); got != "draft" {
		t.Errorf("draft=%q, want it kept", got)
	}
	if got := text(MustFind(t, doc, byTestID("note-error"))); got != "write something first" {
		t.Errorf("error=%q", got)
	}
	if doc.Find(`input[name="_csrf"]`).Length() != 1 {
		t.Error("note form without CSRF token")
	}
}

func TestMentionsScreen(t *testing.T) {
	read := testNow
	conv := conversation(7, "+14155550123")
	doc := MustRender(t, testCtx(), views.MentionsPage(views.MentionsProps{Mentions: []views.MentionItem{
		{Mention: inbox.Mention{ID: 2, Note: note(5, testNow, "@maya look").Note}, AuthorName: "Ann Lee", Conversation: conv},
		{Mention: inbox.Mention{ID: 1, Note: note(4, testNow.Add(-time.Hour), "@maya earlier").Note, ReadAt: &read}, AuthorName: "Ann Lee", Conversation: conv},
	}}))
	rows := doc.Find(byTestID("mention"))
	if rows.Length() != 2 {
		t.Fatalf("mentions=%d, want 2", rows.Length())
	}
	if attr(rows.Eq(0), "data-unread") != "true" || hasAttr(rows.Eq(1), "data-unread") {
		t.Error("only the first mention should be marked unread")
	}
	if got := attr(rows.Eq(0).Find("a"), "href"); got != "/conversations/7" {
		t.Errorf("mention links to %q, want the conversation", got)
	}
	empty := MustRender(t, testCtx(), views.MentionsPage(views.MentionsProps{}))
	MustFind(t, empty, byTestID("mentions-empty"))
}

func TestMentionsBadge(t *testing.T) {
	for _, tt := range []struct {
		count int
		shown string
	}{{0, ""}, {3, "3 unread"}} {
		doc := MustRender(t, testCtx(), views.MentionsBadgeOOB(tt.count))
		a := MustFind(t, doc, "a#nav-mentions")
		if attr(a, "hx-swap-oob") != "true" || attr(a, "href") != "/mentions" {
			t.Errorf("badge oob=%q href=%q", attr(a, "hx-swap-oob"), attr(a, "href"))
		}
		if got := text(a.Find(byTestID("mentions-count"))); got != tt.shown {
			t.Errorf("count %d shows %q, want %q", tt.count, got, tt.shown)
		}
	}
	reload := MustFind(t, MustRender(t, testCtx(), views.MentionsBadgeReloadOOB()), "a#nav-mentions")
	if attr(reload, "hx-get") != "/mentions/badge" || attr(reload, "hx-trigger") != "load" || attr(reload, "hx-swap-oob") != "true" {
		t.Errorf("reloading badge hx-get=%q trigger=%q oob=%q", attr(reload, "hx-get"), attr(reload, "hx-trigger"), attr(reload, "hx-swap-oob"))
	}
}
