package inbox_test

import (
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

func TestParseCarrierNumber(t *testing.T) {
	tests := []struct {
		raw     string
		want    inbox.Number
		wantErr bool
	}{
		{"15306658721", "+15306658721", false},
		{"+15306658721", "+15306658721", false},
		{" 447911123456 ", "+447911123456", false},
		{"12345", "12345", false},        // short code
		{"49201000", "+49201000", false}, // a whole German number, not a short code
		{"10000000", "10000000", false},  // not a valid number: a short code
		{"PLIVO", "PLIVO", false},        // alphanumeric sender
		{"My Shop", "My Shop", false},    // alphanumeric with a space
		{"1415555010", "", true},         // too short for +1
		{"99912345678", "", true},        // no such country code
		{"", "", true},
		{"<script>", "", true},
		{"ABCDEFGHIJKL", "", true}, // 12 characters: too long for a sender ID
	}
	for _, tt := range tests {
		got, err := inbox.ParseCarrierNumber(tt.raw)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseCarrierNumber(%q)=%q, %v, want %q (error %v)", tt.raw, got, err, tt.want, tt.wantErr)
		}
		if err != nil && inbox.ErrorCode(err) != inbox.EINVALID {
			t.Errorf("ParseCarrierNumber(%q) code=%s, want %s", tt.raw, inbox.ErrorCode(err), inbox.EINVALID)
		}
	}
}

func TestParseE164(t *testing.T) {
	tests := []struct {
		raw     string
		want    inbox.Number
		wantErr bool
	}{
		{"+1 (415) 555-0100", "+14155550100", false},
		{"+44 7911 123456", "+447911123456", false},
		{"+33.6.12.34.56.78", "+33612345678", false},
		{"4155550100", "", true},     // no country code
		{"+1 415 555 010", "", true}, // too short
		{"+4479111234", "", true},    // possible length, not valid
		{"+1 415 555 0100 ext 3", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := inbox.ParseE164(tt.raw)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseE164(%q)=%q, %v, want %q (error %v)", tt.raw, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestNumberForms(t *testing.T) {
	n := inbox.Number("+14155550100")
	if got := n.Carrier(); got != "14155550100" {
		t.Errorf("Carrier()=%q, want 14155550100", got)
	}
	if got := n.Display(); got != "+1 415-555-0100" {
		t.Errorf("Display()=%q, want +1 415-555-0100", got)
	}
	if got := n.Region(); got != "US" {
		t.Errorf("Region()=%q, want US", got)
	}
	if got := inbox.Number("12345").Display(); got != "12345" {
		t.Errorf("short code Display()=%q, want 12345", got)
	}
}
