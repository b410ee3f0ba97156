package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/app/auth/authtest"
)

// signInAs starts a browser of its own (its own profile and cookies) and
// signs in through GitHub, played by fake, as account.
func signInAs(t *testing.T, base string, fake *authtest.Provider, account authtest.Account) context.Context {
	t.Helper()
	ctx := newBrowser(t)
	// The fake provider's avatar host does not resolve on a closed network.
	allowConsole(ctx, "avatars.example.com")
	fake.SignInAs(account)
	if err := chromedp.Run(ctx, step("sign in as "+account.Email,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`a[href^="/auth/github"]`),
		chromedp.Click(`a[href^="/auth/github"]`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
	)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// Internal notes between two people, each in a browser of their own: the
// admin writes a note naming Ana; it shows in the thread as a note, not a
// text; Ana's mentions badge counts it at once; her mentions screen lists
// it; opening it clears the badge; her answer reaches the admin's thread
// live.
func TestBrowserTeamNotes(t *testing.T) {
	fake := authtest.New(t)
	env := map[string]string{
		"DATABASE_URL":          filepath.Join(t.TempDir(), "parley.db"),
		"GITHUB_CLIENT_ID":      fake.ClientID,
		"GITHUB_CLIENT_SECRET":  fake.ClientSecret,
		"GITHUB_BASE_URL":       fake.URL,
		"ALLOWED_EMAIL_DOMAINS": "team.example.com",
	}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "I was charged twice for my order", "--from", "+14155550100")
	ana := signInAs(t, base, fake, authtest.Account{Email: "ana@team.example.com", EmailVerified: true, Name: "Ana Ruiz"})

	var texts int
	err := chromedp.Run(ctx, step("the admin writes a note naming Ana",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		tabCount(`[data-testid="conversation-row"]`, 1),
		chromedp.Click(`[data-testid="conversation-row"] a`),
		chromedp.WaitVisible(`#composer-text`),
		count(`[data-testid="message"]`, &texts),
		chromedp.Click(`[data-testid="compose-note-tab"]`),
		chromedp.WaitVisible(`#note-text`),
		tabPoll(`document.activeElement.id === 'note-text'`),
		chromedp.SendKeys(`#note-text`, "@ana can you check the refund? They paid twice.\r"),
		tabCount(`[data-testid="note"]`, 1),
		tabText(`[data-testid="note-mention"]`, "@ana"),
		tabPoll(`document.querySelector('#note-text').value === ''`),
		screenshot("note"),
	))
	if err != nil {
		t.Fatal(err)
	}
	var textsAfter int
	if err := chromedp.Run(ctx, count(`[data-testid="message"]`, &textsAfter)); err != nil || textsAfter != texts {
		t.Fatalf("messages after the note=%d (err %v), want %d: a note is not a text", textsAfter, err, texts)
	}

	err = chromedp.Run(ana, step("Ana is told at once and finds the note",
		tabText(`[data-testid="mentions-count"]`, "1"),
		chromedp.Click(`#nav-mentions`),
		chromedp.WaitVisible(`[data-testid="mentions"]`),
		tabCount(`[data-testid="mention"][data-unread="true"]`, 1),
		tabText(`[data-testid="mention-body"]`, "can you check the refund?"),
		screenshot("mentions"),
		chromedp.Click(`[data-testid="mention"] a`),
		chromedp.WaitVisible(`[data-testid="thread"]`),
		tabText(`[data-testid="note-author"]`, "Local admin"),
		tabCount(`[data-testid="mentions-count"]`, 0),
		tabPoll(`document.querySelector('#nav-mentions').dataset.count === '0'`),
		tabPoll(`document.querySelector('#live-status').dataset.state === 'live'`),
		chromedp.Evaluate(`document.activeElement.blur()`, nil),
		// The key itself, not CDP's typing: CDP sends the character as an
		// event of its own, which a shortcut cannot cancel.
		chromedp.Evaluate(`document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'n', bubbles: true, cancelable: true}))`, nil),
		tabPoll(`document.activeElement.id === 'note-text' && document.activeElement.value === ''`),
		chromedp.SendKeys(`#note-text`, "Refunded the second charge.\r"),
		tabCount(`[data-testid="note"]`, 2),
	))
	if err != nil {
		t.Fatal(err)
	}
	var fits bool
	if err := chromedp.Run(ctx, step("Ana's note reaches the admin's open thread",
		tabCount(`[data-testid="note"]`, 2),
		tabText(`#messages-1`, "Refunded the second charge."),
	), step("notes on a phone",
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Navigate(base+"/conversations/1"),
		tabCount(`[data-testid="note"]`, 2),
		chromedp.Click(`[data-testid="compose-note-tab"]`),
		chromedp.WaitVisible(`#note-text`),
		chromedp.Evaluate(`document.documentElement.scrollWidth <= 390`, &fits),
		screenshot("note-phone"),
	)); err != nil {
		t.Fatal(err)
	}
	if !fits {
		t.Fatal("on a phone the thread with notes is wider than the screen")
	}
}
