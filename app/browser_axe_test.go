package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core from node_modules (package.json pins it; npm ci
// installs it, in CI too). Where the browser tests must run, a missing
// copy fails the test rather than skipping the accessibility check.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("PARLEY_REQUIRE_BROWSER") != "" {
			t.Fatalf("axe-core is not installed (run npm ci --ignore-scripts): %v", err)
		}
		t.Skipf("axe-core is not installed (npm ci --ignore-scripts): %v", err)
	}
	return string(b)
}

// axeViolation is one failed rule of an axe run, with where it failed.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	Targets []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeScript runs axe on the page as it stands and answers the serious and
// critical violations as JSON, and those of the few lesser rules that
// fail too. label-content-name-mismatch is experimental in axe but names
// a real fault (a speech user says what they see), so it runs too.
// page-has-heading-one is only "moderate", but a screen without a heading
// to jump to is one a screen-reader user must read from the top.
// With only set, it runs that one rule and answers its violations.
const axeScript = `(async (scope, only) => {
	const r = await axe.run(scope ? document.querySelector(scope) : document, only ? {
		resultTypes: ['violations'],
		runOnly: { type: 'rule', values: [only] },
	} : {
		resultTypes: ['violations'],
		rules: { 'label-content-name-mismatch': { enabled: true } },
	})
	const alsoFail = ['page-has-heading-one']
	return JSON.stringify(r.violations.filter(v => only || v.impact === 'serious' || v.impact === 'critical' || alsoFail.includes(v.id)))
})`

// checkAxe injects axe (once per page) and fails t with every serious or
// critical violation on screen, naming the rule, the element and screen.
func checkAxe(t *testing.T, src, screen string) chromedp.Action {
	return checkAxeIn(t, src, screen, "")
}

// checkAxeIn is checkAxe over the element scope selects only: an open menu,
// when the page around it has been checked already.
func checkAxeIn(t *testing.T, src, screen, scope string) chromedp.Action {
	return runAxe(t, src, screen, scope, "")
}

// checkAxeRule is checkAxe for one rule of axe only.
func checkAxeRule(t *testing.T, src, screen, rule string) chromedp.Action {
	return runAxe(t, src, screen, "", rule)
}

func runAxe(t *testing.T, src, screen, scope, rule string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var loaded bool
		if err := chromedp.Evaluate(`typeof axe !== 'undefined'`, &loaded).Do(ctx); err != nil {
			return err
		}
		if !loaded {
			if err := chromedp.Evaluate(src, nil).Do(ctx); err != nil {
				return fmt.Errorf("inject axe: %w", err)
			}
		}
		var out string
		if err := chromedp.Evaluate(axeScript+"("+jsString(scope)+", "+jsString(rule)+")", &out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }).Do(ctx); err != nil {
			return fmt.Errorf("run axe on %s: %w", screen, err)
		}
		var vs []axeViolation
		if err := json.Unmarshal([]byte(out), &vs); err != nil {
			return err
		}
		for _, v := range vs {
			for _, n := range v.Targets {
				t.Errorf("axe %s (%s) on %s at %v: %s\n%s", v.ID, v.Impact, screen, n.Target, v.Help, n.Summary)
			}
		}
		return nil
	})
}

// openMenu opens a <details> menu by its summary and waits for it.
func openMenu(summary string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Click(summary),
		tabPoll(`!!document.querySelector(` + jsString(summary) + `)?.closest('details')?.open && ` + htmxIdle),
	}
}

// closeMenus closes every open menu, as Escape would.
var closeMenus = chromedp.Evaluate(`document.querySelectorAll('details[open]').forEach(d => d.open = false);
	document.querySelectorAll('[data-js="actions-toggle"]').forEach(b => b.setAttribute('aria-expanded', 'false'))`, nil)

