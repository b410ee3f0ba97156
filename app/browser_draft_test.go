package main

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// pageProblems collects what a page reports as wrong while a test drives
// it: console errors, uncaught exceptions, and the browser's own error
// entries, which is where a Content-Security-Policy refusal appears.
type pageProblems struct {
	mu   sync.Mutex
	seen []string
}

// watchPage starts collecting the problems of the tab ctx drives.
func watchPage(ctx context.Context) *pageProblems {
	p := &pageProblems{}
	chromedp.ListenTarget(ctx, func(ev any) {
		var problem string
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			// A request htmx cancelled for a newer one is no problem;
			// watchConsole lets it pass for the same reason.
			if ev.Type != runtime.APITypeError || htmxCancelled(ev.Args) {
				return
			}
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value))
			}
			problem = "console.error: " + strings.Join(args, " ")
		case *runtime.EventExceptionThrown:
			problem = "exception: " + ev.ExceptionDetails.Error()
		case *log.EventEntryAdded:
			if ev.Entry.Level != log.LevelError {
				return
			}
			// A 422 is the inline answer to a text the server refused;
			// the browser logs every 4xx, so this one is expected.
			if ev.Entry.Source == log.SourceNetwork && strings.Contains(ev.Entry.Text, "status of 422") {
				return
			}
			problem = string(ev.Entry.Source) + ": " + ev.Entry.Text
		default:
			return
		}
		p.mu.Lock()
		p.seen = append(p.seen, problem)
		p.mu.Unlock()
	})
	return p
}

// check fails the test with every problem seen so far.
func (p *pageProblems) check(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.seen) > 0 {
		t.Errorf("the page reported problems:\n%s", strings.Join(p.seen, "\n"))
	}
}

// composerHolds is true when the reply box shows text and htmx is done.
func composerHolds(text string) chromedp.Action {
	return poll(`(document.querySelector('#composer-text')||{}).value === ` + jsString(text) + ` && ` + htmxIdle)
}

// fillComposer puts text in the reply box as a paste would.
func fillComposer(text string) chromedp.Action {
	return chromedp.Evaluate(`(() => {
		const box = document.querySelector('#composer-text')
		box.value = `+jsString(text)+`
		box.dispatchEvent(new Event('input', {bubbles: true}))
	})()`, nil)
}

// pressKey sends a shortcut's keydown to the focused element. CDP types a
// key's character as an event of its own, which a keydown handler cannot
// cancel, so chromedp.KeyEvent("r") would also type "r" into the box the
// shortcut focuses.
func pressKey(key string) chromedp.Action {
	return chromedp.Evaluate(`(document.activeElement || document.body).dispatchEvent(new KeyboardEvent('keydown', {key: `+jsString(key)+`, bubbles: true, cancelable: true}))`, nil)
}

// draftMarked is true when the row of number shows (or does not show)
// the "Draft" mark.
func draftMarked(number string, want bool) chromedp.Action {
	expr := `(() => {
		const row = [...document.querySelectorAll('[data-testid="conversation-row"]')]
			.find(r => r.querySelector('[data-testid="conversation-number"]').textContent === ` + jsString(number) + `)
		const mark = row && row.querySelector('[data-testid="draft-marker"]')
		return !!mark && mark.checkVisibility() && mark.textContent.includes('Draft')
	})()`
	if !want {
		expr = `!` + expr
	}
	return poll(expr)
}

