package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// searchFor replaces what the search box holds with text, as typed.
func searchFor(text string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Evaluate(`document.querySelector('#search').value = ''`, nil),
		chromedp.SendKeys(`#search`, text),
	}
}

// An agent finds customers by the name the team gave them, accents or
// not, in whichever tab they are; the tabs count the matches; each row
// shows what matched, highlighted, and a text's own markup shows as text.
func TestBrowserSearchFindsPeople(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	const whitfield, muller, other = "+14155550142", "+4915112345678", "+14155550100"
	simulateText(t, env, "--text", "Is my parcel coming? <b>soon</b>", "--from", whitfield)
	simulateText(t, env, "--text", "Wo ist mein Paket", "--from", muller)
	simulateText(t, env, "--text", "refund please", "--from", other)

	name := func(number, who, notes string) chromedp.Action {
		return step("name "+number+" "+who,
			openRow(number),
			chromedp.Click(`[data-testid="contact-panel"] summary`),
			chromedp.WaitVisible(`[data-testid="contact-name"]`),
			chromedp.SendKeys(`[data-testid="contact-name"]`, who),
			chromedp.SendKeys(`[data-testid="contact-notes"]`, notes),
			chromedp.Click(`[data-testid="contact-save"]`),
			tabText(`[data-testid="thread-title"]`, who),
		)
	}
	err := chromedp.Run(ctx, step("sign in and name two customers, closing one",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabCount(`[data-testid="conversation-row"]`, 3),
		tabText(`[data-testid="filter-tab"][data-filter="open"] [data-testid="tab-count"]`, "3"),
		name(whitfield, "Dana Whitfield", ""),
		name(muller, "Jürgen Müller", "Prefers Thursday deliveries"),
		chromedp.Click(`[data-testid="action-close"]`),
		// Closing moves on to the next conversation; Müller's leaves Open.
		openThreadIs("1"),
		tabCount(`#conversation-2`, 0),
	))
	if err != nil {
		var dbg string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`location.href + ' ' + document.querySelector('[aria-current=page][data-testid=filter-tab]')?.dataset.filter + ' ' + [...document.querySelectorAll('[data-testid="conversation-row"]')].map(r => r.dataset.status + ':' + r.textContent.replace(/\s+/g, ' ')).join(' | ')`, &dbg))
		t.Fatal(err, dbg)
	}

	for _, search := range []string{"Whitfield", "whitf"} {
		err = chromedp.Run(ctx, step("search for "+search,
			searchFor(search),
			tabCount(`[data-testid="conversation-row"]`, 1),
			tabText(`[data-testid="conversation-title"] [data-testid="search-mark"]`, "Whitfield"),
			tabText(`[data-testid="filter-tab"][aria-current="page"]`, "All"),
		))
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, search := range []string{"Müller", "müller", "muller"} {
		err = chromedp.Run(ctx, step("search for "+search+" finds the closed conversation",
			searchFor(search),
			tabCount(`[data-testid="conversation-row"]`, 1),
			tabText(`[data-testid="conversation-title"] [data-testid="search-mark"]`, "Müller"),
			tabCount(`[data-testid="conversation-row"] [data-testid="closed-marker"]`, 1),
			tabText(`[data-testid="filter-tab"][data-filter="closed"] [data-testid="tab-count"]`, "1"),
			tabText(`[data-testid="filter-tab"][data-filter="open"] [data-testid="tab-count"]`, "0"),
			tabText(`[data-testid="filter-tab"][data-filter="all"] [data-testid="tab-count"]`, "1"),
			tabText(`[data-testid="search-summary"]`, "Closed 1"),
		))
		if err != nil {
			t.Fatal(err)
		}
	}
	err = chromedp.Run(ctx, step("a note and a text show as excerpts, highlighted and escaped",
		searchFor("thursday"),
		tabCount(`[data-testid="conversation-row"]`, 1),
		tabText(`[data-testid="search-excerpt"][data-source="contact_notes"] [data-testid="search-mark"]`, "Thursday"),
		searchFor("parcel"),
		tabCount(`[data-testid="conversation-row"]`, 1),
		tabText(`[data-testid="search-excerpt"] [data-testid="search-mark"]`, "parcel"),
		tabText(`[data-testid="search-excerpt"]`, "<b>soon</b>"),
		tabCount(`[data-testid="search-excerpt"] b`, 0),
		tabText(`[data-testid="conversation-row"] [data-testid="open-marker"]`, "Open"),
		searchFor("555 0142"),
		tabCount(`[data-testid="conversation-row"]`, 1),
		tabText(`[data-testid="conversation-number"] [data-testid="search-mark"]`, "5550142"),
		searchFor("e"),
		tabCount(`[data-testid="conversation-row"]`, 0),
	))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("results narrow to a tab, and the counts stay",
		searchFor("refund parcel"),
		tabCount(`[data-testid="conversation-row"]`, 0),
		searchFor("please"),
		tabCount(`[data-testid="conversation-row"]`, 1),
		chromedp.Click(`[data-testid="filter-tab"][data-filter="closed"]`),
		tabCount(`[data-testid="conversation-row"]`, 0),
		tabText(`[data-testid="filter-tab"][data-filter="open"] [data-testid="tab-count"]`, "1"),
		searchFor("wo ist"),
		tabCount(`[data-testid="conversation-row"]`, 1),
		chromedp.EmulateViewport(1280, 800),
		screenshot("search"),
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		screenshot("search-phone"),
		emulation.ClearDeviceMetricsOverride(),
	))
	if err != nil {
		t.Fatal(err)
	}
}
