package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Labels end to end: an admin defines two on the settings screen, puts
// one on a conversation from the thread, a second tab sees it live, the
// list filters by it, and taking it off and deleting it work.
func TestBrowserTeamLabels(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	// Invalid input is answered 422 with the form and its error, on purpose.
	allowConsole(ctx, "status of 422")
	const a, b = "+14155550100", "+447911123456"
	simulateText(t, env, "--text", "I want my money back", "--from", a)
	simulateText(t, env, "--text", "Do you ship to Spain?", "--from", b)

	err := chromedp.Run(ctx, step("define labels",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Navigate(base+"/settings/labels"),
		chromedp.WaitVisible(`[data-testid="labels-empty"]`),
		chromedp.SendKeys(`#label-name-0`, "Refund"),
		chromedp.SetValue(`#label-color-0`, "red"),
		chromedp.Click(`[data-testid="label-save"]`),
		tabCount(`[data-testid="label-row"]`, 1),
		chromedp.SendKeys(`#label-name-0`, "VIP"),
		chromedp.SetValue(`#label-color-0`, "purple"),
		chromedp.Click(`[data-testid="label-save"]`),
		tabCount(`[data-testid="label-row"]`, 2),
		// A name taken in another case is refused in the form.
		chromedp.SendKeys(`#label-name-0`, "vip"),
		chromedp.Click(`[data-testid="label-save"]`),
		tabText(`[data-testid="label-error"]`, "already a label"),
		tabCount(`[data-testid="label-row"]`, 2),
		screenshot("labels"),
	))
	if err != nil {
		t.Fatal(err)
	}

	watcher, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Run(watcher,
		chromedp.Navigate(base+"/conversations?filter=all"),
		tabCount(`[data-testid="conversation-row"]`, 2),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
	); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("label a conversation from the thread",
		chromedp.Navigate(base+"/"),
		tabCount(`[data-testid="conversation-row"]`, 2),
		openRow(a),
		tabText(`[data-testid="thread-title"]`, "+1 415-555-0100"),
		chromedp.Click(`[data-testid="labels-button"]`),
		chromedp.WaitVisible(`[data-testid="labels-menu"]`),
		chromedp.Click(`//button[@data-testid="label-option"][contains(., "Refund")]`, chromedp.BySearch),
		tabText(`[data-testid="thread-labels"]`, "Refund"),
		tabPoll(`[...document.querySelectorAll('[data-testid="conversation-row"]')].filter(r => r.querySelector('[data-testid="label-chip"]')?.textContent.includes('Refund')).length === 1`),
		screenshot("labelled"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(watcher, step("the other tab sees the label live",
		tabPoll(`[...document.querySelectorAll('[data-testid="conversation-row"] [data-testid="label-chip"]')].some(c => c.textContent.includes('Refund'))`),
	)); err != nil {
		t.Fatal(err)
	}

	// An admin renames the label; the other tab's rows follow without a
	// reload (the live feed asks the page to fetch its list again).
	err = chromedp.Run(ctx, step("rename the label",
		chromedp.Navigate(base+"/settings/labels"),
		chromedp.Click(`[data-testid="label-row"][data-label-id="1"] [data-testid="label-edit"] summary`),
		chromedp.SetValue(`#label-name-1`, "Refunds"),
		chromedp.Click(`[data-testid="label-row"][data-label-id="1"] [data-testid="label-save"]`),
		tabText(`[data-testid="labels"]`, "Refunds"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(watcher, step("the other tab shows the new name live",
		tabPoll(`[...document.querySelectorAll('[data-testid="conversation-row"] [data-testid="label-chip"]')].some(c => c.textContent.includes('Refunds'))`),
	)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("back to the labelled thread",
		chromedp.Navigate(base+"/"),
		tabCount(`[data-testid="conversation-row"]`, 2),
		openRow(a),
		tabText(`[data-testid="thread-labels"]`, "Refunds"),
	))
	if err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("filter by label, then take it off and delete it",
		chromedp.SetValue(`[data-testid="label-filter"]`, "1"),
		chromedp.Evaluate(`document.querySelector('[data-testid="label-filter"]').dispatchEvent(new Event('change', {bubbles: true}))`, nil),
		tabCount(`[data-testid="conversation-row"]`, 1),
		tabPoll(`location.search.includes('label=1')`),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="all"]`),
		tabPoll(`location.search.includes('label=1') && location.search.includes('filter=all')`),
		tabCount(`[data-testid="conversation-row"]`, 1),
		chromedp.Click(`[data-testid="labels-button"]`),
		chromedp.WaitVisible(`[data-testid="labels-menu"]`),
		chromedp.Click(`//button[@data-testid="label-option"][contains(., "Refund")]`, chromedp.BySearch),
		tabCount(`[data-testid="thread-labels"] [data-testid="label-chip"]`, 0),
		chromedp.Navigate(base+"/settings/labels"),
		tabCount(`[data-testid="label-row"]`, 2),
		chromedp.Evaluate(`window.confirm = () => true`, nil),
		chromedp.Click(`[data-testid="label-row"] [data-testid="label-delete"]`),
		tabCount(`[data-testid="label-row"]`, 1),
	))
	if err != nil {
		t.Fatal(err)
	}

	// On a phone the header (four admin sections, mentions, the user) and
	// a labelled thread fit the screen.
	var fits bool
	err = chromedp.Run(ctx, step("labels on a phone",
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Navigate(base+"/conversations?filter=all"),
		tabCount(`[data-testid="conversation-row"]`, 2),
		openRow(b),
		tabText(`[data-testid="thread-title"]`, "+44 7911 123456"),
		tabCount(`[data-testid="labels-button"]`, 1),
		chromedp.Click(`[data-testid="labels-button"]`),
		chromedp.WaitVisible(`[data-testid="labels-menu"]`),
		chromedp.Click(`//button[@data-testid="label-option"][contains(., "VIP")]`, chromedp.BySearch),
		tabText(`[data-testid="thread-labels"]`, "VIP"),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= 390 && document.querySelector('[data-testid="app-header"]').scrollWidth <= 390`, &fits),
		screenshot("labels-phone"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !fits {
		t.Fatal("on a phone the page is wider than the screen")
	}
}
