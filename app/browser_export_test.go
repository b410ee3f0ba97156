package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/views"
)

// An admin downloads the inbox as CSV from the export screen; the file
// lands in the browser's downloads with a row per message.
func TestBrowserExport(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "first text", "--from", "+14155550100")
	simulateText(t, env, "--text", "second text", "--from", "+14155550101")
	downloads := t.TempDir()

	done := make(chan string, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*browser.EventDownloadProgress); ok && e.State == browser.DownloadProgressStateCompleted {
			select {
			case done <- e.GUID:
			default:
			}
		}
	})
	err := chromedp.Run(ctx,
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(downloads).WithEventsEnabled(true),
		step("sign in and open the export screen",
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`form[action="/auth/dev"] button`),
			chromedp.Click(`form[action="/auth/dev"] button`),
			chromedp.WaitVisible(`[data-testid="inbox"]`),
			chromedp.Click(`[data-testid="settings-menu"] summary`),
			chromedp.Click(`[data-testid="settings-menu"] a[href="/settings/export"]`),
			chromedp.WaitVisible(`[data-testid="export-form"]`),
			screenshot("export"),
		),
		step("download", chromedp.Click(`[data-testid="export-download"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("no download completed within 20 s")
	case <-ctx.Done():
		t.Fatal(context.Cause(ctx))
	}
	raw, err := os.ReadFile(filepath.Join(downloads, guid))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if err != nil {
		t.Fatalf("downloaded CSV does not parse: %v", err)
	}
	var texts []string
	for _, r := range rows[1:] {
		texts = append(texts, r[10])
	}
	if got := strings.Join(texts, "|"); !strings.Contains(got, "first text") || !strings.Contains(got, "second text") {
		t.Fatalf("downloaded CSV bodies %q, want both texts", got)
	}
	// The audit log says who exported what.
	if err := chromedp.Run(ctx, step("the export is in the audit log",
		chromedp.Navigate(base+views.AuditURL),
		waitText(`main`, "exported"),
		waitText(`main`, "all dates; 2 messages"),
	)); err != nil {
		t.Fatal(err)
	}
}
