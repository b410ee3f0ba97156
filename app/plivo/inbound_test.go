package plivo_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
)

// wireInbound is the wire example of plivo.md §1.3, joined into one line.
const wireInbound = "From=15306658721&MessageIntent=&MessageUUID=c3959978-34ca-11ee-a537-0242ac110002&PowerpackUUID=" +
	"&Text=Your+BIKETOWN+login+code+is+824436.+Never+share+it+with+anyone.&To=12064263986" +
	"&TotalAmount=0&TotalRate=0&Type=sms&Units=1"

func TestParseInboundWire(t *testing.T) {
	form, err := parseQuery(wireInbound)
	if err != nil {
		t.Fatal(err)
	}
	got, err := plivo.ParseInbound(form)
	if err != nil {
		t.Fatalf("ParseInbound err=%v, want nil", err)
	}
	want := inbox.Inbound{
		ProviderUUID: "c3959978-34ca-11ee-a537-0242ac110002",
		From:         "+15306658721",
		To:           "+12064263986",
		Type:         "sms",
		Text:         "Your BIKETOWN login code is 824436. Never share it with anyone.",
		Units:        1,
		Raw: map[string]string{
			"From": "15306658721", "MessageIntent": "", "MessageUUID": "c3959978-34ca-11ee-a537-0242ac110002",
			"PowerpackUUID": "", "Text": "Your BIKETOWN login code is 824436. Never share it with anyone.",
			"To": "12064263986", "TotalAmount": "0", "TotalRate": "0", "Type": "sms", "Units": "1",
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseInbound=%+v, want %+v", got, want)
	}
}

// inboundForm is a valid SMS form with changes applied; a "" value deletes
// the key.
func inboundForm(changes ...string) map[string][]string {
	f := map[string][]string{
		"From": {"14155550100"}, "To": {"14155550199"}, "Type": {"sms"}, "Text": {"hello"},
		"MessageUUID": {"3d9a7a1c-5c7e-11ee-8c99-0242ac120002"}, "Units": {"1"},
	}
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			delete(f, changes[i])
		} else {
			f[changes[i]] = []string{changes[i+1]}
		}
	}
	return f
}

func TestParseInboundFields(t *testing.T) {
	long := strings.Repeat("a", 9000)
	tests := []struct {
		name  string
		form  map[string][]string
		check func(inbox.Inbound) (got, want any)
	}{
		{"short code From", inboundForm("From", "12345"), func(in inbox.Inbound) (any, any) { return in.From, inbox.Number("12345") }},
		{"alphanumeric From", inboundForm("From", "ACME"), func(in inbox.Inbound) (any, any) { return in.From, inbox.Number("ACME") }},
		{"E.164 To", inboundForm(), func(in inbox.Inbound) (any, any) { return in.To, inbox.Number("+14155550199") }},
		{"intent upper", inboundForm("MessageIntent", "OptOut"), func(in inbox.Inbound) (any, any) { return in.Intent, "optout" }},
		{"intent help", inboundForm("MessageIntent", " help "), func(in inbox.Inbound) (any, any) { return in.Intent, "help" }},
		{"intent unknown", inboundForm("MessageIntent", "STOP"), func(in inbox.Inbound) (any, any) { return in.Intent, "" }},
		{"invalid UTF-8", inboundForm("Text", "caf\xe9 \xff!"), func(in inbox.Inbound) (any, any) { return in.Text, "caf\uFFFD \uFFFD!" }},
		{"NUL stripped", inboundForm("Text", "a\x00b\x00"), func(in inbox.Inbound) (any, any) { return in.Text, "ab" }},
		{"newlines kept", inboundForm("Text", "a\r\nb\n"), func(in inbox.Inbound) (any, any) { return in.Text, "a\r\nb\n" }},
		{"MMS Body", inboundForm("Text", "", "Body", "see pic", "Type", "MMS"), func(in inbox.Inbound) (any, any) { return in.Text + "|" + in.Type, "see pic|mms" }},
		{"Text before Body", inboundForm("Body", "body"), func(in inbox.Inbound) (any, any) { return in.Text, "hello" }},
		{"Type default", inboundForm("Type", ""), func(in inbox.Inbound) (any, any) { return in.Type, "sms" }},
		{"Type garbage", inboundForm("Type", "<b>"), func(in inbox.Inbound) (any, any) { return in.Type, "sms" }},
		{"Units 3", inboundForm("Units", "3"), func(in inbox.Inbound) (any, any) { return in.Units, 3 }},
		{"Units absent", inboundForm("Units", ""), func(in inbox.Inbound) (any, any) { return in.Units, 1 }},
		{"Units garbage", inboundForm("Units", "two"), func(in inbox.Inbound) (any, any) { return in.Units, 1 }},
		{"Units zero", inboundForm("Units", "0"), func(in inbox.Inbound) (any, any) { return in.Units, 1 }},
		{"Units negative", inboundForm("Units", "-2"), func(in inbox.Inbound) (any, any) { return in.Units, 1 }},
		{"Units huge", inboundForm("Units", "99999999999"), func(in inbox.Inbound) (any, any) { return in.Units, 1 }},
		{"Raw long key skipped", inboundForm(strings.Repeat("k", 65), "v"), func(in inbox.Inbound) (any, any) { return len(in.Raw), 6 }},
		{"Raw long value cut", inboundForm("Extra", long), func(in inbox.Inbound) (any, any) { return len(in.Raw["Extra"]), 8192 }},
		{"Raw cleaned", inboundForm("Extra", "a\x00\xff"), func(in inbox.Inbound) (any, any) { return in.Raw["Extra"], "a\uFFFD" }},
		{"UUID 64 chars", inboundForm("MessageUUID", strings.Repeat("A", 64)), func(in inbox.Inbound) (any, any) { return len(in.ProviderUUID), 64 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := plivo.ParseInbound(tt.form)
			if err != nil {
				t.Fatalf("ParseInbound err=%v, want nil", err)
			}
			if got, want := tt.check(in); !reflect.DeepEqual(got, want) {
				t.Errorf("got=%v, want %v", got, want)
			}
		})
	}
}

