package views_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func TestComposer(t *testing.T) {
	doc := MustRender(t, testCtx(), views.Composer(views.ComposerFor(conversation(7, "+14155550123"))))
	form := MustFind(t, doc, "form#composer")
	if got := attr(form, "hx-post"); got != "/conversations/7/messages" {
		t.Errorf("hx-post=%q", got)
	}
	ta := MustFind(t, form, "textarea#composer-text")
	for name, want := range map[string]string{
		"name": "text", "hx-post": "/compose/meter", "hx-trigger": "input changed delay:150ms", "hx-target": "#composer-meter",
	} {
		if got := attr(ta, name); got != want {
			t.Errorf("textarea %s=%q, want %q", name, got, want)
		}
	}
	if hasAttr(ta, "disabled") || hasAttr(MustFind(t, form, byTestID("composer-send")), "disabled") {
		t.Error("composer disabled for a subscribed, open contact")
	}
	MustFind(t, form, "#composer-meter")
	if got := text(MustFind(t, form, "#composer-error")); got != "" {
		t.Errorf("error slot=%q, want empty", got)
	}
}

func TestComposerDisabled(t *testing.T) {
	at := testNow.Add(-time.Hour)
	opted := conversation(7, "+14155550123")
	opted.OptedOutAt = &at
	blocked := conversation(8, "+14155550124")
	blocked.Status = inbox.ConversationBlocked
	for _, tc := range []struct {
		name   string
		c      inbox.Conversation
		reason string
	}{
		{"opted out", opted, "opted out"},
		{"blocked", blocked, "blocked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := MustRender(t, testCtx(), views.Thread(views.ThreadProps{Conversation: tc.c}))
			form := MustFind(t, doc, "form#composer")
			if !hasAttr(MustFind(t, form, "textarea"), "disabled") {
				t.Error("textarea is not disabled")
			}
			if !hasAttr(MustFind(t, form, byTestID("composer-send")), "disabled") {
				t.Error("send button is not disabled")
			}
			reason := text(MustFind(t, form, "#composer-disabled-reason"))
			if !strings.Contains(reason, tc.reason) {
				t.Errorf("reason=%q, want it to mention %q", reason, tc.reason)
			}
			if got := attr(MustFind(t, form, "textarea"), "aria-describedby"); got != "composer-disabled-reason" {
				t.Errorf("aria-describedby=%q, want the reason", got)
			}
		})
	}
}

func TestComposerError(t *testing.T) {
	doc := MustRender(t, testCtx(), views.Composer(views.ComposerProps{ConversationID: 7, Text: "draft <b>", Error: "write a message first"}))
	if got := text(MustFind(t, doc, "#composer-error")); got != "write a message first" {
		t.Errorf("error=%q", got)
	}
	ta := MustFind(t, doc, "textarea")
	if ta.Text() != "draft <b>" || attr(ta, "aria-invalid") != "true" {
		t.Errorf("textarea text=%q aria-invalid=%q, want the draft kept and marked invalid", ta.Text(), attr(ta, "aria-invalid"))
	}
}

func TestReplySent(t *testing.T) {
	m := message(9, inbox.DirectionOutbound, inbox.StatusQueued, "On its way")
	doc := MustRender(t, testCtx(), views.ReplySent(views.ComposerProps{ConversationID: 7}, m))
	if got := MustFind(t, doc, "form#composer textarea").Text(); got != "" {
		t.Errorf("composer text=%q, want empty after a send", got)
	}
	if got := attr(MustFind(t, doc, "[hx-swap-oob]"), "hx-swap-oob"); got != "beforeend:#messages-7" {
		t.Errorf("hx-swap-oob=%q", got)
	}
	MustFind(t, doc, "#message-9")
}

