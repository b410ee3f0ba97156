package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// signIn signs in through the development sign-in and waits for the inbox
// to be live.
func signIn(base string) chromedp.Action {
	return step("sign in",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		poll(`document.querySelector('#live-status').dataset.state === 'live'`),
	)
}

// openFirstThread opens the top conversation of the list and waits for its
// composer.
func openFirstThread() chromedp.Action {
	return step("open the first thread",
		chromedp.Click(`[data-testid="conversation-row"] a`),
		chromedp.WaitVisible(`[data-testid="composer-text"]`),
	)
}

// A text that reopens the conversation changes the open thread's header
// while the agent has its ⋯ menu open: the menu stays open.
func TestBrowserLiveHeaderKeepsOpenMenu(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const x = "+14155550100"
	simulateText(t, env, "--text", "first", "--from", x)

	var open, sameHeader bool
	err := chromedp.Run(ctx,
		signIn(base),
		openFirstThread(),
		step("close it and open the menu",
			chromedp.Click(`[data-testid="action-close"]`),
			// Closing moves on; with nothing left, to the empty pane.
			chromedp.WaitVisible(`#thread [data-testid="thread-placeholder"]`),
			chromedp.Navigate(base+"/conversations/1"),
			chromedp.WaitVisible(`[data-testid="action-reopen"]`),
			chromedp.Poll(`document.querySelector('#live-status').dataset.state === 'live'`, nil),
			waitCount(`[data-testid="action-reopen"]`, 1),
			chromedp.Click(`[data-testid="thread-more"] summary`),
			poll(`document.querySelector('[data-testid="thread-more"]').open`),
			chromedp.Evaluate(`document.querySelector('[data-testid="thread-header"]').parleyMark = true`, nil),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	simulateText(t, env, "--text", "are you there?", "--from", x)
	err = chromedp.Run(ctx, step("the text reopens it",
		waitText(`[data-testid="messages"]`, "are you there?"),
		waitCount(`[data-testid="thread-header"] [data-testid="action-close"]`, 1),
		poll(htmxIdle),
		chromedp.Evaluate(`document.querySelector('[data-testid="thread-more"]').open`, &open),
		chromedp.Evaluate(`document.querySelector('[data-testid="thread-header"]').parleyMark === true`, &sameHeader),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !open {
		t.Errorf("the ⋯ menu closed when the header changed live")
	}
	if !sameHeader {
		t.Errorf("the header element was replaced, want it changed in place")
	}
	// The morphed header's buttons post to their new actions.
	err = chromedp.Run(ctx, step("close it again from the morphed header",
		chromedp.KeyEvent("\x1b"),
		chromedp.Click(`[data-testid="action-close"]`),
		chromedp.WaitVisible(`#thread [data-testid="thread-placeholder"]`),
	))
	if err != nil {
		t.Fatal(err)
	}
}

// backdate moves every message and conversation of the database a day
// into the past, keeping the stored format of each time.
func backdate(t *testing.T, db string) {
	t.Helper()
	// The running server may hold a write for a moment (the outbox, a
	// read): wait for it rather than fail with SQLITE_BUSY.
	conn, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		`UPDATE messages SET created_at = date(substr(created_at, 1, 10), '-1 day') || substr(created_at, 11)`,
		`UPDATE conversations SET last_message_at = date(substr(last_message_at, 1, 10), '-1 day') || substr(last_message_at, 11)`,
	} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// A live text after yesterday's last message starts a "Today" day.
func TestBrowserLiveTextGetsTodaySeparator(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parley.db")
	env := map[string]string{"DATABASE_URL": db}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const x = "+14155550100"
	simulateText(t, env, "--text", "from yesterday", "--from", x)
	backdate(t, db)

	var days []string
	err := chromedp.Run(ctx,
		signIn(base),
		openFirstThread(),
		waitText(`[data-testid="messages"]`, "from yesterday"),
		waitText(`[data-testid="day-separator"]`, "Yesterday"),
	)
	if err != nil {
		t.Fatal(err)
	}
	simulateText(t, env, "--text", "and today", "--from", x)
	simulateText(t, env, "--text", "again today", "--from", x)
	err = chromedp.Run(ctx,
		waitText(`[data-testid="messages"]`, "again today"),
		chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="messages"] [data-testid="day-separator"]')].map(e => e.textContent.trim())`, &days),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 2 || days[0] != "Yesterday" || days[1] != "Today" {
		t.Errorf("day separators %q, want [Yesterday Today]", days)
	}
}

// Settings and New message pages carry the live feed: the header's unread
// badge counts a text that arrives while an admin is there.
func TestBrowserSettingsPagesAreLive(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	if err := chromedp.Run(ctx, signIn(base)); err != nil {
		t.Fatal(err)
	}
	for i, page := range []string{"/settings/keywords", "/conversations/new"} {
		var streams int
		err := chromedp.Run(ctx, step(page,
			chromedp.Navigate(base+page),
			chromedp.WaitVisible(`[data-testid="app-header"]`),
			poll(`document.querySelector('#live-status').dataset.state === 'live'`),
			count(`[sse-connect]`, &streams),
		))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if streams != 1 {
			t.Errorf("%s has %d live connections, want 1", page, streams)
		}
		simulateText(t, env, "--text", "hello there", "--from", "+1415555010"+itoa(i))
		if err := chromedp.Run(ctx, waitText(`#nav-unread`, itoa(i+1))); err != nil {
			t.Fatalf("%s: the unread badge did not count the new text: %v", page, err)
		}
	}
}

// Web addresses in a text are links that open in a new tab.
func TestBrowserLinksInTexts(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "Track it at https://example.com/track?id=42 or see example.org/help.", "--from", "+14155550100")

	var links []map[string]string
	err := chromedp.Run(ctx,
		signIn(base),
		openFirstThread(),
		waitText(`[data-testid="messages"]`, "Track it at"),
		chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="message-body"] a')].map(a => ({href: a.getAttribute('href'), text: a.textContent, target: a.target, rel: a.rel}))`, &links),
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"href": "https://example.com/track?id=42", "text": "https://example.com/track?id=42", "target": "_blank", "rel": "noopener noreferrer nofollow"},
		{"href": "https://example.org/help", "text": "example.org/help", "target": "_blank", "rel": "noopener noreferrer nofollow"},
	}
	if len(links) != len(want) {
		t.Fatalf("links in the text: %v, want %v", links, want)
	}
	for i := range want {
		for k, v := range want[i] {
			if links[i][k] != v {
				t.Errorf("link %d %s=%q, want %q", i, k, links[i][k], v)
			}
		}
	}
}

