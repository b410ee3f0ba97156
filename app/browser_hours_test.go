package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// An admin closes every day and switches the after-hours reply on; the
// preview follows the form before it is saved, and after saving a text
// gets the reply once, a second text nothing more.
func TestBrowserBusinessHours(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	// Invalid input is answered 422 with the form and its error, on purpose.
	allowConsole(ctx, "status of 422")
	const closedNote = "We're closed right now; back tomorrow at nine."
	var openDays int
	err := chromedp.Run(ctx,
		step("sign in and open the hours screen",
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`form[action="/auth/dev"] button`),
			chromedp.Click(`form[action="/auth/dev"] button`),
			chromedp.WaitVisible(`[data-testid="inbox"]`),
			chromedp.Click(`[data-testid="settings-menu"] summary`),
			chromedp.WaitVisible(`[data-testid="settings-menu"] a[href="/settings/hours"]`),
			screenshot("settings-menu"),
			chromedp.Click(`[data-testid="settings-menu"] a[href="/settings/hours"]`),
			chromedp.WaitVisible(`[data-testid="hours-form"]`),
			count(`[data-testid="hours-day-open"]:checked`, &openDays),
			emulateScreen(1280, 1180, 1, false, screenshot("hours")),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	if openDays != 5 {
		t.Fatalf("%d days open by default, want Monday to Friday", openDays)
	}
	err = chromedp.Run(ctx,
		step("close every day and write the after-hours reply; the preview follows",
			chromedp.Evaluate(`document.querySelectorAll('[data-testid="hours-day-open"]:checked').forEach(c => c.click())`, nil),
			chromedp.SetValue(`#after_hours-body`, closedNote),
			chromedp.Click(`[data-testid="hours-after_hours"] [data-testid="hours-message-enabled"]`),
			// A click that missed says so here, not as a preview that never came.
			chromedp.Poll(`document.querySelector('[data-testid="hours-after_hours"] [data-testid="hours-message-enabled"]').checked`, nil, chromedp.WithPollingTimeout(5*time.Second)),
			waitText(`[data-testid="hours-preview-state"]`, "Closed"),
			waitText(`[data-testid="hours-preview-reply"]`, closedNote),
		),
		step("save",
			chromedp.Click(`[data-testid="hours-save"]`),
			waitText(`[data-testid="hours-saved"]`, "Saved"),
			waitCount(`[data-testid="hours-day-open"]:checked`, 0),
		),
		step("a refused form keeps what was typed",
			chromedp.SetValue(`#time-zone`, "Mars/Base"),
			chromedp.Click(`[data-testid="hours-save"]`),
			waitText(`[data-testid="hours-error"]`, "not a time zone"),
			chromedp.Poll(`document.querySelector('#time-zone').value === 'Mars/Base'`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		),
	)
	if err != nil {
		t.Fatal(err)
	}

	simulateText(t, env, "--text", "anyone there?", "--from", "+14155550100", "--uuid", "hours-1")
	simulateText(t, env, "--text", "hello??", "--from", "+14155550100", "--uuid", "hours-2")
	const outbound = `[data-testid="message"][data-direction="outbound"]`
	err = chromedp.Run(ctx,
		step("the text got the after-hours reply once",
			chromedp.Navigate(base+"/"),
			waitCount(`[data-testid="conversation-row"]`, 1),
			chromedp.Click(`[data-testid="conversation-row"] a`),
			chromedp.WaitVisible(`[data-testid="message"]`), // whether htmx swapped the thread in or the browser followed the link
			waitCount(`[data-testid="message"]`, 3),
			waitCount(outbound, 1),
			waitText(outbound+` [data-testid="message-body"]`, closedNote),
		),
		step("the hours screen fits a phone: nothing scrolls sideways",
			emulation.SetDeviceMetricsOverride(390, 844, 3, true),
			chromedp.Navigate(base+"/settings/hours"),
			chromedp.WaitVisible(`[data-testid="hours-form"]`),
			chromedp.Poll(`document.documentElement.scrollWidth <= window.innerWidth`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
}
