package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Contacts end to end: name a contact from the thread with a field; the
// list and the title show the name, here and in a second tab at once; a
// refused field keeps what was typed.
func TestBrowserTeamContacts(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	// Invalid input is answered 422 with the form and its error, on purpose.
	allowConsole(ctx, "status of 422")
	const a = "+14155550100"
	simulateText(t, env, "--text", "Hi, it's Maria from 12 Oak St", "--from", a)

	err := chromedp.Run(ctx, step("sign in",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabCount(`[data-testid="conversation-row"]`, 1),
	))
	if err != nil {
		t.Fatal(err)
	}
	watcher, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Run(watcher,
		chromedp.Navigate(base+"/conversations?filter=all"),
		tabCount(`[data-testid="conversation-row"]`, 1),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
	); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("name the contact from the thread",
		openRow(a),
		tabText(`[data-testid="thread-title"]`, "+1 415-555-0100"),
		chromedp.Click(`[data-testid="contact-panel"] summary`),
		chromedp.WaitVisible(`[data-testid="contact-name"]`),
		chromedp.SendKeys(`[data-testid="contact-name"]`, "Maria Lopez"),
		chromedp.SendKeys(`[data-testid="contact-notes"]`, "Prefers texts in the morning"),
		// A value without a field name is refused, keeping what was typed.
		chromedp.SendKeys(`[data-testid="contact-field"] input[name="field_value"]`, "A-1234"),
		chromedp.Click(`[data-testid="contact-save"]`),
		tabText(`[data-testid="contact-error"]`, "give the field"),
		tabPoll(`document.querySelector('[data-testid="contact-name"]').value === 'Maria Lopez'`),
		chromedp.SendKeys(`[data-testid="contact-field"] input[name="field_key"]`, "Order"),
		screenshot("contact"),
		chromedp.Click(`[data-testid="contact-save"]`),
		tabText(`[data-testid="thread-title"]`, "Maria Lopez"),
		tabText(`[data-testid="contact-summary"]`, "Prefers texts in the morning"),
		tabText(`[data-testid="conversation-row"] [data-testid="conversation-title"]`, "Maria Lopez"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(watcher, step("the other tab sees the name live",
		tabText(`[data-testid="conversation-row"] [data-testid="conversation-title"]`, "Maria Lopez"),
	)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("the name stays after a reload, with the field",
		chromedp.Navigate(base+"/conversations/1"),
		tabText(`[data-testid="thread-title"]`, "Maria Lopez"),
		chromedp.Click(`[data-testid="contact-panel"] summary`),
		tabPoll(`document.querySelector('[data-testid="contact-field"] input[name="field_key"]').value === 'Order' && document.querySelector('[data-testid="contact-field"] input[name="field_value"]').value === 'A-1234'`),
	))
	if err != nil {
		t.Fatal(err)
	}
}
