package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// insideViewport is a script that answers which of the elements matching
// sel reach outside the window ("" when none do).
func insideViewport(sel string) string {
	return `[...document.querySelectorAll(` + jsString(sel) + `)].filter(e => e.getClientRects().length).map(e => {
		const r = e.getBoundingClientRect()
		const out = r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight
		return out ? (e.dataset.testid || e.tagName) + ' at ' + JSON.stringify([r.left, r.top, r.right, r.bottom]) + ' in ' + innerWidth + 'x' + innerHeight : ''
	}).filter(Boolean).join('; ')`
}

// openPhoneActions opens a phone's thread actions menu until want shows
// in it. The live feed may swap the header in while this runs (and close
// the menu), so it clicks again until it holds.
func openPhoneActions(want string) chromedp.Action {
	return tabPoll(`(() => {
		const b = document.querySelector('[data-testid="thread-actions-toggle"]')
		if (b && b.getAttribute('aria-expanded') !== 'true') b.click()
		const w = document.querySelector(` + jsString(want) + `)
		return !!w && w.getClientRects().length > 0
	})()`)
}

// The filter tabs all show in the list pane at laptop widths: none, not
// even the last ones, is cut off or scrolled out of sight.
func TestBrowserFilterTabsFit(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "hello", "--from", "+14155550100")
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
	); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int64{1024, 1280, 1440} {
		var cut string
		if err := chromedp.Run(ctx,
			emulation.SetDeviceMetricsOverride(w, 900, 1, false),
			chromedp.Navigate(base+"/conversations?filter=open"),
			chromedp.WaitVisible(`[data-testid="filter-tabs"]`),
			chromedp.Evaluate(`(() => {
				const nav = document.querySelector('[data-testid="filter-tabs"]').getBoundingClientRect()
				return [...document.querySelectorAll('[data-testid="filter-tab"]')].filter(a => {
					const r = a.getBoundingClientRect()
					return r.left < nav.left || r.right > nav.right
				}).map(a => a.textContent.trim() + ' ' + JSON.stringify(a.getBoundingClientRect()) + ' in ' + JSON.stringify(nav)).join('; ')
			})()`, &cut),
		); err != nil {
			t.Fatal(err)
		}
		if cut != "" {
			t.Errorf("at %dpx wide, tabs are cut off: %s", w, cut)
		}
	}
}

// The thread header on a phone: the contact's whole name shows (on up to
// two lines), the actions are labelled in a menu, and every menu it opens
// stays inside the screen.
func TestBrowserPhoneThreadHeader(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "Where is my parcel?", "--from", "+14155550100")
	const name = "Maria Fernanda Lopez-Garcia"
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		step("five labels", axeLabels(base, "Refund", "Wholesale enquiry", "VIP", "Delivery problem", "Spanish speaker")...),
		step("a long name",
			chromedp.Navigate(base+"/conversations/1"),
			chromedp.WaitVisible(`[data-testid="contact-panel"] summary`),
			chromedp.Click(`[data-testid="contact-panel"] summary`),
			chromedp.SendKeys(`[data-testid="contact-name"]`, name),
			chromedp.Click(`[data-testid="contact-save"]`),
			waitText(`[data-testid="thread-title"]`, name),
		),
	); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if err := chromedp.Run(ctx, step(fmt.Sprintf("label %d on", i),
			openMenu(`[data-testid="labels-button"]`),
			chromedp.Click(fmt.Sprintf(`[data-testid="label-option"][data-label-id="%d"]`, i)),
			waitCount(fmt.Sprintf(`[data-testid="thread-labels"] [data-testid="label-chip"][data-label-id="%d"]`, i), 1),
			closeMenus,
		)); err != nil {
			t.Fatal(err)
		}
	}

	var nameCut bool
	var headerHeight float64
	if err := chromedp.Run(ctx,
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Navigate(base+"/conversations/1"),
		chromedp.WaitVisible(`[data-testid="thread-header"]`),
		chromedp.Evaluate(`(() => {
			const e = document.querySelector('[data-testid="thread-title"]')
			return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1
		})()`, &nameCut),
		chromedp.Evaluate(`document.querySelector('[data-testid="thread-header"]').getBoundingClientRect().height`, &headerHeight),
		screenshot("thread-header-phone"),
	); err != nil {
		t.Fatal(err)
	}
	if nameCut {
		t.Errorf("at 390px the name %q is cut off", name)
	}
	// Five labels once took a quarter of the screen; folded, the header
	// is the name, the number and one row of labels.
	if headerHeight > 844/5 {
		t.Errorf("at 390px the thread header is %.0fpx tall, over a fifth of the screen", headerHeight)
	}

	// The actions: labelled, in one menu, and each menu inside the screen.
	var labels []string
	if err := chromedp.Run(ctx,
		chromedp.Click(`[data-testid="thread-actions-toggle"]`),
		chromedp.WaitVisible(`[data-testid="thread-actions-menu"]`),
		chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="thread-actions-menu"] :is(summary, button[type="submit"])')]
			.filter(e => e.getClientRects().length && e.offsetParent)
			.map(e => e.innerText.trim()).filter(Boolean)`, &labels),
	); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Snooze", "Close", "Assign"} {
		found := false
		for _, l := range labels {
			found = found || strings.Contains(l, want)
		}
		if !found {
			t.Errorf("the phone's actions menu has no visible %q: %q", want, labels)
		}
	}
	for _, menu := range []struct{ name, open, panel string }{
		{"actions", `[data-testid="thread-actions-toggle"]`, `[data-testid="thread-actions-menu"]`},
		{"assign", `[data-testid="assignee-button"]`, `[data-testid="assignee-menu"]`},
		{"snooze", `[data-testid="action-snooze"]`, `[data-testid="snooze-menu"] > div`},
		{"more", `[data-testid="thread-more"] > summary`, `[data-testid="thread-more"] > div`},
		{"labels", `[data-testid="labels-button"]`, `[data-testid="labels-menu"]`},
	} {
		var out string
		tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := chromedp.Run(tctx,
			closeMenus,
			chromedp.ActionFunc(func(c context.Context) error {
				if menu.name == "actions" || menu.name == "labels" {
					return nil
				}
				return chromedp.Click(`[data-testid="thread-actions-toggle"]`).Do(c)
			}),
			chromedp.Click(menu.open),
			chromedp.WaitVisible(menu.panel),
			chromedp.Evaluate(insideViewport(menu.panel), &out),
			chromedp.ActionFunc(func(c context.Context) error {
				if menu.name != "actions" {
					return nil
				}
				return screenshot("thread-phone-actions").Do(c)
			}),
		); err != nil {
			var state string
			_ = chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector('[data-testid="thread-actions-toggle"]')?.getAttribute('aria-expanded')`, &state))
			t.Fatalf("%s menu: %v (actions toggle aria-expanded=%s)", menu.name, err, state)
		}
		if out != "" {
			t.Errorf("at 390px the %s menu reaches outside the screen: %s", menu.name, out)
		}
	}
}
