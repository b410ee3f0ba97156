package inbox_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

func TestSegment(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		encoding inbox.Encoding
		units    int
		segments int
		nonGSM   rune
	}{
		{"empty", "", inbox.GSM7, 0, 0, 0},
		{"one char", "a", inbox.GSM7, 1, 1, 0},
		{"160 gsm", strings.Repeat("a", 160), inbox.GSM7, 160, 1, 0},
		{"161 gsm", strings.Repeat("a", 161), inbox.GSM7, 161, 2, 0},
		{"306 gsm", strings.Repeat("a", 306), inbox.GSM7, 306, 2, 0},
		{"307 gsm", strings.Repeat("a", 307), inbox.GSM7, 307, 3, 0},
		{"extension counts two", "€", inbox.GSM7, 2, 1, 0},
		{"80 euros fill one", strings.Repeat("€", 80), inbox.GSM7, 160, 1, 0},
		{"escape pair not split", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 10), inbox.GSM7, 164, 2, 0},
		{"escape at boundary moves", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), inbox.GSM7, 306, 3, 0},
		{"gsm accents", "Ça été ñ ü Δ", inbox.GSM7, 12, 1, 0},
		{"smart quote forces ucs2", "it’s", inbox.UCS2, 4, 1, '’'},
		{"NUL is not GSM and is counted", "a\x00b", inbox.UCS2, 3, 1, 0},
		{"70 ucs2", strings.Repeat("é", 69) + "ç", inbox.UCS2, 70, 1, 'ç'},
		{"71 ucs2", "ç" + strings.Repeat("a", 70), inbox.UCS2, 71, 2, 'ç'},
		{"134 ucs2", "ç" + strings.Repeat("a", 133), inbox.UCS2, 134, 2, 'ç'},
		{"135 ucs2", "ç" + strings.Repeat("a", 134), inbox.UCS2, 135, 3, 'ç'},
		{"emoji is two units", "hi 👋", inbox.UCS2, 5, 1, '👋'},
		{"surrogate pair not split", strings.Repeat("a", 66) + "👋" + strings.Repeat("a", 10), inbox.UCS2, 78, 2, '👋'},
		{"surrogate at boundary moves", "ç" + strings.Repeat("a", 65) + "👋" + strings.Repeat("a", 66), inbox.UCS2, 134, 3, 'ç'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := inbox.Segment(tt.text)
			if s.Encoding != tt.encoding || s.Units != tt.units || s.Segments != tt.segments || s.FirstNonGSM != tt.nonGSM {
				t.Fatalf("Segment=%s/%d units/%d segments/first %q, want %s/%d/%d/%q",
					s.Encoding, s.Units, s.Segments, s.FirstNonGSM, tt.encoding, tt.units, tt.segments, tt.nonGSM)
			}
		})
	}
}

func TestSegmentNamesEveryNonGSMCharacter(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"plain", ""},
		{"Olá, você está aí? á", "áêí"},
		{"Ça été ñ ü", ""},
		{"“quoted” it’s 👋", "“”’👋"},
		{"ąćęłńóśźż", "ąćęłńó"}, // capped one past what is named
	}
	for _, tt := range tests {
		if got := string(inbox.Segment(tt.text).NonGSM); got != tt.want {
			t.Errorf("Segment(%q).NonGSM=%q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestValidateText(t *testing.T) {
	tests := []struct {
		name string
		text string
		ok   bool
	}{
		{"normal", "Your order has shipped.", true},
		{"blank", "   \n", false},
		{"1600 gsm", strings.Repeat("a", 1600), true},
		{"1601 gsm", strings.Repeat("a", 1601), false},
		{"737 ucs2", "ç" + strings.Repeat("a", 736), true},
		{"738 ucs2", "ç" + strings.Repeat("a", 737), false},
		{"tabs and line breaks", "a\tb\r\nc", true},
		{"NUL", "a\x00b", false},
		{"ESC", "\x1b[31mred", false},
		{"DEL", "a\x7f", false},
	}
	for _, tt := range tests {
		_, err := inbox.ValidateText(tt.text)
		if (err == nil) != tt.ok {
			t.Errorf("%s: ValidateText err=%v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && inbox.ErrorField(err) != "text" {
			t.Errorf("%s: field=%q, want text", tt.name, inbox.ErrorField(err))
		}
	}
}
