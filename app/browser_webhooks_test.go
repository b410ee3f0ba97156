package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/app/inbox"
)

// Outgoing webhooks end to end: an admin adds an endpoint in Settings and
// copies the secret shown once; a text reaches the receiver, verified by
// the official Standard Webhooks library; the endpoint's log shows the
// delivery, and Send again delivers it once more under the same id.
func TestBrowserWebhooks(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	var secret string
	srv, got, _ := verifyingReceiver(t, &secret)

	err := chromedp.Run(ctx, step("add an endpoint",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Navigate(base+"/settings/webhooks"),
		chromedp.WaitVisible(`[data-testid="webhooks-empty"]`),
		chromedp.SendKeys(`#webhook-url-0`, srv.URL+"/parley"),
		chromedp.Click(`#webhooks form[action="/settings/webhooks"] [data-testid="webhook-event"][value="message.received"]`),
		chromedp.Click(`[data-testid="webhook-save"]`),
		chromedp.WaitVisible(`[data-testid="webhook-secret-value"]`),
		chromedp.Text(`[data-testid="webhook-secret-value"]`, &secret),
		tabCount(`[data-testid="webhook-row"]`, 1),
		screenshot("webhooks"),
	))
	if err != nil {
		t.Fatal(err)
	}
	simulateText(t, env, "--text", "Is my order ready?", "--from", "+14155550100")
	wait := func() inbox.WebhookPayload {
		t.Helper()
		select {
		case p := <-got:
			return p
		case <-time.After(15 * time.Second):
			t.Fatal("no webhook arrived within 15 s")
		}
		return inbox.WebhookPayload{}
	}
	if p := wait(); p.Type != inbox.WebhookMessageReceived || webhookText(t, p) != "Is my order ready?" {
		t.Fatalf("received %+v, want the text", p)
	}
	err = chromedp.Run(ctx, step("the log and Send again",
		chromedp.Click(`[data-testid="webhook-log-link"]`),
		chromedp.WaitVisible(`[data-testid="webhook-delivery"][data-state="delivered"]`),
		screenshot("webhook-log"),
		chromedp.Click(`[data-testid="webhook-resend"]`),
		tabCount(`[data-testid="webhook-delivery"]`, 2),
	))
	if err != nil {
		t.Fatal(err)
	}
	if p := wait(); webhookText(t, p) != "Is my order ready?" {
		t.Fatalf("sent again %+v, want the same text", p)
	}
}
