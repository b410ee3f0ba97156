package views_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func sampleThread() views.ThreadProps {
	auto := message(2, inbox.DirectionOutbound, inbox.StatusDelivered, "Hello! Thanks for texting.")
	byAgent := message(3, inbox.DirectionOutbound, inbox.StatusSent, "We're on it.")
	byAgent.Message.SentBy = 2
	byAgent.SentByName = "Jonas Weber"
	return views.ThreadProps{
		Conversation: conversation(7, "+14155550123"),
		Messages: []views.MessageItem{
			message(1, inbox.DirectionInbound, inbox.StatusReceived, "HELLO"),
			auto,
			byAgent,
		},
		OlderCursor: "m1",
	}
}

func TestThreadMessages(t *testing.T) {
	doc := MustRender(t, testCtx(), views.Thread(sampleThread()))
	list := MustFind(t, doc, "ol#messages-7"+byTestID("messages"))
	if got := attr(list, "aria-live"); got != "polite" {
		t.Errorf("messages aria-live=%q, want polite", got)
	}
	msgs := list.Find(byTestID("message"))
	if msgs.Length() != 3 {
		t.Fatalf("messages=%d, want 3", msgs.Length())
	}
	for i, want := range []struct {
		id, dir, side, body string
	}{
		{"message-1", "inbound", "justify-start", "HELLO"},
		{"message-2", "outbound", "justify-end", "Hello! Thanks for texting."},
		{"message-3", "outbound", "justify-end", "We're on it."},
	} {
		m := msgs.Eq(i)
		if attr(m, "id") != want.id || attr(m, "data-direction") != want.dir {
			t.Errorf("message %d id=%q direction=%q, want %q %q", i, attr(m, "id"), attr(m, "data-direction"), want.id, want.dir)
		}
		if !hasClass(attr(m, "class"), want.side) {
			t.Errorf("message %d class=%q, want %q", i, attr(m, "class"), want.side)
		}
		if got := MustFind(t, m, byTestID("message-body")).Text(); got != want.body {
			t.Errorf("message %d body=%q, want %q", i, got, want.body)
		}
	}
	if n := msgs.Eq(1).Find(byTestID("auto-reply")).Length(); n != 1 {
		t.Errorf("automatic reply has %d Auto-reply marks, want 1", n)
	}
	if n := msgs.Eq(2).Find(byTestID("auto-reply")).Length(); n != 0 {
		t.Errorf("agent's reply has %d Auto-reply marks, want 0", n)
	}
	if got := text(MustFind(t, msgs.Eq(2), byTestID("sent-by"))); got != "Sent by Jonas Weber" {
		t.Errorf("sent by=%q, want %q", got, "Sent by Jonas Weber")
	}
	inBubble := attr(MustFind(t, msgs.Eq(0), byTestID("message-bubble")), "class")
	outBubble := attr(MustFind(t, msgs.Eq(2), byTestID("message-bubble")), "class")
	if !hasClass(inBubble, "bg-white") || !hasClass(outBubble, "bg-accent-600") {
		t.Errorf("bubble classes in=%q out=%q, want bg-white and bg-accent-600", inBubble, outBubble)
	}
	older := MustFind(t, doc, byTestID("load-older"))
	if got := attr(older, "hx-get"); got != "/conversations/7/messages?before=m1" {
		t.Errorf("load older hx-get=%q", got)
	}
	if got := attr(older, "hx-trigger"); !strings.HasPrefix(got, "intersect root:#thread-scroll") {
		t.Errorf("load older hx-trigger=%q, want intersect in the thread's scroller", got)
	}
	if got := text(MustFind(t, doc, byTestID("day-separator"))); got != "Today" {
		t.Errorf("day separator=%q, want Today", got)
	}
}

func TestMessageBodyIsEscaped(t *testing.T) {
	body := "<script>alert('x')</script>\n  <img src=x onerror=alert(1)> & more"
	doc := MustRender(t, testCtx(), views.MessageBubble(message(1, inbox.DirectionInbound, inbox.StatusReceived, body)))
	if n := doc.Find("script, img").Length(); n != 0 {
		t.Errorf("message body became %d elements, want text only", n)
	}
	got := MustFind(t, doc, byTestID("message-body"))
	if got.Text() != body {
		t.Errorf("body=%q, want %q with its newline and spaces", got.Text(), body)
	}
	if !hasClass(attr(got, "class"), "whitespace-pre-wrap") {
		t.Errorf("body class=%q, want whitespace-pre-wrap", attr(got, "class"))
	}
}

