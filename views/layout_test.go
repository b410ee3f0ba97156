package views_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestLayout(t *testing.T) {
	doc := MustRender(t, testCtx(), views.InboxPage(views.InboxProps{Unread: 3, EventsURL: views.EventsURL}))

	if got := attr(MustFind(t, doc, `meta[name="csrf-token"]`), "content"); got != testToken {
		t.Errorf("csrf-token meta=%q, want %q", got, testToken)
	}
	if got := text(MustFind(t, doc, "title")); got != "(3) Parley" {
		t.Errorf("title=%q, want %q", got, "(3) Parley")
	}
	assertStrictCSP(t, doc)

	hashed := regexp.MustCompile(`^/static/(css/app|js/htmx\.min|js/sse\.min|js/idiomorph-ext\.min|js/app\.min)\.[0-9a-f]{8}\.(css|js)$`)
	if href := attr(MustFind(t, doc, `link[rel="stylesheet"]`), "href"); !hashed.MatchString(href) {
		t.Errorf("stylesheet href=%q, want a hashed /static/css/app URL", href)
	}
	scripts := doc.Find("head script")
	if scripts.Length() != 4 {
		t.Fatalf("head scripts=%d, want 4", scripts.Length())
	}
	for i, want := range []string{"/static/js/htmx.min.", "/static/js/sse.min.", "/static/js/idiomorph-ext.min.", "/static/js/app.min."} {
		s := scripts.Eq(i)
		if src := attr(s, "src"); !strings.HasPrefix(src, want) || !hashed.MatchString(src) {
			t.Errorf("script %d src=%q, want hashed %s…", i, src, want)
		}
		if !hasAttr(s, "defer") {
			t.Errorf("script %d has no defer", i)
		}
	}

	header := MustFind(t, doc, "header"+byTestID("app-header"))
	if !strings.Contains(text(header), "Parley") {
		t.Errorf("header text=%q, want the product name", text(header))
	}
	if got := text(MustFind(t, header, byTestID("user-name"))); got != "Maya Chen" {
		t.Errorf("user name=%q, want Maya Chen", got)
	}
	if got := text(MustFind(t, header, byTestID("role-badge"))); got != "Admin" {
		t.Errorf("role badge=%q, want Admin", got)
	}
	if got := text(MustFind(t, header, byTestID("nav-unread"))); got != "3 unread" {
		t.Errorf("nav unread=%q, want %q", got, "3 unread")
	}
	signOut := MustFind(t, header, "form"+byTestID("sign-out"))
	if attr(signOut, "method") != "post" || attr(signOut, "action") != views.LogoutURL {
		t.Errorf("sign-out form method=%q action=%q, want post %s", attr(signOut, "method"), attr(signOut, "action"), views.LogoutURL)
	}
	if got := attr(MustFind(t, signOut, `input[name="_csrf"]`), "value"); got != testToken {
		t.Errorf("sign-out _csrf=%q, want %q", got, testToken)
	}
	MustFind(t, doc, "header nav")
	MustFind(t, doc, "main#main")
	if got := attr(MustFind(t, doc, `a[href="#main"]`), "class"); !strings.Contains(got, "sr-only") {
		t.Errorf("skip link class=%q, want sr-only until focused", got)
	}
	if got := attr(MustFind(t, doc, "#toasts"), "aria-live"); got != "polite" {
		t.Errorf("#toasts aria-live=%q, want polite", got)
	}
	live := MustFind(t, doc, "#live-status")
	if got := attr(live, "data-state"); got != "connecting" {
		t.Errorf("live-status data-state=%q, want connecting", got)
	}
	body := doc.Find("body")
	// The morph extension is named only where a morph is asked for (the
	// thread header's sync): on the body it would make every out-of-band
	// "beforeend" insert its wrapper.
	if attr(body, "hx-ext") != "sse" || attr(body, "sse-connect") != views.EventsURL {
		t.Errorf("body hx-ext=%q sse-connect=%q, want \"sse\" %s", attr(body, "hx-ext"), attr(body, "sse-connect"), views.EventsURL)
	}
	MustFind(t, doc, "dialog#shortcuts #shortcuts-enabled")
	MustFind(t, doc, "template#toast-template "+byTestID("toast"))
}

