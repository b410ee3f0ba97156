package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// poll waits until the JavaScript expression is true.
func poll(expr string) chromedp.Action {
	return chromedp.Poll(expr, nil, chromedp.WithPollingTimeout(waitLimit))
}

// firstRowIs is true when the list's top row is the conversation with
// number.
func firstRowIs(number string) string {
	return `(document.querySelector('#conversation-rows [data-testid="conversation-row"] [data-testid="conversation-number"]')||{}).textContent === ` + jsString(number)
}

// Texts arriving while the inbox is open show up without a reload: the
// row moves to the top with its unread badge, a new conversation appears,
// the open thread gets the message, the tab title counts unread
// conversations, and the reply being typed keeps its focus and text.
func TestBrowserLiveInbox(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	// The browser starts after Parley so it closes before Parley shuts
	// down: cleanups run last-in, first-out.
	ctx := newBrowser(t)
	var consoleErrors []string
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.APITypeError {
				return
			}
			for _, a := range ev.Args {
				consoleErrors = append(consoleErrors, string(a.Value))
			}
		case *runtime.EventExceptionThrown:
			consoleErrors = append(consoleErrors, ev.ExceptionDetails.Error())
		}
	})
	const x, y, z = "+14155550100", "+447911123456", "+14155550177"
	simulateText(t, env, "--text", "first from X", "--from", x)
	simulateText(t, env, "--text", "first from Y", "--from", y)

	err := chromedp.Run(ctx, step("sign in and open Y",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		waitCount(`[data-testid="conversation-row"]`, 2),
		poll(`document.querySelector('#live-status').dataset.state === 'live'`),
		chromedp.Evaluate(`window.parleyNotReloaded = true`, nil),
		chromedp.Evaluate(fakeNotifications, nil),
		chromedp.Click(`[data-testid="conversation-row"] a`),
		chromedp.WaitVisible(`[data-testid="composer-text"]`),
		waitText(`[data-testid="messages"]`, "first from Y"),
		chromedp.SendKeys(`#composer-text`, "a reply being typed"),
	))
	if err != nil {
		t.Fatal(err)
	}

	simulateText(t, env, "--text", "second from X", "--from", x)
	err = chromedp.Run(ctx, step("X moves to the top, unread",
		poll(firstRowIs(x)),
		waitText(`#conversation-rows [data-testid="conversation-row"]:first-child [data-testid="unread-badge"]`, "2"),
		waitText(`#conversation-rows [data-testid="conversation-row"]:first-child [data-testid="conversation-preview"]`, "second from X"),
		poll(`document.title === '(1) Parley'`),
	))
	if err != nil {
		t.Fatal(err)
	}

	simulateText(t, env, "--text", "second from Y\nwith a second line", "--from", y)
	simulateText(t, env, "--text", "new from Z", "--from", z)
	var focused, draft string
	var atBottom, notReloaded, selected bool
	var rows int
	err = chromedp.Run(ctx, step("Y's thread gets the text; Z appears",
		waitText(`[data-testid="messages"]`, "with a second line"),
		waitCount(`[data-testid="conversation-row"]`, 3),
		poll(firstRowIs(z)),
		// Y's thread is open and in view, so its new text is read: X and
		// Z count.
		poll(`document.title === '(2) Parley'`),
		chromedp.Evaluate(`document.activeElement && document.activeElement.id`, &focused),
		chromedp.Value(`#composer-text`, &draft),
		chromedp.Evaluate(`(function(s){ return s.scrollHeight - s.scrollTop - s.clientHeight < 5 })(document.querySelector('#thread-scroll'))`, &atBottom),
		chromedp.Evaluate(`window.parleyNotReloaded === true`, &notReloaded),
		chromedp.Evaluate(`!!document.querySelector('#conversation-rows [data-testid="conversation-row"]:nth-child(2) a[aria-current="page"]')`, &selected),
		count(`[data-testid="messages"] [data-testid="message"]`, &rows),
		screenshot("inbox-live"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if focused != "composer-text" || draft != "a reply being typed" {
		t.Errorf("after live updates focus=%q draft=%q, want the composer with its text", focused, draft)
	}
	if !atBottom {
		t.Errorf("the open thread is not scrolled to the new message")
	}
	if !notReloaded {
		t.Errorf("the page reloaded")
	}
	if !selected {
		t.Errorf("the open conversation's row (second, under Z) lost its selected mark")
	}
	if rows != 2 {
		t.Errorf("thread shows %d messages, want 2 (each once)", rows)
	}
	var title string
	if err := chromedp.Run(ctx, chromedp.Title(&title)); err != nil || !strings.HasPrefix(title, "(2)") {
		t.Errorf("title=%q (%v), want it to count 2 unread conversations (not the open one)", title, err)
	}

	// Desktop notifications are off until switched on in the account menu.
	var before int
	var stored string
	err = chromedp.Run(ctx, step("switch notifications on",
		chromedp.Evaluate(`window.parleyNotes.length`, &before),
		chromedp.Click(`[data-testid="user-menu"] summary`),
		chromedp.Click(`#notify-desktop`),
		chromedp.Evaluate(`localStorage.getItem('parley:notify-desktop')`, &stored),
	))
	if err != nil {
		t.Fatal(err)
	}
	if before != 0 || stored != "on" {
		t.Fatalf("notifications before switching on=%d, stored=%q; want none, then on", before, stored)
	}
	simulateText(t, env, "--text", "third from X", "--from", x)
	err = chromedp.Run(ctx, step("a new text notifies",
		poll(`window.parleyNotes.length === 1 && window.parleyNotes[0] === 'New text from +1 415-555-0100: third from X'`),
	))
	if err != nil {
		var notes []string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`window.parleyNotes`, &notes))
		t.Fatalf("%v (notifications: %q)", err, notes)
	}
	if len(consoleErrors) > 0 {
		t.Errorf("console errors: %q", consoleErrors)
	}
}

// fakeNotifications stands in for the Notification API (headless Chromium
// shows none) and makes the page look backgrounded, recording what would
// be shown in window.parleyNotes.
const fakeNotifications = `
window.parleyNotes = [];
window.Notification = function (title, opts) { window.parleyNotes.push(title + ': ' + opts.body); };
window.Notification.permission = 'granted';
window.Notification.requestPermission = function () { return Promise.resolve('granted'); };
document.hasFocus = function () { return false; };
`
