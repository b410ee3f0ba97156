package inbox_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

func TestContactNormalise(t *testing.T) {
	f := func(kv ...string) []inbox.ContactField {
		var out []inbox.ContactField
		for i := 0; i < len(kv); i += 2 {
			out = append(out, inbox.ContactField{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name   string
		in     inbox.Contact
		want   inbox.Contact
		field  string
		errMsg string
	}{
		{"tidied", inbox.Contact{Name: "  Maria   Lopez ", Notes: " prefers texts \n", Fields: f(" Order ", " 1234 ", "", "", "Plan", "Gold")},
			inbox.Contact{Name: "Maria Lopez", Notes: "prefers texts", Fields: f("Order", "1234", "Plan", "Gold")}, "", ""},
		{"empty", inbox.Contact{}, inbox.Contact{}, "", ""},
		{"value without a key", inbox.Contact{Fields: f("", "1234")}, inbox.Contact{}, "fields", `give the field with "1234" a name`},
		{"key twice, any case", inbox.Contact{Fields: f("Order", "1", "order", "2")}, inbox.Contact{}, "fields", "order appears twice"},
		{"long name", inbox.Contact{Name: strings.Repeat("a", inbox.MaxContactName+1)}, inbox.Contact{}, "name", ""},
		{"long notes", inbox.Contact{Notes: strings.Repeat("a", inbox.MaxContactNotes+1)}, inbox.Contact{}, "notes", ""},
		{"long value", inbox.Contact{Fields: f("k", strings.Repeat("v", inbox.MaxFieldValue+1))}, inbox.Contact{}, "fields", ""},
	}
	for _, tt := range tests {
		got, err := tt.in.Normalise()
		if inbox.ErrorField(err) != tt.field || (tt.errMsg != "" && inbox.ErrorMessage(err) != tt.errMsg) {
			t.Errorf("%s: err=%v, want field %q %q", tt.name, err, tt.field, tt.errMsg)
			continue
		}
		if err == nil && fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
	many := make([]inbox.ContactField, inbox.MaxContactFields+1)
	for i := range many {
		many[i] = inbox.ContactField{Key: fmt.Sprint("k", i), Value: "v"}
	}
	if _, err := (inbox.Contact{Fields: many}).Normalise(); inbox.ErrorField(err) != "fields" {
		t.Errorf("too many fields: err=%v", err)
	}
}