func TestLayoutWithoutLiveFeed(t *testing.T) {
	doc := MustRender(t, testCtx(), views.KeywordRulesPage(views.KeywordRulesProps{}))
	live := MustFind(t, doc, "#live-status")
	if got := attr(live, "data-state"); got != "off" {
		t.Errorf("live-status data-state=%q, want off", got)
	}
	if hasAttr(doc.Find("body"), "sse-connect") {
		t.Error("body has sse-connect without an EventsURL")
	}
	if got := text(MustFind(t, doc, "title")); got != "Keyword replies · Parley" {
		t.Errorf("title=%q, want %q", got, "Keyword replies · Parley")
	}
}

func TestLayoutAgentSeesNoAdminNav(t *testing.T) {
	agent := inbox.User{ID: 2, Email: "jo@acme.test", Role: inbox.RoleAgent}
	doc := MustRender(t, views.WithUser(testCtx(), agent), views.InboxPage(views.InboxProps{}))
	if n := doc.Find(`nav a[href="` + views.UsersURL + `"]`).Length(); n != 0 {
		t.Errorf("agent sees %d links to users, want 0", n)
	}
	if got := text(MustFind(t, doc, byTestID("role-badge"))); got != "Agent" {
		t.Errorf("role badge=%q, want Agent", got)
	}
	if got := text(MustFind(t, doc, byTestID("user-name"))); got != "jo@acme.test" {
		t.Errorf("user name=%q, want the email when there is no name", got)
	}
}

func TestHTMXConfig(t *testing.T) {
	doc := MustRender(t, testCtx(), views.InboxPage(views.InboxProps{}))
	raw := attr(MustFind(t, doc, `meta[name="htmx-config"]`), "content")
	var cfg struct {
		AllowEval              *bool `json:"allowEval"`
		IncludeIndicatorStyles *bool `json:"includeIndicatorStyles"`
		HistoryCacheSize       *int  `json:"historyCacheSize"`
		ResponseHandling       []struct {
			Code  string `json:"code"`
			Swap  bool   `json:"swap"`
			Error *bool  `json:"error"`
		} `json:"responseHandling"`
	}
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatalf("htmx-config is not JSON: %v\n%s", err, raw)
	}
	if cfg.AllowEval == nil || *cfg.AllowEval {
		t.Error("allowEval is not false")
	}
	if cfg.IncludeIndicatorStyles == nil || *cfg.IncludeIndicatorStyles {
		t.Error("includeIndicatorStyles is not false")
	}
	if cfg.HistoryCacheSize == nil || *cfg.HistoryCacheSize != 0 {
		t.Error("historyCacheSize is not 0")
	}
	// The first rule whose code matches a status decides, as in htmx.
	decide := func(status string) (swap, isErr bool) {
		for _, r := range cfg.ResponseHandling {
			if regexp.MustCompile("^" + r.Code + "$").MatchString(status) {
				return r.Swap, r.Error != nil && *r.Error
			}
		}
		t.Fatalf("no rule for %s", status)
		return false, false
	}
	for _, tc := range []struct {
		status      string
		swap, isErr bool
	}{
		{"200", true, false},
		{"204", false, false},
		{"422", true, false},
		{"403", true, true},
		{"409", true, true},
		{"500", true, true},
	} {
		swap, isErr := decide(tc.status)
		if swap != tc.swap || isErr != tc.isErr {
			t.Errorf("status %s: swap=%v error=%v, want swap=%v error=%v", tc.status, swap, isErr, tc.swap, tc.isErr)
		}
	}
}

func TestPageTitle(t *testing.T) {
	for _, tc := range []struct {
		title  string
		unread int
		want   string
	}{
		{"", 0, "Parley"},
		{"", 3, "(3) Parley"},
		{"Users", 0, "Users · Parley"},
		{"Users", 12, "(12) Users · Parley"},
	} {
		if got := views.PageTitle(tc.title, tc.unread); got != tc.want {
			t.Errorf("PageTitle(%q, %d)=%q, want %q", tc.title, tc.unread, got, tc.want)
		}
	}
}

