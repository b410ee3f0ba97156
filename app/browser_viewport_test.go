package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// emulateScreen hands the page back at its own size: the next action sees
// the real layout, not the emulated one. With a bare clear of the
// override, 18 of 30 such reads still saw the emulated screen.
func TestBrowserEmulateScreenGivesTheSizeBack(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	var own string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Navigate(base+"/settings/hours"),
		chromedp.WaitVisible(`[data-testid="hours-form"]`),
		chromedp.Evaluate(viewportSize, &own),
	); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		var after string
		if err := chromedp.Run(ctx,
			emulateScreen(1280, 1180, 1, false),
			chromedp.Evaluate(viewportSize, &after),
		); err != nil {
			t.Fatal(err)
		}
		if after != own {
			t.Fatalf("try %d: after the emulation the page is %s, want its own %s", i+1, after, own)
		}
	}
}