func TestParseInboundMedia(t *testing.T) {
	mms := func(kv ...string) map[string][]string {
		f := inboundForm("Type", "mms", "Text", "", "Body", "")
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = []string{kv[i+1]}
		}
		return f
	}
	urls := func(ms []inbox.Media) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.URL)
		}
		return out
	}
	const a, b, c = "https://media.plivo.com/Account/MA/Media/a", "https://media.plivo.com/Account/MA/Media/b", "http://x.example/c.jpg"
	tests := []struct {
		name string
		form map[string][]string
		want []string
	}{
		{"base 0", mms("MediaCount", "2", "Media0", a, "Media1", b), []string{a, b}},
		{"base 1", mms("MediaCount", "2", "Media1", a, "Media2", b), []string{a, b}},
		{"numeric order", mms("Media10", c, "Media2", b, "Media1", a), []string{a, b, c}},
		{"leading zeros", mms("Media002", b, "Media1", a), []string{a, b}},
		{"not http", mms("Media1", "ftp://x/y", "Media2", "javascript:alert(1)", "Media3", "/relative", "Media4", a), []string{a}},
		{"no host", mms("Media1", "https:///x"), nil},
		{"not Media<n>", mms("Media", a, "MediaX", a, "media1", a, "Media1x", a, "MediaCount", "1"), nil},
		{"huge index", mms("Media99999999999999999999999", c, "Media5", a), []string{a, c}},
		{"trimmed", mms("Media1", "  "+a+"\n"), []string{a}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := plivo.ParseInbound(tt.form)
			if err != nil {
				t.Fatalf("ParseInbound err=%v, want nil", err)
			}
			if got := urls(in.Media); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Media=%v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseInboundErrors(t *testing.T) {
	tests := []struct {
		name      string
		form      map[string][]string
		wantField string
	}{
		{"nil form", nil, "From"},
		{"missing From", inboundForm("From", ""), "From"},
		{"blank From", inboundForm("From", "  "), "From"},
		{"empty From slice", func() map[string][]string { f := inboundForm(); f["From"] = nil; return f }(), "From"},
		{"bad From", inboundForm("From", "+1-<script>"), "From"},
		{"missing To", inboundForm("To", ""), "To"},
		{"bad To", inboundForm("To", "12"), "To"},
		{"missing MessageUUID", inboundForm("MessageUUID", ""), "MessageUUID"},
		{"UUID with space", inboundForm("MessageUUID", "abc def"), "MessageUUID"},
		{"UUID too long", inboundForm("MessageUUID", strings.Repeat("a", 65)), "MessageUUID"},
		{"UUID markup", inboundForm("MessageUUID", "<b>"), "MessageUUID"},
		{"UUID non-ASCII", inboundForm("MessageUUID", "é"), "MessageUUID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plivo.ParseInbound(tt.form)
			if code, field := inbox.ErrorCode(err), inbox.ErrorField(err); code != inbox.EINVALID || field != tt.wantField {
				t.Errorf("ParseInbound err=%v (%v, %v), want %v, %v", err, code, field, inbox.EINVALID, tt.wantField)
			}
		})
	}
}