func TestToast(t *testing.T) {
	doc := MustRender(t, testCtx(), views.Toast(views.ToastError, `Can't send: <b>opted out</b>`))
	toast := MustFind(t, doc, byTestID("toast"))
	if got := attr(toast, "data-kind"); got != "error" {
		t.Errorf("data-kind=%q, want error", got)
	}
	if got := text(MustFind(t, toast, `[data-js="toast-message"]`)); got != `Can't send: <b>opted out</b>` {
		t.Errorf("message=%q, want the text as given", got)
	}
	if n := toast.Find("b").Length(); n != 0 {
		t.Errorf("message markup became %d elements, want text", n)
	}
	MustFind(t, toast, `button[data-js="dismiss-toast"]`)

	oob := MustRender(t, testCtx(), views.ToastOOB(views.ToastSuccess, "Invited"))
	if got := attr(MustFind(t, oob, "[hx-swap-oob]"), "hx-swap-oob"); got != "beforeend:#toasts" {
		t.Errorf("hx-swap-oob=%q, want beforeend:#toasts", got)
	}
}

func TestContext(t *testing.T) {
	ctx := testCtx()
	if got := views.CSRF(ctx); got != testToken {
		t.Errorf("CSRF=%q, want %q", got, testToken)
	}
	if u, ok := views.CurrentUser(ctx); !ok || u.ID != testUser.ID {
		t.Errorf("CurrentUser=%v,%v, want %v,true", u, ok, testUser)
	}
	if !views.Now(ctx).Equal(testNow) {
		t.Errorf("Now=%v, want %v", views.Now(ctx), testNow)
	}
	if _, ok := views.CurrentUser(t.Context()); ok {
		t.Error("CurrentUser on an empty context reported a user")
	}
	if got := views.CSRF(t.Context()); got != "" {
		t.Errorf("CSRF on an empty context=%q, want empty", got)
	}
}

func TestURLs(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{views.ThreadURL(42), "/conversations/42"},
		{views.ThreadActionURL(42, views.ActionOptOut), "/conversations/42/opt-out"},
		{views.MessagesURL(42), "/conversations/42/messages"},
		{views.OlderMessagesURL(42, "a b&c"), "/conversations/42/messages?before=a+b%26c"},
		{views.ListURL("", "", ""), "/conversations"},
		{views.ListURL(views.FilterClosed, "blue lamp", "c9"), "/conversations?cursor=c9&filter=closed&q=blue+lamp"},
		{views.KeywordRuleActionURL(3, "move"), "/settings/keywords/3/move"},
		{views.UserActionURL(5, "role"), "/settings/users/5/role"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// A page whose props say nothing of the live feed (a settings screen)
// takes it, and the unread count, from the context; its own props win.
func TestLayoutLiveFeedFromContext(t *testing.T) {
	ctx := views.WithLiveFeed(testCtx(), views.LiveFeed{URL: "/events?last_event_id=7", Unread: 4})
	for _, tc := range []struct {
		name        string
		props       views.LayoutProps
		url, unread string
	}{
		{"settings page", views.LayoutProps{Title: "Labels"}, "/events?last_event_id=7", "4"},
		{"own feed", views.LayoutProps{EventsURL: "/events?last_event_id=9", Unread: 2}, "/events?last_event_id=9", "2"},
	} {
		doc := MustRender(t, ctx, views.Layout(tc.props))
		body := doc.Find("body")
		if got := attr(body, "sse-connect"); got != tc.url {
			t.Errorf("%s: sse-connect=%q, want %q", tc.name, got, tc.url)
		}
		if n := doc.Find("[sse-connect]").Length(); n != 1 {
			t.Errorf("%s: %d live connections, want 1", tc.name, n)
		}
		if got := attr(MustFind(t, doc, "#nav-unread"), "data-count"); got != tc.unread {
			t.Errorf("%s: unread badge=%q, want %q", tc.name, got, tc.unread)
		}
	}
	if n := MustRender(t, testCtx(), views.Layout(views.LayoutProps{Title: "Labels"})).Find("[sse-connect]").Length(); n != 0 {
		t.Errorf("without a feed the page has %d live connections, want 0", n)
	}
}
