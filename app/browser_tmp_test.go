package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLeavesNoTempFolders starts and closes a browser as every
// browser test does, with a temp folder of its own: Chromium's
// org.chromium.Chromium.* folders must not stay behind in it.
func TestBrowserLeavesNoTempFolders(t *testing.T) {
	// Not t.TempDir: its long path would push Chromium's socket path past
	// the 107 bytes a Unix socket allows.
	tmp, err := os.MkdirTemp("", "pb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	t.Setenv("TMPDIR", tmp)
	t.Run("browse", func(t *testing.T) {
		var title string
		if err := chromedp.Run(newBrowser(t), chromedp.Navigate("about:blank"), chromedp.Title(&title)); err != nil {
			t.Fatal(err)
		}
	})
	var left []string
	left, err = filepath.Glob(filepath.Join(tmp, "org.chromium.Chromium.*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Fatalf("left in TMPDIR=%v, want nothing", left)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Fatalf("TMPDIR holds %d entries after the browser closed (first %s), want none", len(entries), entries[0].Name())
	}
}
