package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// What app.js does at page load may move out of the way of the first
// paint (into idle time, behind a shared formatter), but it must still
// happen: every <time> gets its full local date as a tooltip, and drafts
// untouched for a month are forgotten while newer ones stay.
func TestBrowserLoadWorkStillDone(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	problems := watchPage(ctx)
	const x = "+14155550100"
	simulateText(t, env, "--text", "Where is my parcel?", "--from", x)

	const day = 24 * 60 * 60 * 1000
	seedDrafts := `(() => {
		localStorage.setItem('parley:draft:1:998', JSON.stringify({ text: 'old', at: Date.now() - 31 * ` + itoa(day) + ` }))
		localStorage.setItem('parley:draft:1:999', JSON.stringify({ text: 'new', at: Date.now() - ` + itoa(day) + ` }))
		return true
	})()`
	tooltips := `(() => {
		const times = [...document.querySelectorAll('time[datetime]')]
		return times.length > 0 && times.every(el =>
			el.title === new Date(el.getAttribute('datetime')).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' }))
	})()`
	err := chromedp.Run(ctx,
		step("sign in and open the thread",
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`form[action="/auth/dev"] button`),
			chromedp.Click(`form[action="/auth/dev"] button`),
			chromedp.WaitVisible(`[data-testid="inbox"]`),
			waitCount(`[data-testid="conversation-row"]`, 1),
			openRow(x),
		),
		step("a month-old draft and a day-old one, then a reload",
			chromedp.Evaluate(seedDrafts, nil),
			chromedp.Reload(),
			chromedp.WaitVisible(`#composer-text`),
		),
		step("the old draft goes, the new one stays",
			poll(`localStorage.getItem('parley:draft:1:998') === null`),
			poll(`localStorage.getItem('parley:draft:1:999') !== null`),
		),
		step("every time in the list and the thread has its full date as a tooltip",
			poll(`document.querySelectorAll('#thread time[datetime]').length > 0 && document.querySelectorAll('#conversation-list time[datetime]').length > 0`),
			poll(tooltips),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	problems.check(t)
}
