package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Settings → Sending end to end: an admin queues eight replies on a long
// code (paced at 1 a second by default), opens the screen from the
// Settings menu, and watches the queue drain as the screen refreshes
// itself.
func TestBrowserSendingQueue(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "Where is my order?", "--from", "+14155550100")

	err := chromedp.Run(ctx, step("queue eight replies and open Settings → Sending",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Evaluate(`(async () => {
			const token = document.querySelector('meta[name="csrf-token"]').content;
			for (let i = 1; i <= 8; i++) {
				const r = await fetch('/api/sms/send', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
					body: JSON.stringify({to: '+14155550100', text: 'Reply ' + i})});
				if (r.status !== 202 && r.status !== 200 && r.status !== 201) throw new Error('send ' + i + ': ' + r.status);
			}
		})()`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.Click(`[data-testid="settings-menu"] summary`),
		chromedp.Click(`a[href="/settings/sending"]`),
		chromedp.WaitVisible(`[data-testid="sending-queues"]`),
		tabText(`[data-testid="sending-number"][data-number="+14155550199"] [data-testid="sending-rate"]`, "1 per second"),
		tabPoll(`Number(document.querySelector('[data-testid="sending-number"][data-number="+14155550199"] [data-testid="sending-queued"]').textContent) > 0`),
		screenshot("sending"),
	))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("watch the queue drain without a reload",
		chromedp.Evaluate(`window.notReloaded = true`, nil),
		// The pace empties the queue in about 8 s; the screen refreshes
		// every 5 s.
		chromedp.Poll(`document.querySelector('[data-testid="sending-number"][data-number="+14155550199"] [data-testid="sending-queued"]').textContent.trim() === '0'`,
			nil, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)),
		tabPoll(`window.notReloaded === true`),
	))
	if err != nil {
		t.Fatal(err)
	}
}