// TestBrowserAccessibility runs axe-core over every screen, at laptop and
// phone size, with the thread's menus open, and fails on any serious or
// critical violation.
func TestBrowserAccessibility(t *testing.T) {
	src := axeSource(t)
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	// Some fifty screens and menus, each checked by axe: several minutes
	// on a busy machine.
	ctx := newBrowserFor(t, 8*time.Minute)
	// The error pages answer 404, as they should.
	allowConsole(ctx, "status of 404")
	simulateText(t, env, "--text", "Where is my parcel?", "--from", "+14155550100")
	simulateText(t, env, "--text", "Can I change my booking?", "--from", "+447911123456")
	simulateText(t, env, "--text", "STOP", "--from", "+447911123999")

	// Signed out: the sign-in page and the error pages.
	for _, size := range axeSizes {
		if err := chromedp.Run(ctx, emulateScreen(size.w, size.h, 1, size.mobile,
			chromedp.Navigate(base+"/login"),
			chromedp.WaitVisible(`form[action="/auth/dev"] button`),
			checkAxe(t, src, "sign-in "+size.name),
		)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(`form[action="/auth/dev"] button`),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		step("labels to put on a conversation", axeLabels(base, "Refund", "Wholesale enquiry", "VIP", "Delivery problem", "Spanish speaker")...),
		step("a contact name and labels on conversation 1",
			chromedp.Navigate(base+"/conversations/1"),
			chromedp.WaitVisible(`[data-testid="contact-panel"] summary`),
			chromedp.Click(`[data-testid="contact-panel"] summary`),
			chromedp.SendKeys(`[data-testid="contact-name"]`, "Maria Fernanda Lopez-Garcia"),
			chromedp.Click(`[data-testid="contact-save"]`),
			waitText(`[data-testid="thread-title"]`, "Maria Fernanda"),
		),
	); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if err := chromedp.Run(ctx, step(fmt.Sprintf("label %d on", i),
			openMenu(`[data-testid="labels-button"]`),
			chromedp.Click(fmt.Sprintf(`[data-testid="label-option"][data-label-id="%d"]`, i)),
			waitCount(fmt.Sprintf(`[data-testid="thread-labels"] [data-testid="label-chip"][data-label-id="%d"]`, i), 1),
			closeMenus,
		)); err != nil {
			t.Fatal(err)
		}
	}

	var tabs []string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`[data-testid="inbox"]`),
		chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="filter-tab"]')].map(a => a.dataset.filter)`, &tabs),
	); err != nil {
		t.Fatal(err)
	}
	if len(tabs) < 5 {
		t.Fatalf("the inbox shows %d filter tabs: %v", len(tabs), tabs)
	}
	pages := []struct{ name, path, ready string }{
		{"new message", "/conversations/new", `form`},
		{"mentions", "/mentions", `main`},
		{"keyword replies", "/settings/keywords", `[data-testid="keyword-rules"]`},
		{"business hours", "/settings/hours", `main`},
		{"export", "/settings/export", `main`},
		{"team", "/settings/users", `#invite-email`},
		{"labels", "/settings/labels", `[data-testid="labels"]`},
		{"audit", "/settings/audit", `main`},
		{"canned replies", "/settings/canned", `main`},
		{"webhooks", "/settings/webhooks", `[data-testid="webhooks"]`},
		{"not found", "/conversations/424242", `body`},
		{"no such page", "/no-such-page", `body`},
	}
	for _, tab := range tabs {
		pages = append(pages, struct{ name, path, ready string }{"inbox, " + tab, "/conversations?filter=" + tab, `[data-testid="inbox"]`})
	}
	for _, size := range axeSizes {
		if err := chromedp.Run(ctx, emulation.SetDeviceMetricsOverride(size.w, size.h, 1, size.mobile)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if err := chromedp.Run(ctx,
				chromedp.Navigate(base+p.path),
				chromedp.WaitReady(p.ready),
				tabPoll(htmxIdle),
				checkAxe(t, src, p.name+" "+size.name),
			); err != nil {
				t.Fatalf("%s %s: %v", p.name, size.name, err)
			}
		}
		// The thread with a name, labels and a note, and each of its menus.
		thread := "thread " + size.name
		if err := chromedp.Run(ctx,
			chromedp.Navigate(base+"/conversations/1"),
			chromedp.WaitVisible(`[data-testid="thread-header"]`),
			tabPoll(htmxIdle),
			checkAxe(t, src, thread),
			chromedp.Click(`[data-testid="compose-note-tab"]`),
			chromedp.WaitVisible(`[data-testid="note-add"]`),
			checkAxe(t, src, thread+", writing a note"),
		); err != nil {
			t.Fatal(err)
		}
		// A phone keeps the thread's actions behind one button.
		openActions := chromedp.ActionFunc(func(c context.Context) error {
			if !size.mobile {
				return nil
			}
			return chromedp.Run(c,
				chromedp.Evaluate(`document.querySelector('[data-testid="thread-actions-toggle"]').setAttribute('aria-expanded', 'false')`, nil),
				chromedp.Click(`[data-testid="thread-actions-toggle"]`),
				chromedp.WaitVisible(`[data-testid="thread-actions-menu"]`),
			)
		})
		if size.mobile {
			if err := chromedp.Run(ctx, openActions, checkAxeIn(t, src, thread+", actions", `[data-testid="thread-actions-menu"]`)); err != nil {
				t.Fatal(err)
			}
		}
		for _, menu := range []struct{ name, summary, panel string }{
			{"assign menu", `[data-testid="assignee-button"]`, `[data-testid="assignee-menu"]`},
			{"labels menu", `[data-testid="labels-button"]`, `[data-testid="labels-menu"]`},
			{"snooze menu", `[data-testid="action-snooze"]`, `[data-testid="snooze-menu"] > div`},
			{"more actions", `[data-testid="thread-more"] > summary`, `[data-testid="thread-more"] > div`},
		} {
			if err := chromedp.Run(ctx,
				closeMenus,
				chromedp.ActionFunc(func(c context.Context) error {
					if menu.name == "labels menu" {
						return nil
					}
					return openActions.Do(c)
				}),
				openMenu(menu.summary),
				checkAxeIn(t, src, thread+", "+menu.name, menu.panel),
				closeMenus,
			); err != nil {
				t.Fatalf("%s, %s: %v", thread, menu.name, err)
			}
		}
	}
}

