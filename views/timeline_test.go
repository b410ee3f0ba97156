package views_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestOutboundBubbleOpensItsTimeline(t *testing.T) {
	tests := []struct {
		name     string
		item     views.MessageItem
		timeline bool
	}{
		{"outbound", message(4, inbox.DirectionOutbound, inbox.StatusSent, "On its way"), true},
		{"inbound", message(5, inbox.DirectionInbound, inbox.StatusReceived, "Thanks"), false},
	}
	for _, tt := range tests {
		doc := MustRender(t, testCtx(), views.MessageBubble(tt.item))
		toggles := doc.Find(byTestID("message-meta") + " details" + byTestID("timeline-toggle"))
		if (toggles.Length() == 1) != tt.timeline {
			t.Fatalf("%s: timeline toggles=%d, want %v", tt.name, toggles.Length(), tt.timeline)
		}
		if !tt.timeline {
			continue
		}
		panel := MustFind(t, toggles, byTestID("timeline-panel"))
		if got := attr(panel, "hx-get"); got != "/messages/4/timeline" {
			t.Errorf("hx-get=%q, want /messages/4/timeline", got)
		}
		if got := attr(panel, "hx-trigger"); got != "toggle once from:closest details" {
			t.Errorf("hx-trigger=%q, want it loaded the first time it opens", got)
		}
		if got := attr(panel, "id"); got != "timeline-4" {
			t.Errorf("panel id=%q, want timeline-4", got)
		}
		if doc.Find(byTestID("retry-button")).Length() != 0 {
			t.Errorf("%s: a sent message offers Retry", tt.name)
		}
	}
}

func TestFailedOutboundBubbleOffersRetry(t *testing.T) {
	for _, status := range []inbox.Status{inbox.StatusFailed, inbox.StatusUndelivered, inbox.StatusRejected} {
		item := message(6, inbox.DirectionOutbound, status, "Did it arrive?")
		doc := MustRender(t, testCtx(), views.MessageBubble(item))
		form := MustFind(t, doc, byTestID("message-meta")+" form"+byTestID("retry-form"))
		if attr(form, "hx-post") != "/messages/6/retry" || attr(form, "action") != "/messages/6/retry" || attr(form, "method") != "post" {
			t.Errorf("%s: retry form posts to hx-post=%q action=%q", status, attr(form, "hx-post"), attr(form, "action"))
		}
		if attr(form, "hx-swap") != "none" {
			t.Errorf("%s: hx-swap=%q, want none (the answer swaps out of band)", status, attr(form, "hx-swap"))
		}
		if got := attr(MustFind(t, form, `input[name="_csrf"]`), "value"); got != testToken {
			t.Errorf("%s: CSRF field=%q, want %q", status, got, testToken)
		}
		if got := text(MustFind(t, form, byTestID("retry-button"))); got != "Retry" {
			t.Errorf("%s: button=%q, want Retry", status, got)
		}
	}

	retried := message(6, inbox.DirectionOutbound, inbox.StatusFailed, "Did it arrive?")
	retried.Message.RetriedAs = 9
	doc := MustRender(t, testCtx(), views.MessageBubble(retried))
	if doc.Find(byTestID("retry-button")).Length() != 0 {
		t.Error("a message already sent again offers Retry")
	}
	if got := text(MustFind(t, doc, byTestID("retried"))); got != "Retried" {
		t.Errorf("retried label=%q, want Retried", got)
	}
}

