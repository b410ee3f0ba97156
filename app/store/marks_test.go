package store

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/app/inbox"
)

func TestMarkWords(t *testing.T) {
	for _, tt := range []struct {
		text   string
		search string
		want   []string
		found  int
	}{
		{"Jürgen Müller", "muller", []string{"Müller"}, 1},
		{"Jürgen Müller", "MÜLL", []string{"Müller"}, 1},
		{"Jurgen Mu\u0308ller", "müller", []string{"Mu\u0308ller"}, 1}, // decomposed accent
		{"refund? Refunds, REFUND!", "refund", []string{"refund", "Refunds", "REFUND"}, 1},
		{"my parcel, my refund", "refund parcel", []string{"parcel", "refund"}, 2},
		{"<b>refund</b> & more", "refund", []string{"refund"}, 1},
		{"unrefundable", "refund", nil, 0}, // words match from their start
		{"call 555 0142", "555", []string{"555"}, 1},
		{"", "refund", nil, 0},
	} {
		marks, n := markWords(tt.text, searchTerms(tt.search))
		var got []string
		for _, m := range marks {
			got = append(got, tt.text[m.Start:m.End])
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || n != tt.found {
			t.Errorf("markWords(%q, %q)=%q (%d words), want %q (%d)", tt.text, tt.search, got, n, tt.want, tt.found)
		}
	}
}

// Marks always fall on rune boundaries, in order, inside the text, and
// cutting an excerpt keeps them so, whatever the text.
func FuzzMarkWords(f *testing.F) {
	f.Add("Jürgen Müller <script>alert(1)</script> refund", "müller refund")
	f.Add(strings.Repeat("long words before the match ", 20)+"refund and after "+strings.Repeat("x ", 100), "refund")
	f.Add("\xff\xfe mu\u0308ller", "mul")
	f.Fuzz(func(t *testing.T, text, search string) {
		marks, _ := markWords(text, searchTerms(search))
		check := func(what, text string, marks []inbox.Span) {
			end := 0
			for _, m := range marks {
				if m.Start < end || m.End <= m.Start || m.End > len(text) {
					t.Fatalf("%s: mark %+v out of order or bounds (text %d bytes)", what, m, len(text))
				}
				if !runeBoundary(text, m.Start) || !runeBoundary(text, m.End) {
					t.Fatalf("%s: mark %+v splits a character of %q", what, m, text)
				}
				end = m.End
			}
		}
		check("markWords", text, marks)
		cut, kept := cutExcerpt(text, marks)
		check("cutExcerpt", cut, kept)
	})
}

// runeBoundary reports whether i falls between two characters of s as
// Go reads them: a byte that is not UTF-8 is a character of its own, so
// "00\x80" has a boundary before the \x80 although it is not a RuneStart.
func runeBoundary(s string, i int) bool {
	for at := 0; at < len(s); {
		if at == i {
			return true
		}
		if at > i {
			return false
		}
		_, w := utf8.DecodeRuneInString(s[at:])
		at += w
	}
	return i == len(s)
}
