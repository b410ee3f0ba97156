package views_test

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func keywordRules() []inbox.KeywordRule {
	return []inbox.KeywordRule{
		{ID: 1, Keywords: []string{"HELLO", "HI"}, Reply: "Hello!", Enabled: true, Position: 1},
		{ID: 2, Keywords: []string{"HOURS"}, Reply: "9 to 5", Enabled: false, Position: 2},
	}
}

func TestKeywordRulesPage(t *testing.T) {
	doc := MustRender(t, testCtx(), views.KeywordRulesPage(views.KeywordRulesProps{Rules: keywordRules()}))
	assertStrictCSP(t, doc)
	region := MustFind(t, doc, "#keyword-rules")
	rows := region.Find(byTestID("keyword-rule"))
	if rows.Length() != 2 {
		t.Fatalf("rows=%d, want 2", rows.Length())
	}
	first, second := rows.Eq(0), rows.Eq(1)
	var chips []string
	MustFind(t, first, byTestID("keyword-list")).Children().Each(func(_ int, c *goquery.Selection) { chips = append(chips, text(c)) })
	if strings.Join(chips, ",") != "HELLO,HI" {
		t.Errorf("keywords=%q, want HELLO and HI", chips)
	}
	if !hasAttr(MustFind(t, first, byTestID("keyword-move-up")), "disabled") || hasAttr(MustFind(t, first, byTestID("keyword-move-down")), "disabled") {
		t.Error("first rule: want up disabled, down enabled")
	}
	if hasAttr(MustFind(t, second, byTestID("keyword-move-up")), "disabled") || !hasAttr(MustFind(t, second, byTestID("keyword-move-down")), "disabled") {
		t.Error("last rule: want up enabled, down disabled")
	}
	for i, want := range []struct{ checked, next string }{{"true", "false"}, {"false", "true"}} {
		toggle := MustFind(t, rows.Eq(i), byTestID("keyword-toggle"))
		if got := attr(toggle, "aria-checked"); got != want.checked {
			t.Errorf("rule %d aria-checked=%q, want %q", i, got, want.checked)
		}
		form := toggle.Closest("form")
		if got := attr(MustFind(t, form, `input[name="enabled"]`), "value"); got != want.next {
			t.Errorf("rule %d toggle posts enabled=%q, want %q", i, got, want.next)
		}
		if attr(form, "hx-post") != views.KeywordRuleActionURL(int64(i+1), "toggle") || attr(form, "hx-target") != "#keyword-rules" {
			t.Errorf("rule %d toggle hx-post=%q hx-target=%q", i, attr(form, "hx-post"), attr(form, "hx-target"))
		}
	}
	edit := MustFind(t, first, byTestID("keyword-edit"))
	if hasAttr(edit, "open") {
		t.Error("edit form open without a draft")
	}
	if got := attr(MustFind(t, edit, `input[name="keywords"]`), "value"); got != "HELLO, HI" {
		t.Errorf("edit keywords=%q", got)
	}
	add := MustFind(t, region, "form"+byTestID("keyword-add"))
	if attr(add, "hx-post") != views.KeywordRulesURL {
		t.Errorf("add hx-post=%q", attr(add, "hx-post"))
	}
	MustFind(t, doc, "#keyword-preview")
	opted := MustFind(t, doc, byTestID("keyword-preview-opted-out"))
	if attr(opted, "name") != "opted_out" || attr(opted, "value") != "true" || hasAttr(opted, "checked") {
		t.Errorf("opted-out box name=%q value=%q checked=%v, want opted_out=true unchecked", attr(opted, "name"), attr(opted, "value"), hasAttr(opted, "checked"))
	}
	if got := attr(MustFind(t, doc, byTestID("keyword-preview-input")), "hx-post"); got != views.KeywordPreviewURL {
		t.Errorf("preview hx-post=%q", got)
	}
}

func TestKeywordRulesDraftErrors(t *testing.T) {
	edit := MustRender(t, testCtx(), views.KeywordRules(views.KeywordRulesProps{
		Rules: keywordRules(), Draft: views.KeywordRuleDraft{ID: 2, Keywords: "HOURS, OPEN", Reply: "", Error: "write a reply"},
	}))
	row := MustFind(t, edit, "#keyword-rule-2")
	if !hasAttr(MustFind(t, row, byTestID("keyword-edit")), "open") {
		t.Error("edited rule's form is closed after an error")
	}
	if got := attr(MustFind(t, row, `input[name="keywords"]`), "value"); got != "HOURS, OPEN" {
		t.Errorf("edit keywords=%q, want what was typed", got)
	}
	if got := text(MustFind(t, row, byTestID("keyword-error"))); got != "write a reply" {
		t.Errorf("edit error=%q", got)
	}
	if n := edit.Find(byTestID("keyword-add") + " " + byTestID("keyword-error")).Length(); n != 0 {
		t.Error("the add form shows the edit's error")
	}

	add := MustRender(t, testCtx(), views.KeywordRules(views.KeywordRulesProps{Draft: views.KeywordRuleDraft{Keywords: "PRICE", Error: "write a reply"}}))
	MustFind(t, add, byTestID("keyword-empty"))
	form := MustFind(t, add, byTestID("keyword-add"))
	if got := attr(MustFind(t, form, `input[name="keywords"]`), "value"); got != "PRICE" {
		t.Errorf("add keywords=%q", got)
	}
	if got := text(MustFind(t, form, byTestID("keyword-error"))); got != "write a reply" {
		t.Errorf("add error=%q", got)
	}
}

