package inbox_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

func TestCannedReplyFill(t *testing.T) {
	r := inbox.CannedReply{Body: "Hi {{first_name}}, this is {{ my_name }}. We have {{name}} at {{phone}}. {{unknown}} stays."}
	agent := inbox.User{Name: "Ann Lee", Email: "ann@example.com"}
	tests := []struct {
		name    string
		contact inbox.Contact
		want    string
	}{
		{"named", inbox.Contact{Number: "+14155550100", Name: "Maria Lopez"}, "Hi Maria, this is Ann. We have Maria Lopez at +1 415-555-0100. {{unknown}} stays."},
		{"unnamed", inbox.Contact{Number: "+14155550100"}, "Hi there, this is Ann. We have there at +1 415-555-0100. {{unknown}} stays."},
	}
	for _, tt := range tests {
		if got := r.Fill(tt.contact, agent); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := (inbox.CannedReply{Body: "Thanks, {{my_name}}"}).Fill(inbox.Contact{}, inbox.User{Email: "sam@example.com"}); got != "Thanks, sam@example.com" {
		t.Errorf("agent without a name=%q", got)
	}
}
