package inbox_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

var rules = []inbox.KeywordRule{
	{ID: 1, Keywords: []string{"HELLO", "HI"}, Reply: "greeting", Enabled: true, Position: 1},
	{ID: 2, Keywords: []string{"STATUS"}, Reply: "status", Enabled: false, Position: 2},
	{ID: 3, Keywords: []string{"HELP", "INFO"}, Reply: "help rule", Enabled: true, Position: 3},
	{ID: 4, Keywords: []string{"OPENING HOURS", "HOURS"}, Reply: "hours", Enabled: true, Position: 4},
}

func TestDecide(t *testing.T) {
	tests := []struct {
		text, intent string
		optedOut     bool
		rules        []inbox.KeywordRule
		want         inbox.Decision
	}{
		{"hello", "", false, rules, inbox.Decision{Keyword: "HELLO", Reply: "greeting"}},
		{"  Hi!\n", "", false, rules, inbox.Decision{Keyword: "HI", Reply: "greeting"}},
		{"opening   hours", "", false, rules, inbox.Decision{Keyword: "OPENING HOURS", Reply: "hours"}},
		{"hello there", "", false, rules, inbox.Decision{}},
		{"status", "", false, rules, inbox.Decision{}}, // disabled rule
		{"hello", "", true, rules, inbox.Decision{}},   // opted out: silence
		{"STOP", "", false, rules, inbox.Decision{Consent: inbox.ConsentOptOut, ConsentSource: "keyword", Keyword: "STOP", Reply: inbox.OptOutReply}},
		{"stop all", "", false, rules, inbox.Decision{Consent: inbox.ConsentOptOut, ConsentSource: "keyword", Keyword: "STOP ALL", Reply: inbox.OptOutReply}},
		{"Stopall", "", false, rules, inbox.Decision{Consent: inbox.ConsentOptOut, ConsentSource: "keyword", Keyword: "STOPALL", Reply: inbox.OptOutReply}},
		{"unsubscribe", "", false, rules, inbox.Decision{Consent: inbox.ConsentOptOut, ConsentSource: "keyword", Keyword: "UNSUBSCRIBE", Reply: inbox.OptOutReply}},
		{"quit", "", false, rules, inbox.Decision{Consent: inbox.ConsentOptOut, ConsentSource: "keyword", Keyword: "QUIT", Reply: inbox.OptOutReply}},
		{"STOP", "", true, rules, inbox.Decision{}}, // repeated STOP: no second confirmation
		{"Stop it!", "", false, rules, inbox.Decision{}},
		{"please stop", "optout", false, rules, inbox.Decision{Consent: inbox.ConsentOptOut, ConsentSource: "intent", Keyword: "intent:optout", Reply: inbox.OptOutReply}},
		{"start", "", true, rules, inbox.Decision{Consent: inbox.ConsentOptIn, ConsentSource: "keyword", Keyword: "START", Reply: inbox.OptInReply}},
		{"unstop", "", true, rules, inbox.Decision{Consent: inbox.ConsentOptIn, ConsentSource: "keyword", Keyword: "UNSTOP", Reply: inbox.OptInReply}},
		{"yes", "", true, rules, inbox.Decision{Consent: inbox.ConsentOptIn, ConsentSource: "keyword", Keyword: "YES", Reply: inbox.OptInReply}},
		{"Resume", "", true, rules, inbox.Decision{Consent: inbox.ConsentOptIn, ConsentSource: "keyword", Keyword: "RESUME", Reply: inbox.OptInReply}},
		{"ok", "optin", true, rules, inbox.Decision{Consent: inbox.ConsentOptIn, ConsentSource: "intent", Keyword: "intent:optin", Reply: inbox.OptInReply}},
		{"yes", "", false, rules, inbox.Decision{}}, // already subscribed: an ordinary text
		{"help", "", true, rules, inbox.Decision{Keyword: "HELP", Reply: "help rule"}},
		{"info", "", false, rules, inbox.Decision{Keyword: "INFO", Reply: "help rule"}},
		{"help", "", true, nil, inbox.Decision{Keyword: "HELP", Reply: inbox.DefaultHelpReply}},
		{"what?", "help", true, rules, inbox.Decision{Keyword: "intent:help", Reply: inbox.DefaultHelpReply}},
		{"", "", false, rules, inbox.Decision{}},
	}
	for _, tt := range tests {
		got := inbox.Decide(tt.text, tt.intent, tt.optedOut, tt.rules)
		if got != tt.want {
			t.Errorf("Decide(%q, %q, optedOut=%v)=%+v, want %+v", tt.text, tt.intent, tt.optedOut, got, tt.want)
		}
	}
}

func TestParseKeywords(t *testing.T) {
	got := inbox.ParseKeywords(" hello, Hi ,,HELLO, opening  hours ")
	want := []string{"HELLO", "HI", "OPENING HOURS"}
	if len(got) != len(want) {
		t.Fatalf("ParseKeywords=%v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ParseKeywords=%v, want %v", got, want)
		}
	}
}