func TestKeywordPreview(t *testing.T) {
	for _, tc := range []struct {
		name       string
		p          views.KeywordPreviewProps
		why, reply string
		none       string
	}{
		{name: "nothing typed", p: views.KeywordPreviewProps{}, none: "Type a text to see the automatic reply."},
		{name: "no match", p: views.KeywordPreviewProps{Text: "thanks"}, none: "No automatic reply. The text waits in the inbox for the team."},
		{name: "keyword", p: views.KeywordPreviewProps{Text: "hours!", Decision: inbox.Decision{Keyword: "HOURS", Reply: "9 to 5\nMon-Fri"}},
			why: "Matches HOURS, so Parley replies:", reply: "9 to 5\nMon-Fri"},
		{name: "stop", p: views.KeywordPreviewProps{Text: "stop", Decision: inbox.Decide("stop", "", false, nil)},
			why: "Opts the contact out (the law), then replies:", reply: inbox.OptOutReply},
	} {
		doc := MustRender(t, testCtx(), views.KeywordPreview(tc.p))
		region := MustFind(t, doc, "#keyword-preview")
		if tc.none != "" {
			if got := text(region); got != tc.none {
				t.Errorf("%s: preview=%q, want %q", tc.name, got, tc.none)
			}
			continue
		}
		if got := text(MustFind(t, region, byTestID("keyword-preview-why"))); got != tc.why {
			t.Errorf("%s: why=%q, want %q", tc.name, got, tc.why)
		}
		if got := MustFind(t, region, byTestID("keyword-preview-reply")).Text(); got != tc.reply {
			t.Errorf("%s: reply=%q, want %q", tc.name, got, tc.reply)
		}
	}
}

func TestUsersPage(t *testing.T) {
	seen := testNow.Add(-3 * time.Hour)
	me := testUser
	me.LastSeenAt = &seen
	users := []inbox.User{
		me,
		{ID: 2, Email: "jonas@acme.test", Name: "Jonas Weber", Role: inbox.RoleAgent, LastSeenAt: &seen},
		{ID: 3, Email: "new@acme.test", Role: inbox.RoleAgent},
	}
	doc := MustRender(t, testCtx(), views.UsersPage(views.UsersProps{Users: users, Me: me, Invite: views.InviteDraft{Email: "ops@acme", Role: inbox.RoleAdmin, Error: "not an email address"}}))
	assertStrictCSP(t, doc)
	rows := MustFind(t, doc, "#users").Find(byTestID("user-row"))
	if rows.Length() != 3 {
		t.Fatalf("rows=%d, want 3", rows.Length())
	}
	meRow := rows.Eq(0)
	if !hasAttr(MustFind(t, meRow, byTestID("user-role")), "disabled") || !hasAttr(MustFind(t, meRow, byTestID("user-remove")), "disabled") {
		t.Error("I can change my own role or remove myself")
	}
	if got := attr(MustFind(t, meRow, byTestID("user-role")+" option[selected]"), "value"); got != "admin" {
		t.Errorf("my role=%q, want admin", got)
	}
	jonas := rows.Eq(1)
	role := MustFind(t, jonas, byTestID("user-role"))
	if hasAttr(role, "disabled") {
		t.Error("another user's role is disabled")
	}
	form := role.Closest("form")
	if attr(form, "hx-post") != "/settings/users/2/role" || attr(form, "hx-trigger") != "change" || attr(form, "hx-target") != "#users" {
		t.Errorf("role form hx-post=%q hx-trigger=%q hx-target=%q", attr(form, "hx-post"), attr(form, "hx-trigger"), attr(form, "hx-target"))
	}
	if !strings.Contains(text(jonas), "Last seen 3h") {
		t.Errorf("row=%q, want last seen", text(jonas))
	}
	MustFind(t, rows.Eq(2), byTestID("user-invited"))
	invite := MustFind(t, doc, "form"+byTestID("invite"))
	if got := attr(MustFind(t, invite, `input[name="email"]`), "value"); got != "ops@acme" {
		t.Errorf("invite email=%q", got)
	}
	if got := attr(MustFind(t, invite, `select[name="role"] option[selected]`), "value"); got != "admin" {
		t.Errorf("invite role=%q", got)
	}
	if got := text(MustFind(t, invite, byTestID("invite-error"))); got != "not an email address" {
		t.Errorf("invite error=%q", got)
	}
}
