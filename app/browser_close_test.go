package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// openThreadIs is true when the thread shown is conversation id, the
// address bar says so, and htmx is done.
func openThreadIs(id string) chromedp.Action {
	return tabPoll(`(document.querySelector('#thread [data-testid="thread"]')||{dataset:{}}).dataset.conversationId === ` + jsString(id) +
		` && location.pathname === '/conversations/` + id + `' && ` + htmxIdle)
}

// Closing is the end of a piece of work: it moves on to the next
// conversation in the list (below, else above, else nothing), the closed
// row leaves the Open list here and in a colleague's browser at once, and
// an Undo toast, reachable from the keyboard, brings it back.
func TestBrowserCloseAdvances(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	problems := watchPage(ctx)
	// Conversations 1, 2, 3; the list shows the newest first: c, b, a.
	const a, b, c = "+14155550100", "+14155550101", "+14155550102"
	simulateText(t, env, "--text", "first", "--from", a)
	simulateText(t, env, "--text", "second", "--from", b)
	simulateText(t, env, "--text", "third", "--from", c)

	err := chromedp.Run(ctx, step("sign in and open the middle conversation",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabCount(`[data-testid="conversation-row"]`, 3),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
		openRow(b),
		openThreadIs("2"),
	))
	if err != nil {
		t.Fatal(err)
	}

	// A colleague's browser watches the Open list.
	other := newBrowser(t)
	if err := chromedp.Run(other, step("a colleague watches the list",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabCount(`[data-testid="conversation-row"]`, 3),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
	)); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("e closes it and opens the next one below",
		chromedp.Evaluate(`document.activeElement.blur()`, nil),
		pressKey("e"),
		openThreadIs("1"),
		tabCount(`#conversation-2`, 0),
		tabCount(`[data-testid="conversation-row"]`, 2),
		chromedp.WaitVisible(`[data-testid="undo-close"]`),
		screenshot("close-undo"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(other, step("the colleague's list drops it live", tabCount(`#conversation-2`, 0))); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("undo from the keyboard brings it back",
		chromedp.Focus(`[data-testid="undo-close"]`),
		chromedp.KeyEvent("\r"),
		openThreadIs("2"),
		chromedp.WaitVisible(`[data-testid="action-close"]`),
		tabCount(`[data-testid="conversation-row"]`, 3),
		tabCount(`[data-testid="undo-close"]`, 0),
		tabPoll(`[...document.querySelectorAll('[data-testid="conversation-row"]')].map(r => r.id).join() === 'conversation-3,conversation-2,conversation-1'`),
	))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(other, step("and the colleague's list too", tabCount(`#conversation-2[data-status="open"]`, 1))); err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("the button at the bottom of the list moves up",
		openRow(a),
		chromedp.Click(`[data-testid="action-close"]`),
		openThreadIs("2"),
		tabCount(`[data-testid="conversation-row"]`, 2),
		chromedp.Click(`[data-testid="action-close"]`),
		openThreadIs("3"),
		chromedp.Click(`[data-testid="action-close"]`),
		tabPoll(`!!document.querySelector('#thread [data-testid="thread-placeholder"]') && location.pathname + location.search === '/conversations?filter=open' && `+htmxIdle),
		tabCount(`[data-testid="conversation-row"]`, 0),
	))
	if err != nil {
		t.Fatal(err)
	}

	err = chromedp.Run(ctx, step("history goes back through the threads",
		chromedp.NavigateBack(),
		pollAcrossNavigation(`location.pathname === '/conversations/3'`),
	))
	if err != nil {
		t.Fatal(err)
	}
	problems.check(t)
}

// pollAcrossNavigation is tabPoll for a moment when the page may be
// replaced under it (Back restores from htmx's cache, or loads the page
// again when the cache misses): a poll whose document went away is asked
// again of the new one.
func pollAcrossNavigation(expr string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		for range 5 {
			if err = tabPoll(expr).Do(ctx); err == nil || !strings.Contains(err.Error(), "Cannot find context") {
				return err
			}
		}
		return err
	})
}

// watchOpenList signs a second browser in to watch the Open list.
func watchOpenList(base string, rows int) chromedp.Action {
	return step("a colleague watches the list",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabCount(`[data-testid="conversation-row"]`, rows),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
	)
}

