package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// rowFits is true when every list row keeps its chips inside the row on
// one line and shows its whole number.
const rowFits = `[...document.querySelectorAll('[data-testid="conversation-row"]')].every(row => {
	const r = row.getBoundingClientRect();
	const n = row.querySelector('[data-testid="conversation-number"]');
	return n.scrollWidth <= n.clientWidth &&
		[...row.querySelectorAll('[data-testid="label-chip"], [data-testid="label-more"]')].every(c => {
			const b = c.getBoundingClientRect();
			return b.right <= r.right + 0.5 && b.height <= 20;
		});
})`

// Long label names on a row end in an ellipsis on laptop and phone: no
// chip wraps or spills past the pane, the number stays whole, the third
// label folds into "+1", and the preview says the answer to HELP was
// automatic.
func TestBrowserRowChipsFit(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const a = "+14155550100"
	simulateText(t, env, "--text", "HELP", "--from", a)
	names := []string{"Wholesale enquiry, north depot", "Refund pending finance approval", "VIP"} // 32 runes at most

	actions := []chromedp.Action{
		chromedp.Navigate(base + "/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Navigate(base + "/settings/labels"),
	}
	for i, name := range names {
		actions = append(actions,
			chromedp.SendKeys(`#label-name-0`, name),
			chromedp.Click(`[data-testid="label-save"]`),
			tabCount(`[data-testid="label-row"]`, i+1),
		)
	}
	actions = append(actions, chromedp.Navigate(base+"/"), tabCount(`[data-testid="conversation-row"]`, 1), openRow(a))
	for _, name := range names {
		actions = append(actions,
			chromedp.Click(`[data-testid="labels-button"]`),
			chromedp.WaitVisible(`[data-testid="labels-menu"]`),
			chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="label-option"]')].find(b => b.textContent.includes(`+jsString(name)+`)).click()`, nil),
			tabText(`[data-testid="thread-labels"]`, name),
		)
	}
	if err := chromedp.Run(ctx, step("label a conversation three times", actions...)); err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
		name          string
		width, height int64
		scale         float64
		mobile        bool
		path          string
	}{
		{"rows-laptop", 1440, 900, 1, false, "/"},
		{"rows-phone", 390, 844, 3, true, "/conversations?filter=all"},
	} {
		err := chromedp.Run(ctx, step(v.name,
			emulation.SetDeviceMetricsOverride(v.width, v.height, v.scale, v.mobile),
			chromedp.Navigate(base+v.path),
			tabCount(`[data-testid="conversation-row"] [data-testid="label-chip"]`, 2),
			tabText(`[data-testid="label-more"]`, "+1"),
			tabText(`[data-testid="conversation-preview"]`, "Auto-reply:"),
			tabPoll(rowFits),
			screenshot(v.name),
		))
		if err != nil {
			t.Fatal(err)
		}
	}
}
