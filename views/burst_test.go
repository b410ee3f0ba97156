package views_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// A text that follows another from the same side and agent within five
// minutes is marked as following (its time hidden by CSS); every bubble
// keeps its full time as a tooltip.
func TestThreadMarksBursts(t *testing.T) {
	at := func(m views.MessageItem, minutesAgo int) views.MessageItem {
		m.Message.CreatedAt = testNow.Add(-time.Duration(minutesAgo) * time.Minute)
		return m
	}
	p := sampleThread()
	agent := message(5, inbox.DirectionOutbound, inbox.StatusSent, "by an agent")
	agent.Message.SentBy = 2
	p.Messages = []views.MessageItem{
		at(message(1, inbox.DirectionInbound, inbox.StatusReceived, "one"), 30),
		at(message(2, inbox.DirectionInbound, inbox.StatusReceived, "two"), 29),
		at(message(3, inbox.DirectionInbound, inbox.StatusReceived, "three, later"), 20),
		at(message(4, inbox.DirectionOutbound, inbox.StatusSent, "auto"), 20),
		at(agent, 19),
	}
	doc := MustRender(t, testCtx(), views.Thread(p))
	want := []bool{false, true, false, false, false}
	msgs := doc.Find(byTestID("message"))
	if msgs.Length() != len(want) {
		t.Fatalf("messages=%d, want %d", msgs.Length(), len(want))
	}
	for i, follows := range want {
		m := msgs.Eq(i)
		if got := attr(m, "data-follows") == "true"; got != follows {
			t.Errorf("message %d follows=%v, want %v", i+1, got, follows)
		}
		if got := attr(MustFind(t, m, byTestID("message-bubble")), "title"); got == "" {
			t.Errorf("message %d has no full time on hover", i+1)
		}
	}
}

// A live message brings a separator for its day; the page keeps it only
// when its thread ended on an earlier day.
func TestMessageAppendBringsItsDay(t *testing.T) {
	m := message(9, inbox.DirectionInbound, inbox.StatusReceived, "hi")
	m.Message.CreatedAt = testNow
	doc := MustRender(t, testCtx(), views.MessageAppend(m))
	wrap := MustFind(t, doc, `[hx-swap-oob="beforeend:#messages-7"]`)
	first := wrap.Children().First()
	if attr(first, "data-testid") != "day-separator" || text(first) != "Today" || attr(first, "data-day") != testNow.Format("2006-01-02") {
		t.Errorf("first appended item testid=%q text=%q day=%q, want today's separator", attr(first, "data-testid"), text(first), attr(first, "data-day"))
	}
	if got := attr(first.Next(), "id"); got != "message-9" {
		t.Errorf("after the separator comes %q, want message-9", got)
	}
}
