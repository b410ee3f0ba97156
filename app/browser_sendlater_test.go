package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Send later end to end, in a browser in Berlin texting a Chicago number:
// the composer's menu carries the browser's zone and says the contact's
// time; "Tomorrow 9:00" stores the reply and shows it at the end of the
// thread with both clocks; Enter in the picker schedules another at the
// picked time; Edit changes the text; Cancel takes them away.
func TestBrowserSendLater(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const chicago = "+13125550100"
	simulateText(t, env, "--text", "Can you text me in the morning?", "--from", chicago)

	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(berlin).AddDate(0, 0, 2)
	picked := time.Date(day.Year(), day.Month(), day.Day(), 10, 30, 0, 0, berlin)
	var zone string
	err = chromedp.Run(ctx, step("schedule from the composer",
		emulation.SetTimezoneOverride("Europe/Berlin"),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
		openRow(chicago),
		chromedp.WaitVisible(`#composer-text`),
		chromedp.SendKeys(`#composer-text`, "Good morning! Your order ships today."),
		chromedp.Click(`[data-testid="send-later"]`),
		chromedp.WaitVisible(`[data-testid="send-later-choice"][data-when="tomorrow9"]`),
		tabText(`[data-testid="send-later-their-time"]`, "America/Chicago"),
		chromedp.Value(`[data-testid="send-later-tz"]`, &zone),
		screenshot("send-later-menu"),
		chromedp.Click(`[data-testid="send-later-choice"][data-when="tomorrow9"]`),
		tabCount(`[data-testid="scheduled-message"]`, 1),
		tabText(`[data-testid="scheduled-body"]`, "Good morning! Your order ships today."),
		tabText(`[data-testid="scheduled-when"]`, "09:00"),
		tabText(`[data-testid="scheduled-when"]`, "Europe/Berlin"),
		tabText(`[data-testid="scheduled-their-time"]`, "02:00 theirs (America/Chicago)"),
		tabPoll(`document.querySelector('#composer-text').value === ''`),
		screenshot("send-later-scheduled"),
		// The picker: Enter in it schedules at the picked time.
		chromedp.SendKeys(`#composer-text`, "See you on "+picked.Format("Monday")+"."),
		chromedp.Click(`[data-testid="send-later"]`),
		chromedp.WaitVisible(`[data-testid="send-later-at"]`),
		chromedp.SetValue(`[data-testid="send-later-at"]`, picked.Format("2006-01-02T15:04")),
		chromedp.SendKeys(`[data-testid="send-later-at"]`, kb.Enter),
		tabCount(`[data-testid="scheduled-message"]`, 2),
		tabText(`[data-testid="scheduled-list"] li:last-child [data-testid="scheduled-when"]`, picked.Format("Mon 2 Jan, 15:04")),
		// Only the picked time: Enter did not also press the first preset.
		chromedp.Sleep(time.Second),
		tabCount(`[data-testid="scheduled-message"]`, 2),
	))
	if err != nil {
		t.Fatal(err)
	}
	if zone != "Europe/Berlin" {
		t.Fatalf("zone sent with the form=%q, want the browser's Europe/Berlin", zone)
	}

	var fits bool
	err = chromedp.Run(ctx, step("a scheduled message on a phone",
		emulateScreen(390, 844, 3, true,
			chromedp.Navigate(base+"/conversations/1"),
			chromedp.WaitVisible(`[data-testid="scheduled-message"]`),
			chromedp.Evaluate(`document.documentElement.scrollWidth <= 390`, &fits),
			screenshot("send-later-phone"),
			chromedp.Click(`[data-testid="send-later"]`),
			chromedp.WaitVisible(`[data-testid="send-later-choice"][data-when="1h"]`),
			chromedp.Evaluate(`document.documentElement.scrollWidth <= 390 && document.querySelector('[data-testid="send-later-panel"]').getBoundingClientRect().left >= 0`, &fits),
			screenshot("send-later-menu-phone"),
		),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !fits {
		t.Fatal("on a phone the thread is wider than the screen")
	}

	err = chromedp.Run(ctx, step("edit it",
		chromedp.Navigate(base+"/conversations/1"),
		chromedp.WaitVisible(`[data-testid="scheduled-edit"]`),
		chromedp.Click(`[data-testid="scheduled-edit"]`),
		chromedp.WaitVisible(`[data-testid="scheduled-edit-text"]`),
		tabPoll(`document.querySelector('[data-testid="scheduled-edit-at"]').value.endsWith('T09:00')`),
		chromedp.SetValue(`[data-testid="scheduled-edit-text"]`, "Good morning! It ships at noon."),
		chromedp.Click(`[data-testid="scheduled-edit-save"]`),
		tabText(`[data-testid="scheduled-body"]`, "It ships at noon."),
		tabCount(`[data-testid="scheduled-message"]`, 2),
	))
	if err != nil {
		t.Fatal(err)
	}

	// The live feed brings the whole list again after every change, the
	// agent's own too, and it can land just as the agent presses Cancel:
	// here in the same task as the click, swapped as the live feed swaps
	// (htmx's settle delay), so the click always finds the list just
	// swapped in. The thread stays, and the card goes.
	var stayed bool
	err = chromedp.Run(ctx, step("cancel one as the live feed brings the list again",
		chromedp.Evaluate(`window.parleyStayed = true`, nil),
		chromedp.Evaluate(`(() => {
			const again = document.querySelector('[data-testid="scheduled-list"]').cloneNode(true)
			again.setAttribute('hx-swap-oob', 'true')
			htmx.swap(document.querySelector('#live-sink'), again.outerHTML, {swapStyle: 'none', settleDelay: htmx.config.defaultSettleDelay})
			document.querySelector('[data-testid="scheduled-cancel"]').click()
		})()`, nil),
		tabCount(`[data-testid="scheduled-message"]`, 1),
		chromedp.Evaluate(`window.parleyStayed === true`, &stayed),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !stayed {
		t.Fatal("Cancel pressed as the live list landed loaded a whole page: the thread was left")
	}

	err = chromedp.Run(ctx, step("cancel the other",
		chromedp.Click(`[data-testid="scheduled-cancel"]`),
		tabCount(`[data-testid="scheduled-message"]`, 0),
		chromedp.Reload(),
		chromedp.WaitVisible(`#composer-text`),
		tabCount(`[data-testid="scheduled-message"]`, 0),
	))
	if err != nil {
		t.Fatal(err)
	}
}
