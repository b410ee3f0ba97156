package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// A tab reloaded more often than its user has stream slots (8) stays live:
// each page it leaves gives its stream's slot back at once, instead of
// holding it until a heartbeat notices, so every reload connects and a
// text that arrives afterwards shows up.
func TestBrowserLiveAfterQuickReloads(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const x = "+14155550100"
	simulateText(t, env, "--text", "before the reloads", "--from", x)
	isLive := poll(`document.querySelector('#live-status').dataset.state === 'live'`)
	err := chromedp.Run(ctx, step("sign in",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		isLive,
	))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 11 {
		if err := chromedp.Run(ctx, step("reload "+itoa(i+1), chromedp.Reload(), chromedp.WaitVisible(`[data-testid="inbox"]`), isLive)); err != nil {
			t.Fatal(err)
		}
	}
	simulateText(t, env, "--text", "after the reloads", "--from", x)
	err = chromedp.Run(ctx, step("the text arrives live",
		waitText(`#conversation-rows [data-testid="conversation-row"]:first-child [data-testid="conversation-preview"]`, "after the reloads"),
	))
	if err != nil {
		t.Fatal(err)
	}
}