func TestMeter(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
		tooLong          bool
	}{
		{"empty", "", "160 characters left in this text · 1 text · GSM-7 · max 1,600", false},
		{"short GSM", strings.Repeat("a", 42), "118 characters left in this text · 1 text · GSM-7 · max 1,600", false},
		{"one left", strings.Repeat("a", 159), "1 character left in this text · 1 text · GSM-7 · max 1,600", false},
		{"two GSM parts", strings.Repeat("a", 161), "145 characters left in this text · 2 texts · GSM-7 · max 1,600", false},
		{"extension chars count twice", "€5", "157 characters left in this text · 1 text · GSM-7 · max 1,600", false},
		{"unicode", "Cześć", "65 characters left in this text · 1 text · Unicode because of “ś”, “ć” · max 737", false},
		{"unicode parts", "ś" + strings.Repeat("a", 70), "63 characters left in this text · 2 texts · Unicode because of “ś” · max 737", false},
		{"every culprit once", "ç ś ç ś ç", "61 characters left in this text · 1 text · Unicode because of “ç”, “ś” · max 737", false},
		{"named up to five", "ąćęłńóśźż", "61 characters left in this text · 1 text · Unicode because of “ą”, “ć”, “ę”, “ł”, “ń”, and more · max 737", false},
		{"invisible culprit", "hi\u00a0there", "62 characters left in this text · 1 text · Unicode because of U+00A0 · max 737", false},
		{"too long", strings.Repeat("a", 1601), "Too long · 1,601 of 1,600 characters · 11 texts · GSM-7", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := MustRender(t, testCtx(), views.Meter(inbox.Segment(tc.text)))
			m := MustFind(t, doc, "#composer-meter"+byTestID("composer-meter"))
			if got := text(m); got != tc.want {
				t.Errorf("meter=%q, want %q", got, tc.want)
			}
			if got := hasAttr(m, "data-too-long"); got != tc.tooLong {
				t.Errorf("data-too-long=%v, want %v", got, tc.tooLong)
			}
			if got := hasClass(attr(m, "class"), "text-red-700"); got != tc.tooLong {
				t.Errorf("warning style=%v, want %v", got, tc.tooLong)
			}
		})
	}
}

func TestNewConversationForm(t *testing.T) {
	doc := MustRender(t, testCtx(), views.NewConversationForm(views.NewConversationProps{
		To: "+1 415", ToError: "not a valid phone number", Text: "hi",
		Channels: []inbox.Channel{{Number: "+14155550199", Name: "Support"}, {Number: "+442071838750", Name: "UK sales"}}, From: "+442071838750",
	}))
	form := MustFind(t, doc, "form#new-conversation-form")
	if attr(form, "hx-post") != "/conversations" || attr(form, "hx-target") != "#thread" {
		t.Errorf("form hx-post=%q hx-target=%q", attr(form, "hx-post"), attr(form, "hx-target"))
	}
	if got := attr(MustFind(t, form, `input[name="to"]`), "value"); got != "+1 415" {
		t.Errorf("to=%q", got)
	}
	if got := text(MustFind(t, form, byTestID("new-to-error"))); got != "not a valid phone number" {
		t.Errorf("to error=%q", got)
	}
	if got := attr(MustFind(t, form, `select[name="from"] option[selected]`), "value"); got != "+442071838750" {
		t.Errorf("selected from=%q", got)
	}
	if got := text(MustFind(t, form, `select[name="from"] option[selected]`)); got != "UK sales · +44 20 7183 8750" {
		t.Errorf("the picker shows %q, want the inbox's name and number", got)
	}
	if got := text(MustFind(t, form, "#composer-meter")); !strings.HasPrefix(got, "158 characters left in this text · 1 text · GSM-7") {
		t.Errorf("meter=%q", got)
	}
	one := MustRender(t, testCtx(), views.NewConversationForm(views.NewConversationProps{Channels: []inbox.Channel{{Number: "+14155550199"}}}))
	if n := one.Find(`select[name="from"]`).Length(); n != 0 {
		t.Errorf("one channel shows %d from selects, want 0", n)
	}
}

func TestNewConversationPage(t *testing.T) {
	doc := MustRender(t, testCtx(), views.NewConversationPage(views.NewConversationProps{To: "+14155550123"}))
	assertStrictCSP(t, doc)
	MustFind(t, doc, "header"+byTestID("app-header"))
	// The form targets #thread, so the page must have one around it.
	MustFind(t, doc, "#thread form#new-conversation-form")
	if got := text(MustFind(t, doc, "title")); got != "New message · Parley" {
		t.Errorf("title=%q", got)
	}
}
