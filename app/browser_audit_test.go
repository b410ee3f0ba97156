package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// The audit log end to end: an admin invites someone, makes them an
// admin, opts a contact out by hand, and finds each on the audit screen,
// reached from Users.
func TestBrowserTeamAudit(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "Please stop texting me", "--from", "+14155550100")

	err := chromedp.Run(ctx, step("do things worth recording",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Navigate(base+"/conversations/1"),
		tabText(`[data-testid="thread-title"]`, "+1 415-555-0100"),
		tabPoll(`!!window.htmx && document.querySelector('#live-status').dataset.state === 'live'`),
		chromedp.Evaluate(`window.confirm = () => true`, nil),
		tabCount(`[data-testid="thread-more"]`, 1),
		chromedp.Click(`[data-testid="thread-more"] summary`),
		chromedp.WaitVisible(`[data-testid="action-opt-out"]`),
		chromedp.Click(`[data-testid="action-opt-out"]`),
		tabPoll(`!!document.querySelector('[data-testid="action-opt-in"]')`),
		chromedp.Navigate(base+"/settings/users"),
		chromedp.WaitVisible(`#invite-email`),
		chromedp.SendKeys(`#invite-email`, "sam@example.com"),
		chromedp.Click(`[data-testid="invite"] button[type="submit"]`),
		tabCount(`[data-testid="user-row"]`, 2),
		chromedp.SetValue(`#user-2 [data-testid="user-role"]`, "admin"),
		chromedp.Evaluate(`document.querySelector('#user-2 [data-testid="user-role"]').dispatchEvent(new Event('change', {bubbles: true}))`, nil),
		tabPoll(`document.querySelector('#user-2 [data-testid="user-role"]').value === 'admin'`),
	))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("read them in the audit log",
		chromedp.Navigate(base+"/settings/users"),
		chromedp.Click(`[data-testid="audit-link"]`),
		chromedp.WaitVisible(`[data-testid="audit-log"]`),
		tabPoll(`[...document.querySelectorAll('[data-testid="audit-entry"]')].map(e => e.dataset.action).join(' ') === 'role_changed user_invited opt_out_by_agent sign_in'`),
		tabText(`[data-testid="audit-entry"][data-action="role_changed"]`, "agent → admin"),
		tabText(`[data-testid="audit-entry"][data-action="opt_out_by_agent"]`, "+14155550100"),
		screenshot("audit"),
	))
	if err != nil {
		t.Fatal(err)
	}
}