// Texts of a burst from one side show one time; each keeps its full time
// on hover.
func TestBrowserBurstShowsOneTime(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const x = "+14155550100"
	simulateText(t, env, "--text", "one", "--from", x)
	simulateText(t, env, "--text", "two", "--from", x)

	const shown = `[...document.querySelectorAll('[data-testid="message"] time')].map(t => t.getBoundingClientRect().width > 2)`
	const hover = `[...document.querySelectorAll('[data-testid="message"]')].every(m => /\d\d:\d\d/.test(m.querySelector('[data-testid="message-bubble"]').title || ''))`
	var loaded, live []bool
	var titled bool
	err := chromedp.Run(ctx,
		signIn(base),
		openFirstThread(),
		waitText(`[data-testid="messages"]`, "two"),
		chromedp.Evaluate(shown, &loaded),
	)
	if err != nil {
		t.Fatal(err)
	}
	simulateText(t, env, "--text", "three", "--from", x)
	err = chromedp.Run(ctx,
		waitText(`[data-testid="messages"]`, "three"),
		chromedp.Evaluate(shown, &live),
		chromedp.Evaluate(hover, &titled),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) != 2 || !loaded[0] || loaded[1] {
		t.Errorf("times shown on open %v, want [true false]", loaded)
	}
	if len(live) != 3 || !live[0] || live[1] || live[2] {
		t.Errorf("times shown after a live text %v, want [true false false]", live)
	}
	if !titled {
		t.Errorf("a bubble has no full time on hover")
	}
}

// The meter says what is left and names every character that forces
// Unicode.
func TestBrowserMeterNamesEveryUnicodeCharacter(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "hi", "--from", "+14155550100")
	err := chromedp.Run(ctx,
		signIn(base),
		openFirstThread(),
		chromedp.SendKeys(`#composer-text`, "Olá, você está aí? á"),
		waitText(`#composer-meter`, "50 characters left in this text · 1 text · Unicode because of “á”, “ê”, “í”"),
		screenshot("composer-meter"),
	)
	if err != nil {
		var meter string
		_ = chromedp.Run(ctx, chromedp.Text(`#composer-meter`, &meter))
		t.Fatalf("%v (meter: %q)", err, meter)
	}
}

// The same error twice is one toast that counts.
func TestBrowserSameToastOnce(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	var toasts int
	var counter string
	err := chromedp.Run(ctx,
		signIn(base),
		chromedp.Evaluate(`document.dispatchEvent(new Event('htmx:timeout')); document.dispatchEvent(new Event('htmx:timeout')); document.dispatchEvent(new Event('htmx:timeout'))`, nil),
		waitCount(`[data-testid="toast"]`, 1),
		count(`[data-testid="toast"]`, &toasts),
		chromedp.Text(`[data-testid="toast"] [data-testid="toast-count"]`, &counter),
	)
	if err != nil {
		t.Fatalf("%v (toasts: %d)", err, toasts)
	}
	if counter != "×3" {
		t.Errorf("toast counter %q, want ×3", counter)
	}
}

