package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A reply the carrier could not deliver is seen where the agent is: a
// toast naming the contact and the reason in plain words, a red mark on
// the conversation's row that a reload keeps, the Failed tab, and the
// reason beside the message in its thread.
func TestBrowserFailedReplySurfaces(t *testing.T) {
	env := map[string]string{
		"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db"),
		// Every reply ends undelivered with ErrorCode 80.
		"SIMULATED_UNDELIVERED_PERCENT": "100",
	}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "Is my order on its way?", "--from", "+14155550100")
	simulateText(t, env, "--text", "Another customer", "--from", "+14155550111")
	const reason = "temporarily unavailable"
	err := chromedp.Run(ctx, step("reply, and it fails",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		waitCount(`[data-testid="conversation-row"]`, 2),
		poll(`document.querySelector('#live-status').dataset.state === 'live'`),
		chromedp.Click(`#conversation-rows [data-testid="conversation-row"]:nth-child(2) a`),
		chromedp.WaitVisible(`#composer-text`),
		chromedp.SendKeys(`#composer-text`, "Yes, it arrives tomorrow.\r"),
		chromedp.Poll(`[...document.querySelectorAll('[data-testid="message"][data-direction="outbound"]')]
			.some(m => m.dataset.status === 'undelivered')`, nil, chromedp.WithPollingTimeout(20*time.Second)),
	))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("the toast names the contact and the reason",
		waitText(`#toasts`, "+1 415-555-0100"),
		waitText(`#toasts`, reason),
	))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("the thread says why beside the message",
		waitText(`[data-testid="message"][data-status="undelivered"] [data-testid="failure-reason"]`, reason),
	))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("the row is marked, and stays so after a reload",
		waitCount(`[data-testid="conversation-row"] [data-testid="reply-failed-marker"]`, 1),
		chromedp.Navigate(base+"/"),
		waitCount(`[data-testid="conversation-row"]`, 2),
		waitCount(`[data-testid="conversation-row"] [data-testid="reply-failed-marker"]`, 1),
		waitText(`[data-testid="conversation-row"]:has([data-testid="reply-failed-marker"]) [data-testid="conversation-number"]`, "+14155550100"),
	))
	if err != nil {
		t.Fatal(err)
	}
	// The live feed replays the last moments to a page just loaded; the
	// toast was said once in this tab. A text sent now arrives after the
	// replay, so once it shows, the replay is over.
	simulateText(t, env, "--text", "after the reload", "--from", "+14155550111")
	var toasts int
	err = chromedp.Run(ctx, step("the reload does not repeat the toast",
		waitText(`#conversation-rows`, "after the reload"),
		count(`#toasts [data-testid="toast"]`, &toasts),
	))
	if err != nil {
		t.Fatal(err)
	}
	if toasts != 0 {
		t.Fatalf("after a reload %d toasts show, want the failure's toast not repeated", toasts)
	}
	err = chromedp.Run(ctx, step("the Failed tab lists it alone",
		chromedp.Click(`[data-testid="filter-tab"][data-filter="failed"]`),
		waitCount(`[data-testid="conversation-row"]`, 1),
		waitText(`[data-testid="conversation-row"] [data-testid="conversation-number"]`, "+14155550100"),
		screenshot("failed-tab"),
	))
	if err != nil {
		t.Fatal(err)
	}
}

