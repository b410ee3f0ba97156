package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// An open thread's header follows changes made elsewhere: a text that
// reopens a closed conversation turns its "Reopen" back into "Close"
// without a reload.
func TestBrowserThreadHeaderFollowsChanges(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "first", "--from", "+14155550100")
	err := chromedp.Run(ctx,
		step("open the conversation and close it",
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`form[action="/auth/dev"] button`),
			chromedp.Click(`form[action="/auth/dev"] button`),
			chromedp.WaitVisible(`[data-testid="inbox"]`),
			waitCount(`[data-testid="conversation-row"]`, 1),
			chromedp.Click(`[data-testid="conversation-row"] a`),
			chromedp.WaitVisible(`[data-testid="action-close"]`),
			chromedp.Click(`[data-testid="action-close"]`),
			// Closing moves on; with nothing left, to the empty pane.
			chromedp.WaitVisible(`#thread [data-testid="thread-placeholder"]`),
			chromedp.Navigate(base+"/conversations/1"),
			chromedp.WaitVisible(`[data-testid="action-reopen"]`),
			chromedp.Poll(`document.querySelector('#live-status').dataset.state === 'live'`, nil),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	simulateText(t, env, "--text", "are you there?", "--from", "+14155550100")
	err = chromedp.Run(ctx,
		step("the text reopens it, and the header says so",
			waitText(`[data-testid="messages"]`, "are you there?"),
			chromedp.WaitVisible(`[data-testid="thread-header"] [data-testid="action-close"]`),
			waitCount(`[data-testid="action-reopen"]`, 0),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
}