// On a phone the thread's actions open from one button; a text that
// reopens the conversation changes the header while that menu is open:
// the menu stays open, as the ⋯ menu does on a laptop.
func TestBrowserLiveHeaderKeepsPhoneActionsOpen(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const x = "+14155550100"
	simulateText(t, env, "--text", "first", "--from", x)

	const expanded = `document.querySelector('[data-testid="thread-actions-toggle"]').getAttribute('aria-expanded')`
	var state string
	var menuShown, sameHeader bool
	err := chromedp.Run(ctx,
		signIn(base),
		openFirstThread(),
		step("close it, then open its actions on a phone",
			chromedp.Click(`[data-testid="action-close"]`),
			chromedp.WaitVisible(`#thread [data-testid="thread-placeholder"]`),
			emulation.SetDeviceMetricsOverride(390, 844, 3, true),
			chromedp.Navigate(base+"/conversations/1"),
			chromedp.WaitVisible(`[data-testid="thread-header"]`),
			poll(`document.querySelector('#live-status').dataset.state === 'live'`),
			waitCount(`[data-testid="action-reopen"]`, 1),
			openPhoneActions(`[data-testid="thread-actions-menu"]`),
			chromedp.Evaluate(`document.querySelector('[data-testid="thread-header"]').parleyMark = true`, nil),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	simulateText(t, env, "--text", "are you there?", "--from", x)
	err = chromedp.Run(ctx, step("the text reopens it",
		waitText(`[data-testid="messages"]`, "are you there?"),
		waitCount(`[data-testid="thread-header"] [data-testid="action-close"]`, 1),
		poll(htmxIdle),
		chromedp.Evaluate(expanded, &state),
		chromedp.Evaluate(`document.querySelector('[data-testid="thread-actions-menu"]').getClientRects().length > 0`, &menuShown),
		chromedp.Evaluate(`document.querySelector('[data-testid="thread-header"]').parleyMark === true`, &sameHeader),
		screenshot("thread-phone-actions-live"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if state != "true" || !menuShown {
		t.Errorf("after a live header change the actions toggle has aria-expanded=%q and its menu shown=%v, want true and true", state, menuShown)
	}
	if !sameHeader {
		t.Errorf("the header element was replaced, want it changed in place")
	}
}

// The Open, Mine and Unassigned tabs count unread conversations, and
// follow the live feed as the header's badge does: a text that arrives
// counts at once, and a conversation read drops out.
func TestBrowserTabCountsAreLive(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "first", "--from", "+14155550100")

	tab := func(f string) string {
		return `[data-testid="filter-tab"][data-filter="` + f + `"] [data-testid="tab-count"]`
	}
	visible := func(f, n string) chromedp.Action {
		return poll(`(() => { const e = document.querySelector(` + jsString(tab(f)) + `); return !!e && !e.hidden && e.textContent.trim().startsWith(` + jsString(n+" ") + `) })()`)
	}
	gone := func(f string) chromedp.Action {
		return poll(`(() => { const e = document.querySelector(` + jsString(tab(f)) + `); return !e || e.hidden || e.getClientRects().length === 0 })()`)
	}
	err := chromedp.Run(ctx,
		signIn(base),
		step("one unread", visible("open", "1"), visible("unassigned", "1"), gone("mine")),
	)
	if err != nil {
		t.Fatal(err)
	}
	simulateText(t, env, "--text", "second", "--from", "+14155550101")
	if err := chromedp.Run(ctx, step("a live text counts at once",
		waitCount(`[data-testid="conversation-row"]`, 2),
		waitText(`#nav-unread`, "2"),
		visible("open", "2"), visible("unassigned", "2"), gone("mine"),
	)); err != nil {
		var tabs []string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="filter-tab"]')].map(a => a.textContent.trim().replace(/\s+/g, ' '))`, &tabs))
		t.Fatalf("%v (tabs: %q)", err, tabs)
	}
	if err := chromedp.Run(ctx, step("reading one and taking the other",
		openFirstThread(),
		waitText(`#nav-unread`, "1"),
		visible("open", "1"), visible("unassigned", "1"),
	)); err != nil {
		var tabs []string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="filter-tab"]')].map(a => a.textContent.trim().replace(/\s+/g, ' '))`, &tabs))
		t.Fatalf("%v (tabs: %q)", err, tabs)
	}
}
