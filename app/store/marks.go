package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/parleyhq/parley/app/inbox"
)

// markWords finds the words of text that a search's words match, the way
// search matches them (searchTerms): a word matches when, folded to lower
// case without accents, it starts with a search word. It returns their
// byte ranges in text and how many distinct search words matched.
func markWords(text string, words []string) ([]inbox.Span, int) {
	var (
		marks []inbox.Span
		found = make([]bool, len(words))
		start = -1
	)
	flush := func(end int) {
		if start < 0 {
			return
		}
		folded := foldWord(text[start:end])
		hit := false
		for i, w := range words {
			if strings.HasPrefix(folded, w) {
				found[i], hit = true, true
			}
		}
		if hit {
			marks = append(marks, inbox.Span{Start: start, End: end})
		}
		start = -1
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	n := 0
	for _, f := range found {
		if f {
			n++
		}
	}
	return marks, n
}

// foldWord is a word as searchTerms stores it: lower case, accents removed.
func foldWord(w string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Excerpt lengths, in characters: the excerpt shown, and how much of it
// comes before the first match.
const (
	excerptRunes  = 140
	excerptBefore = 40
)

// cutExcerpt cuts a long text to a stretch around its first mark, with
// "…" where it was cut, and moves the marks with it (dropping those that
// no longer fit whole).
func cutExcerpt(text string, marks []inbox.Span) (string, []inbox.Span) {
	if utf8.RuneCountInString(text) <= excerptRunes {
		return text, marks
	}
	from := 0
	if len(marks) > 0 {
		from = marks[0].Start
		for back := 0; back < excerptBefore && from > 0; back++ {
			_, size := utf8.DecodeLastRuneInString(text[:from])
			from -= size
		}
		// Start at a word if one begins close by.
		if i := strings.IndexByte(text[from:marks[0].Start], ' '); i >= 0 {
			from += i + 1
		}
	}
	to := from
	for n := 0; n < excerptRunes && to < len(text); n++ {
		_, size := utf8.DecodeRuneInString(text[to:])
		to += size
	}
	prefix, suffix := "", ""
	if from > 0 {
		prefix = "…"
	}
	if to < len(text) {
		suffix = "…"
	}
	var kept []inbox.Span
	for _, m := range marks {
		if m.Start >= from && m.End <= to {
			kept = append(kept, inbox.Span{Start: m.Start - from + len(prefix), End: m.End - from + len(prefix)})
		}
	}
	return prefix + text[from:to] + suffix, kept
}