var axeSizes = []struct {
	name   string
	w, h   int64
	mobile bool
}{
	{"(laptop 1440x900)", 1440, 900, false},
	{"(phone 390x844)", 390, 844, true},
}

// axeLabels makes labels on the labels screen.
func axeLabels(base string, names ...string) []chromedp.Action {
	actions := []chromedp.Action{chromedp.Navigate(base + "/settings/labels"), chromedp.WaitVisible(`[data-testid="label-name"]`)}
	for i, n := range names {
		actions = append(actions,
			chromedp.SendKeys(`[data-testid="label-form"] [data-testid="label-name"]`, n),
			chromedp.Click(`[data-testid="label-form"] [data-testid="label-save"]`),
			waitCount(`[data-testid="label-row"]`, i+1),
		)
	}
	return actions
}

// On a phone, the open thread and the New message form fill the screen
// (the list and its "Inbox" heading are hidden): each still has a level-one
// heading to start from, and one only. (TestBrowserAccessibility checks
// every rule on these screens.)
func TestBrowserPhoneScreensHaveHeadingOne(t *testing.T) {
	src := axeSource(t)
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	ctx := newBrowser(t)
	simulateText(t, env, "--text", "Where is my parcel?", "--from", "+14155550100")
	if err := chromedp.Run(ctx, signIn(base), emulation.SetDeviceMetricsOverride(390, 844, 3, true)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ name, path, ready string }{
		{"thread (phone 390x844)", "/conversations/1", `[data-testid="thread-header"]`},
		{"new message (phone 390x844)", "/conversations/new", `form`},
	} {
		var headings []string
		if err := chromedp.Run(ctx,
			chromedp.Navigate(base+p.path),
			chromedp.WaitVisible(p.ready),
			tabPoll(htmxIdle),
			checkAxeRule(t, src, p.name, "page-has-heading-one"),
			chromedp.Evaluate(`[...document.querySelectorAll('h1')].filter(h => h.getClientRects().length).map(h => h.textContent.trim())`, &headings),
		); err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if len(headings) != 1 {
			t.Errorf("%s shows level-one headings %q, want one", p.name, headings)
		}
	}
}
