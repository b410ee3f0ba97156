package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// consoleWatch collects what a tab reports as an error: console.error
// calls, uncaught exceptions, and the browser's own log entries at error
// level, which is where Content-Security-Policy refusals and failed loads
// appear. A page that works logs none of these, so every browser test
// fails on any of them; a test that provokes one on purpose says which.
type consoleWatch struct {
	mu      sync.Mutex
	errors  []string
	allowed []string
}

func (w *consoleWatch) add(msg string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.errors = append(w.errors, msg)
}

// unexpected is every collected error no allowed fragment matches.
func (w *consoleWatch) unexpected() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
next:
	for _, e := range w.errors {
		for _, a := range w.allowed {
			if strings.Contains(e, a) {
				continue next
			}
		}
		out = append(out, e)
	}
	return out
}

// consoleWatches finds the watch of a browser context, so allowConsole can
// reach it from a test.
var consoleWatches sync.Map // *chromedp.Context -> *consoleWatch

// watchConsole listens to ctx's tab and, at cleanup, fails t with every
// error it saw. Call it before the tab's first Run.
func watchConsole(t *testing.T, ctx context.Context) {
	t.Helper()
	w := &consoleWatch{}
	consoleWatches.Store(chromedp.FromContext(ctx), w)
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if (ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert) && !htmxCancelled(ev.Args) {
				var parts []string
				for _, a := range ev.Args {
					if a.Value != nil {
						parts = append(parts, string(a.Value))
					} else {
						parts = append(parts, a.Description)
					}
				}
				w.add("console." + string(ev.Type) + ": " + strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			w.add(fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.LevelError {
				w.add(fmt.Sprintf("log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	t.Cleanup(func() {
		consoleWatches.Delete(chromedp.FromContext(ctx))
		for _, e := range w.unexpected() {
			t.Errorf("browser console: %s", e)
		}
	})
}

// allowConsole lets ctx's tab log errors containing fragment: for a test
// that breaks something on purpose (a server stopped under the page).
func allowConsole(ctx context.Context, fragment string) {
	if w, ok := consoleWatches.Load(chromedp.FromContext(ctx)); ok {
		w := w.(*consoleWatch)
		w.mu.Lock()
		defer w.mu.Unlock()
		w.allowed = append(w.allowed, fragment)
	}
}

// htmxCancelled is true for htmx's report of a request it cancelled: a
// newer one replaced it (hx-sync) or the page navigated away. htmx logs
// each with console.error ("htmx:sendAbort", and the "htmx:afterRequest"
// that goes with it), but nothing failed. A failed request is still
// caught: htmx logs it as htmx:sendError, htmx:timeout or
// htmx:responseError.
func htmxCancelled(args []*runtime.RemoteObject) bool {
	if len(args) == 0 || args[0].Value == nil {
		return false
	}
	var msg string
	if json.Unmarshal(args[0].Value, &msg) != nil {
		return false
	}
	return strings.HasPrefix(msg, "htmx:sendAbort") || strings.HasPrefix(msg, "htmx:afterRequest")
}

// The watch itself: an inline style, which the Content-Security-Policy
// refuses (as htmx's own indicator style was), is reported, and so are a
// console.error and an uncaught exception.
func TestBrowserConsoleWatchCatchesCSP(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`form[action="/auth/dev"] button`),
	); err != nil {
		t.Fatal(err)
	}
	w, _ := consoleWatches.Load(chromedp.FromContext(ctx))
	watch := w.(*consoleWatch)
	if got := watch.unexpected(); len(got) != 0 {
		t.Fatalf("the sign-in page logs errors: %q", got)
	}
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`document.head.appendChild(Object.assign(document.createElement('style'), {textContent: 'b { color: red }'})); 0`, nil),
		chromedp.Evaluate(`console.error('boom'); setTimeout(() => { throw new Error('thrown') }); 0`, nil),
		chromedp.Poll(`new Promise(r => setTimeout(() => r(true), 100))`, nil, chromedp.WithPollingTimeout(5*time.Second)),
	); err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 50 {
		if got = watch.unexpected(); len(got) >= 3 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, want := range []string{"style-src", "boom", "thrown"} {
		found := false
		for _, g := range got {
			found = found || strings.Contains(g, want)
		}
		if !found {
			t.Errorf("the watch did not report %q; it has %q", want, got)
		}
	}
	for _, want := range []string{"style-src", "console.error", "thrown"} {
		allowConsole(ctx, want)
	}
}
