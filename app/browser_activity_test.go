package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// activityKinds is the kinds of the open thread's activity lines, in the
// order it shows them, joined with commas.
const activityKinds = `[...document.querySelectorAll('#thread [data-testid="activity"]')].map(e => e.dataset.kind).join()`

// Who did what shows in the thread as quiet lines between the messages,
// in time order, and appears live for a colleague reading the same thread.
func TestBrowserThreadActivity(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	problems := watchPage(ctx)
	const a = "+14155550100"
	simulateText(t, env, "--text", "Where is my parcel?", "--from", a)

	signIn := func(name string) chromedp.Action {
		return step(name+" signs in and opens the thread",
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`form[action="/auth/dev"] button`),
			chromedp.Click(`form[action="/auth/dev"] button`),
			chromedp.WaitVisible(`[data-testid="inbox"]`),
			tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
			openRow(a),
		)
	}
	if err := chromedp.Run(ctx, signIn("the agent")); err != nil {
		t.Fatal(err)
	}
	other := newBrowser(t)
	if err := chromedp.Run(other, signIn("a colleague")); err != nil {
		t.Fatal(err)
	}

	err := chromedp.Run(ctx, step("take it, snooze it, wake it",
		chromedp.Evaluate(`document.activeElement.blur()`, nil),
		pressKey("i"),
		tabText(`#thread [data-testid="activity"][data-kind="assigned"]`, "took the conversation"),
		chromedp.Click(`[data-testid="action-snooze"]`),
		chromedp.WaitVisible(`[data-testid="snooze-choice"][data-for="1h"]`),
		chromedp.Click(`[data-testid="snooze-choice"][data-for="1h"]`),
		tabText(`#thread [data-testid="activity"][data-kind="snoozed"]`, "snoozed the conversation until"),
		chromedp.Click(`[data-testid="action-wake"]`),
		tabPoll(activityKinds+` === 'assigned,snoozed,woke' && `+htmxIdle),
		screenshot("thread-activity"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(other, step("the colleague sees the lines live",
		tabPoll(activityKinds+` === 'assigned,snoozed,woke'`),
	)); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("close with e, undo with z",
		chromedp.Evaluate(`document.activeElement.blur()`, nil),
		pressKey("e"),
		chromedp.WaitVisible(`#thread [data-testid="thread-placeholder"]`),
		chromedp.WaitVisible(`[data-testid="undo-close"]`),
		pressKey("z"),
		openThreadIs("1"),
		tabPoll(activityKinds+` === 'assigned,snoozed,woke,closed,reopened' && `+htmxIdle),
	))
	if err != nil {
		t.Fatal(err)
	}

	simulateText(t, env, "--text", "STOP", "--from", a)
	if err := chromedp.Run(other, step("the colleague sees the STOP and its line live",
		tabPoll(activityKinds+` === 'assigned,snoozed,woke,closed,reopened,opted_out'`),
		tabText(`#thread [data-testid="activity"][data-kind="opted_out"]`, "opted out by texting STOP"),
	)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("after a reload the lines sit between the messages in time order",
		chromedp.Reload(),
		chromedp.WaitVisible(`[data-testid="thread"]`),
		tabPoll(activityKinds+` === 'assigned,snoozed,woke,closed,reopened,opted_out'`),
		tabPoll(`[...document.querySelectorAll('#thread [data-testid="messages"] > li')].map(e => e.dataset.testid).filter(k => k !== 'day-separator').join() === 'message,activity,activity,activity,activity,activity,message,message,activity'`),
	))
	if err != nil {
		t.Fatal(err)
	}
	var fits bool
	err = chromedp.Run(ctx, step("the lines fit a phone",
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Navigate(base+"/conversations/1"),
		chromedp.WaitVisible(`#thread [data-testid="activity"]`),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= 390 && document.querySelector('[data-testid="thread-scroll"]').scrollWidth <= 390`, &fits),
		screenshot("thread-activity-phone"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !fits {
		t.Error("the thread with activity lines is wider than a 390px phone")
	}
	problems.check(t)
}
