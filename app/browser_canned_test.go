package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Canned replies end to end: an admin adds one with a placeholder; in a
// thread, /name then Tab fills it for the contact, and the Canned menu
// puts it in too.
func TestBrowserTeamCanned(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "Hi, it's Maria", "--from", "+14155550100")

	err := chromedp.Run(ctx, step("add a canned reply",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Navigate(base+"/settings/keywords"),
		chromedp.Click(`[data-testid="canned-link"]`),
		chromedp.WaitVisible(`[data-testid="canned-empty"]`),
		chromedp.SendKeys(`#canned-name-0`, "thanks"),
		chromedp.SendKeys(`#canned-body-0`, "Thanks {{first_name}}! We'll reply today."),
		chromedp.Click(`[data-testid="canned-save"]`),
		tabCount(`[data-testid="canned-row"]`, 1),
		screenshot("canned"),
	))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("use it in a thread",
		chromedp.Navigate(base+"/conversations/1"),
		chromedp.WaitVisible(`[data-testid="contact-panel"] summary`),
		chromedp.Click(`[data-testid="contact-panel"] summary`),
		chromedp.SendKeys(`[data-testid="contact-name"]`, "Maria Lopez"),
		chromedp.Click(`[data-testid="contact-save"]`),
		tabText(`[data-testid="thread-title"]`, "Maria Lopez"),
		// The picker is filled when the thread renders.
		chromedp.Navigate(base+"/conversations/1"),
		chromedp.WaitVisible(`#composer-text`),
		chromedp.SendKeys(`#composer-text`, "/thanks\t"),
		tabPoll(`document.querySelector('#composer-text').value === "Thanks Maria! We'll reply today."`),
		tabText(`#composer-meter`, "GSM-7"),
		chromedp.SetValue(`#composer-text`, "Hello."),
		chromedp.Click(`[data-testid="canned-picker"] summary`),
		chromedp.WaitVisible(`[data-testid="canned-choice"]`),
		screenshot("canned-picker"),
		chromedp.Click(`[data-testid="canned-choice"]`),
		tabPoll(`document.querySelector('#composer-text').value === "Hello. Thanks Maria! We'll reply today."`),
		// Enter after a /name fills it rather than sending it.
		chromedp.SetValue(`#composer-text`, "/thanks"),
		// The key event itself: CDP types Enter's newline as an event of
		// its own, which a keydown handler cannot cancel.
		chromedp.Evaluate(`document.querySelector('#composer-text').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}))`, nil),
		tabPoll(`document.querySelector('#composer-text').value === "Thanks Maria! We'll reply today."`),
		tabCount(`[data-testid="message"][data-direction="outbound"]`, 0),
	))
	if err != nil {
		t.Fatal(err)
	}
}
