package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Settings → Plivo end to end against development's simulated account: the
// screen shows the account and where each number's texts go; the preview
// lists exactly the changes; Connect makes them, the picked number turns
// "sending to this Parley" and becomes an inbox while the number on
// another application stays there; a test text's thread ticks to
// delivered as the reports arrive.
func TestBrowserPlivoConnect(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	// The refused test phone answers 422 with the form, on purpose.
	allowConsole(ctx, "status of 422 (Unprocessable Entity) "+base+"/settings/plivo/test")
	simulateText(t, env, "--text", "Hi there", "--from", "+14155550100")
	const here, other = `[data-number="+14155550199"]`, `[data-number="+18445550111"]`
	route := func(row, want string) chromedp.Action {
		return tabPoll(`document.querySelector('[data-testid="plivo-number"]` + row + `')?.dataset.route === ` + jsString(want) + ` && ` + htmxIdle)
	}
	err := chromedp.Run(ctx, step("load the screen",
		emulation.SetDeviceMetricsOverride(1280, 800, 1, false),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Navigate(base+"/settings/plivo"),
		tabText(`[data-testid="plivo-account-name"]`, "Parley Test Account"),
		tabText(`[data-testid="plivo-account-balance"]`, "$4.88860"),
		tabText(`[data-testid="plivo-account-kind"]`, "Main account"),
		tabCount(`[data-testid="plivo-number"]`, 2),
		route(here, "no_url"),
		route(other, "elsewhere"),
		tabText(`[data-testid="plivo-number"]`+other, "Old-helpdesk"),
		tabPoll(`/(ago|just now)$/.test(document.querySelector('[data-testid="plivo-health-row"][data-number="+14155550199"] [data-testid="plivo-last-inbound"]')?.textContent)`),
		tabText(`[data-testid="plivo-health-row"][data-number="+14155550199"] [data-testid="plivo-last-report"]`, "never"),
		screenshot("plivo"),
	), step("preview",
		chromedp.Click(`[data-testid="plivo-number"]`+here+` [data-testid="plivo-pick"]`),
		chromedp.SetValue(`[data-testid="plivo-number"]`+here+` [data-testid="plivo-name"]`, "Support"),
		chromedp.Click(`[data-testid="plivo-preview"]`),
		chromedp.WaitVisible(`[data-testid="plivo-plan"]`),
		tabCount(`[data-testid="plivo-plan-change"]`, 2),
		tabText(`[data-testid="plivo-plan-changes"]`, "Create the Plivo application Parley-127-0-0-1-"),
		tabText(`[data-testid="plivo-plan-changes"]`, "Link +1 415-555-0199 to Parley (was: none)"),
		tabText(`[data-testid="plivo-plan-changes"]`, "becomes the inbox Support"),
		// The preview changed nothing.
		route(here, "no_url"),
		screenshot("plivo-preview"),
	), step("connect",
		chromedp.Click(`[data-testid="plivo-connect"]`),
		chromedp.WaitVisible(`[data-testid="plivo-done"]`),
		tabText(`[data-testid="plivo-done"]`, "2 change(s) made on Plivo"),
		route(here, "here"),
		route(other, "elsewhere"),
		tabText(`[data-testid="plivo-health-row"][data-number="+14155550199"]`, "Support"),
		tabPoll(`document.querySelector('[data-testid="plivo-number"]`+here+` [data-testid="plivo-name"]').value === "Support"`),
		tabCount(`[data-testid="plivo-url-mismatch"]`, 0),
		screenshot("plivo-connected"),
	), step("connect again changes nothing",
		chromedp.Click(`[data-testid="plivo-number"]`+here+` [data-testid="plivo-pick"]`),
		chromedp.Click(`[data-testid="plivo-preview"]`),
		chromedp.WaitVisible(`[data-testid="plivo-plan-nothing"]`),
		tabCount(`[data-testid="plivo-plan-change"]`, 0),
	), step("on a phone",
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Navigate(base+"/settings/plivo"),
		tabCount(`[data-testid="plivo-number"]`, 2),
		tabPoll(`document.documentElement.scrollWidth <= 390`),
		screenshot("plivo-phone"),
		emulation.SetDeviceMetricsOverride(1280, 800, 1, false),
	), step("refuse a bad test phone",
		chromedp.Navigate(base+"/settings/plivo"),
		chromedp.SendKeys(`[data-testid="plivo-test-to"]`, "12"),
		chromedp.Click(`[data-testid="plivo-test-send"]`),
		chromedp.WaitVisible(`[data-testid="plivo-test-error"]`),
	), step("send a test text and watch it delivered",
		chromedp.SetValue(`[data-testid="plivo-test-to"]`, "+14155550123"),
		chromedp.Click(`[data-testid="plivo-test-send"]`),
		chromedp.WaitVisible(`[data-testid="messages"]`),
		chromedp.Poll(`(() => {
			const m = [...document.querySelectorAll('[data-testid="message"][data-direction="outbound"]')]
			return m.length === 1 && m[0].textContent.includes('Parley test text') && m[0].dataset.status === 'delivered'
		})()`, nil, chromedp.WithPollingTimeout(20*time.Second)),
	), step("the health shows its delivery report",
		chromedp.Navigate(base+"/settings/plivo"),
		tabText(`[data-testid="plivo-health-row"][data-number="+14155550199"] [data-testid="plivo-last-report"]`, "delivered"),
	))
	if err != nil {
		t.Fatal(err)
	}
}
