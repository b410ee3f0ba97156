package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Snooze end to end: snooze from the thread, find it under Snoozed and not
// under Open, see a text from the contact wake it live, and wake one by
// hand.
func TestBrowserTeamSnooze(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const a, b = "+14155550100", "+447911123456"
	simulateText(t, env, "--text", "Call me back next week", "--from", a)
	simulateText(t, env, "--text", "Is the shop open Sunday?", "--from", b)

	err := chromedp.Run(ctx, step("snooze from the thread",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabCount(`[data-testid="conversation-row"]`, 2),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
		openRow(a),
		tabText(`[data-testid="thread-title"]`, "+1 415-555-0100"),
		chromedp.Click(`[data-testid="action-snooze"]`),
		chromedp.WaitVisible(`[data-testid="snooze-choice"][data-for="168h"]`),
		screenshot("snooze-menu"),
		chromedp.Click(`[data-testid="snooze-choice"][data-for="168h"]`),
		tabText(`[data-testid="thread-status"] [data-testid="snoozed-marker"]`, "until"),
		chromedp.WaitVisible(`[data-testid="action-wake"]`),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="open"]`),
		tabCount(`[data-testid="conversation-row"]`, 1),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="snoozed"]`),
		tabCount(`[data-testid="conversation-row"][data-snoozed="true"]`, 1),
	))
	if err != nil {
		t.Fatal(err)
	}

	simulateText(t, env, "--text", "Actually, today works", "--from", a)
	// The row wakes live; the open thread's header follows on its next
	// render (the live feed updates rows, not headers, on a new text).
	err = chromedp.Run(ctx, step("a text wakes it, live",
		tabCount(`[data-testid="conversation-row"][data-snoozed="true"]`, 0),
		tabText(`[data-testid="messages"]`, "Actually, today works"),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="open"]`),
		tabCount(`[data-testid="conversation-row"]`, 2),
		openRow(a),
		chromedp.WaitVisible(`[data-testid="action-snooze"]`),
	))
	if err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("wake by hand",
		chromedp.Click(`[data-testid="action-snooze"]`),
		chromedp.WaitVisible(`[data-testid="snooze-choice"][data-for="1h"]`),
		chromedp.Click(`[data-testid="snooze-choice"][data-for="1h"]`),
		chromedp.WaitVisible(`[data-testid="action-wake"]`),
		screenshot("snoozed"),
		chromedp.Click(`[data-testid="action-wake"]`),
		chromedp.WaitVisible(`[data-testid="action-snooze"]`),
		tabCount(`[data-testid="thread-status"] [data-testid="snoozed-marker"]`, 0),
	))
	if err != nil {
		t.Fatal(err)
	}

	var fits bool
	err = chromedp.Run(ctx, step("the thread header fits a phone",
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Navigate(base+"/conversations/1"),
		// A phone keeps the thread's actions in one menu.
		openPhoneActions(`[data-testid="action-snooze"]`),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= 390 && document.querySelector('[data-testid="thread-header"]').scrollWidth <= 390`, &fits),
		screenshot("snooze-phone"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !fits {
		t.Fatal("on a phone the thread header is wider than the screen")
	}
}