func TestMessageStatus(t *testing.T) {
	for _, tc := range []struct {
		status    inbox.Status
		errorCode string
		label     string
		title     string
	}{
		{inbox.StatusReceived, "", "Received", "Received from the contact"},
		{inbox.StatusQueued, "", "Queued", "Waiting in the outbox to be sent"},
		{inbox.StatusSent, "", "Sent", "Accepted by the carrier; waiting for a delivery report"},
		{inbox.StatusDelivered, "", "Delivered", "The carrier confirmed delivery to the phone"},
		{inbox.StatusUndelivered, "", "Undelivered", "The carrier could not deliver it to the phone"},
		{inbox.StatusFailed, "30", "Failed", "Sending failed (error 30)"},
	} {
		dir := inbox.DirectionOutbound
		if tc.status == inbox.StatusReceived {
			dir = inbox.DirectionInbound
		}
		m := message(1, dir, tc.status, "hi")
		m.Message.ErrorCode = tc.errorCode
		doc := MustRender(t, testCtx(), views.MessageBubble(m))
		st := MustFind(t, doc, byTestID("message-status"))
		if got := text(MustFind(t, st, byTestID("message-status-label"))); got != tc.label {
			t.Errorf("%s: label=%q, want %q", tc.status, got, tc.label)
		}
		if got := attr(st, "title"); got != tc.title {
			t.Errorf("%s: title=%q, want %q", tc.status, got, tc.title)
		}
		if st.Find("svg").Length() != 1 {
			t.Errorf("%s: status has no icon", tc.status)
		}
		if got := attr(MustFind(t, doc, byTestID("message")), "data-status"); got != string(tc.status) {
			t.Errorf("%s: data-status=%q", tc.status, got)
		}
	}
}

func TestMessageMedia(t *testing.T) {
	m := message(1, inbox.DirectionInbound, inbox.StatusReceived, "")
	m.Message.Media = []inbox.Media{
		{URL: "https://media.plivo.com/a/photo.jpg", ContentType: "image/jpeg"},
		{URL: "https://media.plivo.com/a/invoice.pdf", ContentType: "application/pdf"},
		{URL: "javascript:alert(1)", ContentType: "text/plain"},
	}
	doc := MustRender(t, testCtx(), views.MessageBubble(m))
	img := MustFind(t, doc, byTestID("media-image")+" img")
	if got := attr(img, "src"); got != "https://media.plivo.com/a/photo.jpg" {
		t.Errorf("img src=%q", got)
	}
	if got := attr(MustFind(t, doc, byTestID("media-image")), "href"); got != "https://media.plivo.com/a/photo.jpg" {
		t.Errorf("thumbnail link href=%q, want the image URL", got)
	}
	links := doc.Find(byTestID("media-link"))
	if links.Length() != 2 {
		t.Fatalf("media links=%d, want 2", links.Length())
	}
	if got := text(links.Eq(0)); got != "invoice.pdf (application/pdf)" {
		t.Errorf("link text=%q", got)
	}
	if got := attr(links.Eq(1), "href"); strings.HasPrefix(got, "javascript:") {
		t.Errorf("javascript: URL kept in href=%q", got)
	}
	if n := doc.Find(byTestID("message-body")).Length(); n != 0 {
		t.Errorf("empty body rendered %d body elements, want 0", n)
	}
}

func TestThreadActions(t *testing.T) {
	at := testNow.Add(-time.Hour)
	for _, tc := range []struct {
		name     string
		edit     func(*inbox.Conversation)
		want     []string
		dontWant []string
	}{
		{"open", func(*inbox.Conversation) {}, []string{"close", "block", "opt-out"}, []string{"reopen", "unblock", "opt-in"}},
		{"closed", func(c *inbox.Conversation) { c.Status = inbox.ConversationClosed }, []string{"reopen"}, []string{"close"}},
		{"blocked", func(c *inbox.Conversation) { c.Status = inbox.ConversationBlocked }, []string{"unblock"}, []string{"block", "close"}},
		{"opted out", func(c *inbox.Conversation) { c.OptedOutAt = &at }, []string{"opt-in"}, []string{"opt-out"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := sampleThread()
			tc.edit(&p.Conversation)
			doc := MustRender(t, testCtx(), views.Thread(p))
			actions := MustFind(t, doc, byTestID("thread-actions"))
			for _, a := range tc.want {
				btn := MustFind(t, actions, byTestID("action-"+a))
				form := btn.Closest("form")
				if got := attr(form, "hx-post"); got != "/conversations/7/"+a {
					t.Errorf("%s hx-post=%q, want /conversations/7/%s", a, got, a)
				}
				if got := attr(form, "hx-target"); got != "#thread" {
					t.Errorf("%s hx-target=%q, want #thread", a, got)
				}
				if got := attr(MustFind(t, form, `input[name="_csrf"]`), "value"); got != testToken {
					t.Errorf("%s _csrf=%q", a, got)
				}
			}
			for _, a := range tc.dontWant {
				if n := actions.Find(byTestID("action-" + a)).Length(); n != 0 {
					t.Errorf("found %s action, want none", a)
				}
			}
		})
	}
	doc := MustRender(t, testCtx(), views.Thread(sampleThread()))
	if got := attr(MustFind(t, doc, `[data-shortcut="close"]`), "data-testid"); got != "action-close" {
		t.Errorf("the e shortcut's button is %q, want action-close", got)
	}
}

