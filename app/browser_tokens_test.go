package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// API tokens end to end: the local admin opens Settings → API tokens from
// the user menu, makes a token, reads its secret once, uses it on the
// API, finds it gone from the screen after a reload, and revokes it.
func TestBrowserAPITokens(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	// A refused form is answered 422 with the form and its reason, on purpose.
	allowConsole(ctx, "status of 422")
	simulateText(t, env, "--text", "Where is my order?", "--from", "+14155550100")

	var secret string
	err := chromedp.Run(ctx, step("make a token",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Click(`[data-testid="user-menu"] summary`),
		chromedp.Click(`[data-testid="api-tokens-link"]`),
		chromedp.WaitVisible(`[data-testid="api-tokens-empty"]`),
		chromedp.SendKeys(`#api-token-name`, "Helpdesk sync"),
		// No scope chosen: the form says so and makes nothing.
		chromedp.Click(`[data-testid="api-token-create"]`),
		tabText(`[data-testid="api-token-error"]`, "choose at least one scope"),
		chromedp.Click(`[data-testid="api-token-scope-read"]`),
		chromedp.Click(`[data-testid="api-token-create"]`),
		chromedp.WaitVisible(`[data-testid="api-token-secret"]`),
		chromedp.Value(`[data-testid="api-token-secret"]`, &secret),
		tabCount(`[data-testid="api-token-row"]`, 1),
		screenshot("api-tokens"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "parley_") {
		t.Fatalf("secret %q", secret)
	}
	if got := apiStatus(t, base+"/api/v1/conversations", secret); got != http.StatusOK {
		t.Fatalf("the new token on the API: %d", got)
	}

	var html string
	err = chromedp.Run(ctx, step("shown once, then revoked",
		chromedp.Reload(),
		tabCount(`[data-testid="api-token-row"]`, 1),
		chromedp.OuterHTML(`body`, &html),
		chromedp.Evaluate(`window.confirm = () => true`, nil),
		chromedp.Click(`[data-testid="api-token-revoke"]`),
		tabText(`[data-testid="api-token-state"]`, "Revoked"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, secret) {
		t.Error("the screen shows the secret again after a reload")
	}
	if got := apiStatus(t, base+"/api/v1/conversations", secret); got != http.StatusUnauthorized {
		t.Fatalf("the revoked token on the API: %d", got)
	}
}

func apiStatus(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