// A text arriving in the conversation an agent has open and in view does
// not make it unread: no badge on its row, no count in the title or the
// header, and the server keeps it read after a reload. Scrolled up in the
// thread, the agent is told a message arrived below.
func TestBrowserOpenThreadStaysRead(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const x = "+14155550100"
	for range 20 {
		simulateText(t, env, "--text", "a line of an earlier message\nthat takes\nroom", "--from", x)
	}
	err := chromedp.Run(ctx, step("open the thread",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		waitCount(`[data-testid="conversation-row"]`, 1),
		poll(`document.querySelector('#live-status').dataset.state === 'live'`),
		chromedp.Click(`[data-testid="conversation-row"] a`),
		chromedp.WaitVisible(`#composer-text`),
		waitCount(`[data-testid="conversation-row"] [data-testid="unread-badge"]`, 0),
	))
	if err != nil {
		t.Fatal(err)
	}
	simulateText(t, env, "--text", "one more thing", "--from", x)
	var badges int
	var title, navCount string
	err = chromedp.Run(ctx, step("the new text arrives in the open thread",
		waitText(`[data-testid="messages"]`, "one more thing"),
		waitText(`[data-testid="conversation-preview"]`, "one more thing"),
		count(`[data-testid="conversation-row"] [data-testid="unread-badge"]`, &badges),
		chromedp.Title(&title),
		chromedp.Evaluate(`document.querySelector('#nav-unread').dataset.count`, &navCount),
	))
	if err != nil {
		t.Fatal(err)
	}
	if badges != 0 || title != "Parley" || navCount != "0" {
		t.Fatalf("open thread after a new text: %d unread badges, title %q, header count %q; want 0, \"Parley\", \"0\"", badges, title, navCount)
	}
	err = chromedp.Run(ctx, step("read on the server too",
		chromedp.Navigate(base+"/"),
		waitCount(`[data-testid="conversation-row"]`, 1),
		count(`[data-testid="conversation-row"] [data-testid="unread-badge"]`, &badges),
		chromedp.Title(&title),
	))
	if err != nil {
		t.Fatal(err)
	}
	if badges != 0 || title != "Parley" {
		t.Fatalf("after a reload: %d unread badges, title %q; want 0 and \"Parley\"", badges, title)
	}

	var hidden bool
	err = chromedp.Run(ctx, step("scrolled up, a new text shows the pill",
		// A live update may have just replaced the row: click the one on
		// the page now, once htmx has processed it.
		clickFresh(`[data-testid="conversation-row"] a`),
		chromedp.WaitVisible(`#composer-text`),
		chromedp.Evaluate(`document.querySelector('#thread-scroll').scrollTop = 0`, nil),
		poll(`!document.querySelector('[data-testid="load-older"]') || `+htmxIdle),
		chromedp.Evaluate(`document.querySelector('#thread-scroll').scrollTop = 0`, nil),
		chromedp.ActionFunc(func(context.Context) error {
			simulateText(t, env, "--text", "and a last one", "--from", x)
			return nil
		}),
		waitText(`[data-testid="messages"]`, "and a last one"),
		poll(`!document.querySelector('[data-testid="new-messages-pill"]').hidden`),
		screenshot("new-messages-pill"),
		chromedp.Click(`[data-testid="new-messages-pill"]`),
		poll(`(function(s){ return s.scrollHeight - s.scrollTop - s.clientHeight < 5 })(document.querySelector('#thread-scroll'))`),
		poll(`document.querySelector('[data-testid="new-messages-pill"]').hidden`),
		chromedp.Evaluate(`document.querySelector('[data-testid="new-messages-pill"]').hidden`, &hidden),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !hidden {
		t.Fatal("the pill stays after scrolling to the bottom")
	}

	// The browser tells the page of a scroll at its next frame; a message
	// that lands before then still finds the agent scrolled up. Here both
	// happen in one task, so the scroll event cannot have come yet.
	var shown bool
	var top int
	err = chromedp.Run(ctx, step("a text landing before the scroll event still shows the pill",
		chromedp.Evaluate(`(function(){
			const s = document.querySelector('#thread-scroll')
			const list = s.querySelector('[data-testid="messages"]')
			const li = list.querySelector('[data-testid="message"]:last-of-type').cloneNode(true)
			li.id = 'message-999999'
			s.scrollTop = 0
			htmx.swap(document.querySelector('#live-sink'),
				'<div hx-swap-oob="beforeend:#' + list.id + '">' + li.outerHTML + '</div>', {swapStyle: 'none'})
		})()`, nil),
		chromedp.Evaluate(`!document.querySelector('[data-testid="new-messages-pill"]').hidden`, &shown),
		chromedp.Evaluate(`Math.round(document.querySelector('#thread-scroll').scrollTop)`, &top),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !shown || top != 0 {
		t.Fatalf("scrolled to the top as a text landed: pill shown %v, scrollTop %d; want the pill, and the view left at 0", shown, top)
	}
}

// clickFresh clicks the element sel matches once htmx is idle and has
// processed it, looking it up at the moment of the click: a live update
// can replace an element between a lookup and a click by node id.
func clickFresh(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := poll(`(() => { const e = document.querySelector(` + jsString(sel) + `); return !!e && !!e['htmx-internal-data'] && ` + htmxIdle + ` })()`).Do(ctx); err != nil {
			return err
		}
		var clicked bool
		if err := chromedp.Evaluate(`(() => { const e = document.querySelector(`+jsString(sel)+`); if (!e) return false; e.click(); return true })()`, &clicked).Do(ctx); err != nil {
			return err
		}
		if !clicked {
			return fmt.Errorf("click %s: gone", sel)
		}
		return nil
	})
}
