package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Two tabs share the browser here, and a tab in the background gets no
// animation frames, which chromedp.Poll waits on by default: these poll on
// a timer instead.
func tabPoll(expr string) chromedp.Action {
	return tabPollShowing(expr, `'(see the condition)'`)
}

func tabPollShowing(expr, show string) chromedp.Action {
	return pollShowing(expr, show, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(waitLimit))
}

func tabCount(sel string, n int) chromedp.Action {
	return tabPollShowing(`document.querySelectorAll(`+jsString(sel)+`).length === `+itoa(n)+` && `+htmxIdle, showCount(sel))
}

func tabText(sel, text string) chromedp.Action {
	return tabPollShowing(`(document.querySelector(`+jsString(sel)+`)||{}).textContent?.includes(`+jsString(text)+`) && `+htmxIdle, showText(sel))
}

// rowMarker is the assignee marker's text in the row of number, "" when
// the row shows none.
func rowMarker(number string) string {
	return `([...document.querySelectorAll('[data-testid="conversation-row"]')]
		.find(r => r.querySelector('[data-testid="conversation-number"]').textContent === ` + jsString(number) + `)
		?.querySelector('[data-testid="assignee-marker"]')?.textContent || '')`
}

// openRow opens the conversation with number from the list and waits
// until its thread is the one shown and htmx is done, so the next click
// lands on that thread, not the one it replaced.
func openRow(number string) chromedp.Action {
	row := `[...document.querySelectorAll('[data-testid="conversation-row"]')]
		.find(r => r.querySelector('[data-testid="conversation-number"]').textContent === ` + jsString(number) + `)`
	return chromedp.Tasks{
		// A row the live feed swapped in a moment ago may not be wired up
		// by htmx yet, and a click on it would load the whole page.
		tabPoll(`(() => { const a = ` + row + `?.querySelector('a'); return !!a && !!a['htmx-internal-data'] && ` + htmxIdle + ` })()`),
		chromedp.Click(`//li[@data-testid="conversation-row"][.//*[@data-testid="conversation-number"][text()=`+jsString(number)+`]]/a`, chromedp.BySearch),
		tabPoll(`(() => {
			const row = ` + row + `
			const open = document.querySelector('#thread [data-testid="thread"]')
			return !!row && !!open && row.id === 'conversation-' + open.dataset.conversationId && ` + htmxIdle + `
		})()`),
	}
}

// Assignment end to end: take a conversation from the menu and with the
// i shortcut, hand one to a colleague, release one, and see the Mine and
// Unassigned lists follow, and a second tab update live.
func TestBrowserTeamAssignment(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const a, b = "+14155550100", "+447911123456"
	simulateText(t, env, "--text", "Where is my parcel?", "--from", a)
	simulateText(t, env, "--text", "Can I change my booking?", "--from", b)

	err := chromedp.Run(ctx, step("sign in and invite a colleague",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Navigate(base+"/settings/users"),
		chromedp.WaitVisible(`#invite-email`),
		chromedp.SendKeys(`#invite-email`, "sam@example.com"),
		chromedp.Click(`[data-testid="invite"] button[type="submit"]`),
		tabCount(`[data-testid="user-row"]`, 2),
	))
	if err != nil {
		t.Fatal(err)
	}

	// A second tab, signed in as the same person, watches the list live.
	watcher, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Run(watcher,
		chromedp.Navigate(base+"/conversations?filter=all"),
		tabCount(`[data-testid="conversation-row"]`, 2),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
	); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("assign to me from the menu",
		chromedp.Navigate(base+"/"),
		tabCount(`[data-testid="conversation-row"]`, 2),
		openRow(a),
		chromedp.WaitVisible(`[data-testid="assignee-button"]`),
		tabText(`[data-testid="assignee-name"]`, "Unassigned"),
		chromedp.Click(`[data-testid="assignee-button"]`),
		chromedp.WaitVisible(`[data-testid="assign-me"]`),
		screenshot("assign-menu"),
		chromedp.Click(`[data-testid="assign-me"]`),
		tabText(`[data-testid="assignee-name"]`, "You"),
		tabPoll(rowMarker(a)+` === 'You'`),
	))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(watcher, step("the other tab sees it live", tabPoll(rowMarker(a)+` === 'You'`))); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("mine and unassigned lists",
		chromedp.Click(`[data-testid="filter-tab"][data-filter="mine"]`),
		tabCount(`[data-testid="conversation-row"]`, 1),
		tabPoll(rowMarker(a)+` === 'You'`),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="unassigned"]`),
		tabCount(`[data-testid="conversation-row"]`, 1),
		tabPoll(rowMarker(b)+` === ''`),
	))
	if err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("i takes the open conversation, then hand it to Sam",
		openRow(b),
		tabText(`[data-testid="thread-title"]`, "+44"),
		chromedp.Evaluate(`document.activeElement.blur()`, nil),
		chromedp.KeyEvent("i"),
		tabText(`[data-testid="assignee-name"]`, "You"),
		chromedp.Click(`[data-testid="assignee-button"]`),
		chromedp.WaitVisible(`[data-testid="assign-person"]`),
		chromedp.Click(`//button[@data-testid="assign-person"][contains(., "sam@example.com")]`, chromedp.BySearch),
		tabText(`[data-testid="assignee-name"]`, "sam@example.com"),
		tabPoll(rowMarker(b)+` === 'sam@example.com'`),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="all"]`),
		tabCount(`[data-testid="conversation-row"]`, 2),
		screenshot("assigned"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(watcher, step("the other tab sees the hand-off", tabPoll(rowMarker(b)+` === 'sam@example.com'`))); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("release the first and find it unassigned",
		chromedp.Click(`[data-testid="filter-tab"][data-filter="mine"]`),
		tabCount(`[data-testid="conversation-row"]`, 1),
		openRow(a),
		tabText(`[data-testid="thread-title"]`, "+1 415-555-0100"),
		chromedp.Click(`[data-testid="assignee-button"]`),
		chromedp.WaitVisible(`[data-testid="unassign"]`),
		chromedp.Click(`[data-testid="unassign"]`),
		tabText(`[data-testid="assignee-name"]`, "Unassigned"),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="unassigned"]`),
		tabCount(`[data-testid="conversation-row"]`, 1),
		tabPoll(rowMarker(a)+` === ''`),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="mine"]`),
		tabCount(`[data-testid="conversation-row"]`, 0),
		tabText(`[data-testid="list-empty"]`, "Nothing assigned to you"),
	))
	if err != nil {
		t.Fatal(err)
	}

	// On a phone the control, in the actions menu, fits the screen.
	var fits bool
	err = chromedp.Run(ctx, step("assign on a phone",
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Navigate(base+"/conversations?filter=all"),
		tabCount(`[data-testid="conversation-row"]`, 2),
		openRow(b),
		// A phone keeps the thread's actions in one menu.
		openPhoneActions(`[data-testid="assignee-button"]`),
		chromedp.Evaluate(`(() => {
			const h = document.querySelector('[data-testid="thread-header"]').getBoundingClientRect()
			const c = document.querySelector('[data-testid="assignee-button"]').getBoundingClientRect()
			return c.left >= h.left && c.right <= h.right && document.documentElement.scrollWidth <= 390
		})()`, &fits),
		chromedp.Click(`[data-testid="assignee-button"]`),
		chromedp.WaitVisible(`[data-testid="assign-me"]`),
		screenshot("assign-phone"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !fits {
		t.Fatal("on a phone the assignee control overflows the thread header")
	}
}