// listEmptySays waits until the list shows its empty state saying text.
func listEmptySays(text string) chromedp.Action {
	return tabPoll(`(() => {
		const e = document.querySelector('#conversation-list [data-testid="list-empty"]')
		return !!e && e.getClientRects().length > 0 && e.textContent.includes(` + jsString(text) + `) && ` + htmxIdle + `
	})()`)
}

// Closing the last open conversation empties the Open list: it says so,
// for the agent who closed it and in a colleague's browser, and Undo
// brings the row back in place of the message.
func TestBrowserCloseLastShowsEmptyList(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	problems := watchPage(ctx)
	simulateText(t, env, "--text", "only one", "--from", "+14155550100")

	other := newBrowser(t)
	if err := chromedp.Run(other, watchOpenList(base, 1)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Run(ctx,
		signIn(base),
		openFirstThread(),
		step("close the only conversation",
			chromedp.Click(`[data-testid="action-close"]`),
			tabPoll(`!!document.querySelector('#thread [data-testid="thread-placeholder"]') && `+htmxIdle),
			tabCount(`[data-testid="conversation-row"]`, 0),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	var shown int
	if err := chromedp.Run(ctx, step("the list says it is empty",
		listEmptySays("No open conversations"),
		screenshot("close-last-empty"),
	)); err != nil {
		_ = chromedp.Run(ctx, count(`#conversation-list [data-testid="list-empty"]`, &shown))
		t.Fatalf("%v (empty states in the list: %d)", err, shown)
	}
	if err := chromedp.Run(other, step("and so does the colleague's",
		tabCount(`[data-testid="conversation-row"]`, 0),
		listEmptySays("No open conversations"),
	)); err != nil {
		_ = chromedp.Run(other, count(`#conversation-list [data-testid="list-empty"]`, &shown))
		t.Fatalf("%v (empty states in the colleague's list: %d)", err, shown)
	}
	if err := chromedp.Run(ctx, step("undo puts the row back instead",
		chromedp.Click(`[data-testid="undo-close"]`),
		openThreadIs("1"),
		tabCount(`[data-testid="conversation-row"]`, 1),
		tabPoll(`!document.querySelector('#conversation-list [data-testid="list-empty"]')?.getClientRects().length`),
	)); err != nil {
		t.Fatal(err)
	}
	problems.check(t)
}

// closedRows lists the rows on screen that show a closed conversation.
const closedRows = `[...document.querySelectorAll('[data-testid="conversation-row"][data-status="closed"]')].map(r => r.id)`

// Right after a close, the Open list (by its address, by "/", through its
// tab, and live in a colleague's browser) shows no closed row.
func TestBrowserOpenListHasNoClosedRowAfterClose(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const a, b, c = "+14155550100", "+14155550101", "+14155550102"
	simulateText(t, env, "--text", "first", "--from", a)
	simulateText(t, env, "--text", "second", "--from", b)
	simulateText(t, env, "--text", "third", "--from", c)

	other := newBrowser(t)
	if err := chromedp.Run(other, watchOpenList(base, 3)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx,
		signIn(base),
		openRow(b),
		openThreadIs("2"),
		chromedp.Click(`[data-testid="action-close"]`),
		openThreadIs("1"),
		tabCount(`[data-testid="conversation-row"]`, 2),
	); err != nil {
		t.Fatal(err)
	}
	check := func(where string, ctx context.Context, actions ...chromedp.Action) {
		t.Helper()
		var ids []string
		if err := chromedp.Run(ctx, append(actions, tabCount(`[data-testid="conversation-row"]`, 2), chromedp.Evaluate(closedRows, &ids))...); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if len(ids) != 0 {
			t.Errorf("%s shows closed rows %v, want none", where, ids)
		}
	}
	check("the closer's list", ctx)
	check("the colleague's live list", other, tabCount(`#conversation-2`, 0))
	check("/conversations?filter=open", ctx, chromedp.Navigate(base+"/conversations?filter=open"), chromedp.WaitVisible(`[data-testid="inbox"]`))
	check("/", ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(`[data-testid="inbox"]`))
	check("the Open tab", ctx,
		chromedp.Click(`[data-testid="filter-tab"][data-filter="all"]`),
		tabCount(`[data-testid="conversation-row"]`, 3),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="open"]`),
	)
	check("the colleague's list reloaded", other, chromedp.Reload(), chromedp.WaitVisible(`[data-testid="inbox"]`))
}
