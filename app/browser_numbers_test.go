package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/store"
)

// With two numbers, each is an inbox: rows say which, the list narrows to
// one, the thread names it, a reply leaves from the conversation's number,
// and a new conversation picks its number by the inbox's name.
func TestBrowserSeveralNumbers(t *testing.T) {
	const support, uk = "+14155550199", "+442071838750"
	db := filepath.Join(t.TempDir(), "parley.db")
	env := map[string]string{"DATABASE_URL": db, "PLIVO_PHONE_NUMBER": support + "=Support, " + uk + "=UK sales"}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "Hello support", "--from", "+14155550100", "--to", support)
	simulateText(t, env, "--text", "Hello from London", "--from", "+447911123456", "--to", uk)

	var markers, pickerOptions string
	err := chromedp.Run(ctx,
		step("both inboxes in one list, each row marked",
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`form[action="/auth/dev"] button`),
			chromedp.Click(`form[action="/auth/dev"] button`),
			chromedp.WaitVisible(`[data-testid="inbox"]`),
			waitCount(`[data-testid="conversation-row"]`, 2),
			chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="inbox-marker"]')].map(e => e.textContent.trim()).sort().join(',')`, &markers),
			screenshot("inboxes"),
		),
		step("the list narrows to one inbox",
			chromedp.SetValue(`[data-testid="number-filter"]`, uk),
			chromedp.Evaluate(`document.querySelector('[data-testid="number-filter"]').dispatchEvent(new Event('change', {bubbles: true}))`, nil),
			waitCount(`[data-testid="conversation-row"]`, 1),
			waitText(`[data-testid="conversation-row"]`, "Hello from London"),
		),
		step("the thread names its inbox, and a reply leaves from its number",
			chromedp.Click(`[data-testid="conversation-row"] a`),
			chromedp.WaitVisible(`[data-testid="thread-inbox"]`),
			waitText(`[data-testid="thread-inbox"]`, "UK sales"),
			chromedp.SendKeys(`#composer-text`, "We're on it"),
			chromedp.Click(`[data-testid="composer"] button[type="submit"]`),
			waitCount(`[data-testid="message"][data-direction="outbound"]`, 1),
		),
		step("a new conversation picks its number by name",
			chromedp.Click(`[data-testid="new-conversation"]`),
			chromedp.WaitVisible(`[data-testid="new-from"]`),
			chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="new-from"] option')].map(o => o.textContent.trim()).join('|')`, &pickerOptions),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	if markers != "Support,UK sales" {
		t.Errorf("row markers %q, want Support and UK sales", markers)
	}
	if pickerOptions != "Support · +1 415-555-0199|UK sales · +44 20 7183 8750" {
		t.Errorf("number picker %q", pickerOptions)
	}

	s, err := store.Open(context.Background(), "sqlite://"+db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		page, err := s.ListConversations(context.Background(), inbox.ConversationQuery{Filter: inbox.FilterAll, Channel: uk}.Normalise())
		if err != nil || len(page.Conversations) != 1 {
			t.Fatalf("UK conversations: %v, %v", page.Conversations, err)
		}
		msgs, err := s.ListMessages(context.Background(), page.Conversations[0].ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var from []string
		for _, m := range msgs.Messages {
			if m.Direction == inbox.DirectionOutbound {
				from = append(from, string(m.From))
			}
		}
		if strings.Join(from, ",") == uk {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replies in the UK conversation left from %v, want %s", from, uk)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
