package inbox_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/app/inbox"
)

// e164 is the shape of every number Parley stores as E.164: "+", a country
// code that does not start with 0, at most 15 digits in all.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

func FuzzParseE164(f *testing.F) {
	for _, s := range []string{"+1 (415) 555-0100", "+44 20 7946 0958", "+4915112345678", "+", "14155550100", "+1\u00a0415", "+٤١٥", " +1.415.555.0100 ", "+999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, err := inbox.ParseE164(raw)
		if err != nil {
			if inbox.ErrorCode(err) != inbox.EINVALID {
				t.Fatalf("ParseE164(%q) err=%v, want EINVALID", raw, err)
			}
			return
		}
		if !e164.MatchString(string(n)) {
			t.Fatalf("ParseE164(%q)=%q, not E.164", raw, n)
		}
		if again, err := inbox.ParseE164(string(n)); err != nil || again != n {
			t.Fatalf("ParseE164(%q)=%q, %v; want it unchanged", n, again, err)
		}
		// What Plivo sends back for the number parses to the same number.
		if back, err := inbox.ParseCarrierNumber(n.Carrier()); err != nil || back != n {
			t.Fatalf("ParseCarrierNumber(%q)=%q, %v; want %q", n.Carrier(), back, err, n)
		}
	})
}

func FuzzParseCarrierNumber(f *testing.F) {
	for _, s := range []string{"15306658721", "+15306658721", "12345", "ACME", "My-Shop 1", "00", "", " 447946095800 ", "\x00", "123456789", "1234567890123456789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, err := inbox.ParseCarrierNumber(raw)
		if err != nil {
			if inbox.ErrorCode(err) != inbox.EINVALID {
				t.Fatalf("ParseCarrierNumber(%q) err=%v, want EINVALID", raw, err)
			}
			return
		}
		s := string(n)
		switch {
		case n.IsE164():
			if !e164.MatchString(s) {
				t.Fatalf("ParseCarrierNumber(%q)=%q, not E.164", raw, s)
			}
		case s != strings.TrimSpace(raw):
			t.Fatalf("ParseCarrierNumber(%q)=%q: a short code or sender ID must be kept as given", raw, s)
		}
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r\n") {
			t.Fatalf("ParseCarrierNumber(%q)=%q, want clean text", raw, s)
		}
		// What it returns, it reads back unchanged. (Round trips through
		// Plivo's form are FuzzParseE164's: they hold for the valid numbers
		// Parley sends to.)
		if again, err := inbox.ParseCarrierNumber(s); err != nil || again != n {
			t.Fatalf("ParseCarrierNumber(%q)=%q, %v; want it unchanged", s, again, err)
		}
	})
}

func FuzzSegment(f *testing.F) {
	for _, s := range []string{"", "hello", "€uro [x]", "héllo ✓", "👍", strings.Repeat("a", 161), strings.Repeat("€", 77), strings.Repeat("😀", 34), "\xff\xfe", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := inbox.Segment(text)
		if s.Characters != utf8.RuneCountInString(text) {
			t.Fatalf("Characters=%d, want %d", s.Characters, utf8.RuneCountInString(text))
		}
		if s.Encoding == inbox.GSM7 && s.FirstNonGSM != 0 {
			t.Fatalf("Encoding=%s with FirstNonGSM=%q", s.Encoding, s.FirstNonGSM)
		}
		if s.Units < s.Characters || s.Units > 2*s.Characters {
			t.Fatalf("Units=%d for %d characters, want between 1 and 2 each", s.Units, s.Characters)
		}
		switch {
		case s.Units == 0 && s.Segments != 0, s.Units > 0 && s.Segments == 0:
			t.Fatalf("Segments=%d for %d units", s.Segments, s.Units)
		case s.Segments*s.PerSegment < s.Units:
			t.Fatalf("%d segments of %d cannot hold %d units", s.Segments, s.PerSegment, s.Units)
		case s.Segments > 1 && (s.Segments-1)*(s.PerSegment-1) >= s.Units:
			t.Fatalf("%d segments of %d for only %d units: one too many", s.Segments, s.PerSegment, s.Units)
		}
		// One more character never makes a text cheaper.
		if more := inbox.Segment(text + "a"); more.Segments < s.Segments {
			t.Fatalf("Segments(text+a)=%d < Segments(text)=%d", more.Segments, s.Segments)
		}
		_, err := inbox.ValidateText(text)
		control := strings.ContainsFunc(text, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f })
		if want := strings.TrimSpace(text) == "" || control || s.TooLong(); (err != nil) != want {
			t.Fatalf("ValidateText err=%v, want an error: %v", err, want)
		}
	})
}