// An agent's half-typed reply is kept per conversation: it is still in
// the box after opening another conversation and coming back, after a
// reload and after the tab crashed; the list marks its row "Draft"; a
// refused send keeps it, and only a send that went through clears it.
func TestBrowserDraftSurvives(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	// The browser starts after Parley so it closes before Parley shuts
	// down: cleanups run last-in, first-out.
	ctx := newBrowser(t)
	problems := watchPage(ctx)
	const x, y = "+14155550100", "+447911123456"
	simulateText(t, env, "--text", "Where is my parcel?", "--from", x)
	simulateText(t, env, "--text", "Can I change my booking?", "--from", y)

	err := chromedp.Run(ctx,
		step("sign in, open Y and start a reply",
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`form[action="/auth/dev"] button`),
			chromedp.Click(`form[action="/auth/dev"] button`),
			chromedp.WaitVisible(`[data-testid="inbox"]`),
			waitCount(`[data-testid="conversation-row"]`, 2),
			openRow(y),
			chromedp.SendKeys(`#composer-text`, "Yes, which day suits you"),
			waitText(`#composer-meter`, "136 characters left in this text"),
		),
		step("open X, its box is its own; back to Y, the reply is still there",
			openRow(x),
			composerHolds(""),
			openRow(y),
			composerHolds("Yes, which day suits you"),
			waitText(`#composer-meter`, "136 characters left in this text"),
		),
		step("Y's row says Draft, X's does not",
			draftMarked(y, true),
			draftMarked(x, false),
			screenshot("draft-row"),
		),
		step("reload: still there",
			chromedp.Reload(),
			chromedp.WaitVisible(`#composer-text`),
			composerHolds("Yes, which day suits you"),
			draftMarked(y, true),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	problems.check(t)

	// The tab crashes mid-sentence; a new tab finds the words typed last.
	// The new tab opens first: a browser whose tab just crashed is slow to
	// open another.
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Run(tab, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(ctx, step("type more, then the tab crashes",
		chromedp.SendKeys(`#composer-text`, "?"),
		composerHolds("Yes, which day suits you?"),
		chromedp.ActionFunc(func(ctx context.Context) error {
			// The renderer dies at once, so the command gets no answer.
			ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			_ = page.Crash().Do(cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Target))
			return nil
		}),
	))
	if err != nil {
		t.Fatal(err)
	}
	problems = watchPage(tab)
	err = chromedp.Run(tab,
		step("a new tab after the crash",
			// In front, so it gets the animation frames polls wait on.
			page.BringToFront(),
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`[data-testid="inbox"]`),
			draftMarked(y, true),
			openRow(y),
			composerHolds("Yes, which day suits you?"),
		),
		step("a send the server refuses keeps the draft",
			fillComposer(strings.Repeat("a", 1700)),
			chromedp.Click(`[data-testid="composer-send"]`),
			waitText(`#composer-error`, "too long"),
			chromedp.Reload(),
			chromedp.WaitVisible(`#composer-text`),
			composerHolds(strings.Repeat("a", 1700)),
			fillComposer("Yes, which day suits you?"),
		),
		step("send: the reply goes, the draft and the mark go with it",
			chromedp.SendKeys(`#composer-text`, "\r"),
			waitText(`[data-testid="messages"]`, "Yes, which day suits you?"),
			composerHolds(""),
			draftMarked(y, false),
			openRow(x),
			openRow(y),
			composerHolds(""),
			chromedp.Reload(),
			chromedp.WaitVisible(`#composer-text`),
			composerHolds(""),
			draftMarked(y, false),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	problems.check(t)
}

// Esc in the reply box hands the keyboard back to the thread, so the
// shortcuts work again, and the words typed stay.
func TestBrowserDraftEscLeavesComposer(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	problems := watchPage(ctx)
	simulateText(t, env, "--text", "Where is my parcel?", "--from", "+14155550100")

	var inThread bool
	var text string
	err := chromedp.Run(ctx,
		step("sign in and start a reply",
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`form[action="/auth/dev"] button`),
			chromedp.Click(`form[action="/auth/dev"] button`),
			chromedp.WaitVisible(`[data-testid="inbox"]`),
			openRow("+14155550100"),
			chromedp.SendKeys(`#composer-text`, "It left today"),
		),
		step("Esc leaves the box for the thread",
			chromedp.KeyEvent(kb.Escape),
			poll(`document.activeElement && document.activeElement.id !== 'composer-text'`),
			chromedp.Evaluate(`!!document.activeElement.closest('#thread')`, &inThread),
			chromedp.Value(`#composer-text`, &text),
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !inThread || text != "It left today" {
		t.Fatalf("after Esc focus in thread=%v, box=%q; want the thread focused and the text kept", inThread, text)
	}
	err = chromedp.Run(ctx, step("a shortcut works again: n opens the note box",
		pressKey("n"),
		poll(`document.activeElement && document.activeElement.id === 'note-text'`),
		chromedp.KeyEvent(kb.Escape),
		poll(`document.activeElement && document.activeElement.id !== 'note-text' && !!document.activeElement.closest('#thread')`),
		pressKey("r"),
		poll(`document.activeElement && document.activeElement.id === 'composer-text'`),
		composerHolds("It left today"),
	))
	if err != nil {
		t.Fatal(err)
	}
	problems.check(t)
}