func TestMessageTimeline(t *testing.T) {
	m := inbox.Message{
		ID: 12, ConversationID: 7, Direction: inbox.DirectionOutbound, Status: inbox.StatusUndelivered,
		ErrorCode: "30", Via: inbox.ViaAPI, CreatedAt: testNow.Add(-10 * time.Minute),
	}
	p := views.TimelineProps{
		Message: m,
		Entries: []views.TimelineEntry{
			{Status: "queued", At: testNow.Add(-9 * time.Minute)},
			{Status: inbox.StatusSent, At: testNow.Add(-8 * time.Minute)},
			{Status: inbox.StatusUndelivered, At: testNow.Add(-7 * time.Minute), ErrorCode: "30", Explanation: "The carrier filtered the message as spam."},
		},
		ErrorText: "Parley tried 3 times <b>and</b> gave up.",
	}
	doc := MustRender(t, testCtx(), views.MessageTimeline(p))
	tl := MustFind(t, doc, byTestID("timeline"))
	if got := attr(tl, "data-message-id"); got != "12" {
		t.Errorf("data-message-id=%q, want 12", got)
	}
	entries := tl.Find(byTestID("timeline-entry"))
	want := []struct{ status, words string }{
		{"queued", "Queued by Parley Mar 12, 15:20"},
		{"queued", "Accepted by Plivo Mar 12, 15:21"},
		{"sent", "Sent to the carrier Mar 12, 15:22"},
		{"undelivered", "Undelivered Mar 12, 15:23 Error 30: The carrier filtered the message as spam."},
	}
	if entries.Length() != len(want) {
		t.Fatalf("entries=%d, want %d", entries.Length(), len(want))
	}
	for i, w := range want {
		e := entries.Eq(i)
		if attr(e, "data-status") != w.status || text(e) != w.words {
			t.Errorf("entry %d: %s %q, want %s %q", i, attr(e, "data-status"), text(e), w.status, w.words)
		}
	}
	if n := tl.Find(byTestID("timeline-error")).Length(); n != 1 {
		t.Errorf("explained errors=%d, want 1", n)
	}
	errText := MustFind(t, tl, byTestID("timeline-error-text"))
	if text(errText) != "Parley tried 3 times <b>and</b> gave up." || errText.Find("b").Length() != 0 {
		t.Errorf("error text=%q, want Parley's words, escaped", text(errText))
	}
	if tl.Find(byTestID("timeline-empty")).Length() != 0 {
		t.Error("a timeline with reports says there are none")
	}
}

func TestMessageTimelineWithoutReports(t *testing.T) {
	tests := []struct {
		status inbox.Status
		want   string
	}{
		{inbox.StatusQueued, "Not handed to Plivo yet."},
		{inbox.StatusFailed, "The carrier sent no reports."},
		{inbox.StatusSent, "No delivery reports yet."},
	}
	for _, tt := range tests {
		m := inbox.Message{ID: 3, Direction: inbox.DirectionOutbound, Status: tt.status, Via: inbox.ViaAPI, CreatedAt: testNow}
		m.RetriedAs = 4
		doc := MustRender(t, testCtx(), views.MessageTimeline(views.TimelineProps{Message: m}))
		if got := text(MustFind(t, doc, byTestID("timeline-empty"))); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: %q, want it to start %q", tt.status, got, tt.want)
		}
		if n := doc.Find(byTestID("timeline-entry")).Length(); n != 1 {
			t.Errorf("%s: entries=%d, want only Parley's own", tt.status, n)
		}
		MustFind(t, doc, byTestID("timeline-retried"))
	}
}

func TestRetrySent(t *testing.T) {
	old := message(6, inbox.DirectionOutbound, inbox.StatusFailed, "Did it arrive?")
	old.Message.RetriedAs = 8
	again := message(8, inbox.DirectionOutbound, inbox.StatusQueued, "Did it arrive?")
	doc := MustRender(t, testCtx(), views.RetrySent(old, again))
	oldLi := MustFind(t, doc, "li#message-6")
	if attr(oldLi, "hx-swap-oob") != "true" || oldLi.Find(byTestID("retried")).Length() != 1 {
		t.Errorf("old bubble: hx-swap-oob=%q, want it replaced out of band showing Retried", attr(oldLi, "hx-swap-oob"))
	}
	appended := MustFind(t, doc, `[hx-swap-oob="beforeend:#messages-7"]`)
	if li := MustFind(t, appended, "li#message-8"); attr(li, "data-status") != "queued" {
		t.Errorf("new message status=%q, want queued", attr(li, "data-status"))
	}
	assertStrictCSP(t, doc)
}
