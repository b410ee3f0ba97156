package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Round-robin end to end: switch "Take new conversations" on in the
// account menu, and a contact's first text arrives assigned to you, live.
func TestBrowserTeamRoundRobin(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	err := chromedp.Run(ctx, step("switch on, then a text arrives assigned",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
		chromedp.Click(`[data-testid="user-menu"] summary`),
		chromedp.WaitVisible(`[data-testid="available-toggle"] button`),
		chromedp.Click(`[data-testid="available-toggle"] button`),
		tabPoll(`document.querySelector('[data-testid="available-toggle"] button').getAttribute('aria-checked') === 'true'`),
		screenshot("available"),
	))
	if err != nil {
		t.Fatal(err)
	}
	simulateText(t, env, "--text", "Is anyone there?", "--from", "+14155550100")
	if err := chromedp.Run(ctx, step("the new row says You",
		tabText(`[data-testid="conversation-row"] [data-testid="assignee-marker"]`, "You"),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="mine"]`),
		tabCount(`[data-testid="conversation-row"]`, 1),
	)); err != nil {
		t.Fatal(err)
	}
}