func TestThreadConsentHistory(t *testing.T) {
	p := sampleThread()
	p.Consent = []inbox.ConsentEvent{
		{ID: 2, Kind: inbox.ConsentOptOut, Keyword: "STOP", Source: "keyword", OccurredAt: testNow.Add(-time.Hour)},
		{ID: 1, Kind: inbox.ConsentOptIn, Source: "agent", ActorID: 4, OccurredAt: testNow.AddDate(0, -1, 0)},
	}
	p.ConsentActors = map[int64]string{4: "Maya Chen"}
	doc := MustRender(t, testCtx(), views.Thread(p))
	events := MustFind(t, doc, byTestID("consent-history")).Find(byTestID("consent-event"))
	if events.Length() != 2 {
		t.Fatalf("consent events=%d, want 2", events.Length())
	}
	for i, want := range []string{"Opted out texted STOP Mar 12, 14:30", "Opted in by Maya Chen Feb 12, 15:30"} {
		if got := text(events.Eq(i)); got != want {
			t.Errorf("event %d=%q, want %q", i, got, want)
		}
	}
	if n := MustRender(t, testCtx(), views.Thread(sampleThread())).Find(byTestID("consent-history")).Length(); n != 0 {
		t.Errorf("consent panel shown with no history")
	}
}

func TestThreadPartial(t *testing.T) {
	p := sampleThread()
	p.Conversation.Status = inbox.ConversationClosed
	doc := MustRender(t, testCtx(), views.ThreadPartial(p))
	MustFind(t, doc, byTestID("thread"))
	row := MustFind(t, doc, "li#conversation-7")
	if got := attr(row, "hx-swap-oob"); got != "true" {
		t.Errorf("row hx-swap-oob=%q, want true", got)
	}
	MustFind(t, row, byTestID("closed-marker"))
	if doc.Find("title, header[data-testid='app-header']").Length() != 0 {
		t.Error("partial renders a whole page")
	}
	if got := attr(MustFind(t, row, "a"), "aria-current"); got != "page" {
		t.Errorf("row aria-current=%q, want page", got)
	}
}

func TestOlderMessages(t *testing.T) {
	doc := MustRender(t, testCtx(), views.OlderMessages(views.OlderMessagesProps{
		ConversationID: 7, OlderCursor: "m0",
		Messages: []views.MessageItem{message(1, inbox.DirectionInbound, inbox.StatusReceived, "older")},
	}))
	if got := attr(MustFind(t, doc, byTestID("load-older")), "hx-get"); got != "/conversations/7/messages?before=m0" {
		t.Errorf("next trigger hx-get=%q", got)
	}
	MustFind(t, doc, byTestID("older-messages")+" #message-1")
	last := MustRender(t, testCtx(), views.OlderMessages(views.OlderMessagesProps{ConversationID: 7}))
	MustFind(t, last, byTestID("thread-start"))
	if n := last.Find(byTestID("load-older")).Length(); n != 0 {
		t.Errorf("last page has %d triggers, want 0", n)
	}
}

func TestLiveFragments(t *testing.T) {
	m := message(5, inbox.DirectionInbound, inbox.StatusReceived, "new")
	appendDoc := MustRender(t, testCtx(), views.MessageAppend(m))
	if got := attr(MustFind(t, appendDoc, "[hx-swap-oob]"), "hx-swap-oob"); got != "beforeend:#messages-7" {
		t.Errorf("append hx-swap-oob=%q, want beforeend:#messages-7", got)
	}
	MustFind(t, appendDoc, "[hx-swap-oob] > li#message-5")
	m.Message.Status = inbox.StatusDelivered
	update := MustRender(t, testCtx(), views.MessageBubbleOOB(m))
	if got := attr(MustFind(t, update, "li#message-5"), "hx-swap-oob"); got != "true" {
		t.Errorf("status update hx-swap-oob=%q, want true", got)
	}
}
