package views

import (
	"strings"

	"github.com/parleyhq/parley/app/inbox"
)

// markedPart is a stretch of text, matched by a search or not.
type markedPart struct {
	Text string
	Mark bool
}

// markedParts splits text at marks for rendering (templ escapes each part,
// so a text's own markup shows as text). Marks out of order, overlapping or
// outside text are ignored.
func markedParts(text string, marks []inbox.Span) []markedPart {
	var parts []markedPart
	at := 0
	for _, m := range marks {
		if m.Start < at || m.End <= m.Start || m.End > len(text) {
			continue
		}
		if m.Start > at {
			parts = append(parts, markedPart{Text: text[at:m.Start]})
		}
		parts = append(parts, markedPart{Text: text[m.Start:m.End], Mark: true})
		at = m.End
	}
	if at < len(text) {
		parts = append(parts, markedPart{Text: text[at:]})
	}
	return parts
}

// numberMarks marks where a search's digits appear in a number as shown
// in the list (E.164: the digits are contiguous after the "+").
func numberMarks(number, search string) []inbox.Span {
	d := inbox.SearchDigits(search)
	if d == "" {
		return nil
	}
	i := strings.Index(number, d)
	if i < 0 {
		return nil
	}
	return []inbox.Span{{Start: i, End: i + len(d)}}
}

// excerptLabel names where an excerpt comes from, when not a text.
func excerptLabel(s inbox.ExcerptSource) string {
	switch s {
	case inbox.ExcerptNote:
		return "Note:"
	case inbox.ExcerptContactNotes:
		return "Contact notes:"
	}
	return ""
}

// tabCount is the number a tab shows, "" for none: a search's matches
// ("1,000+" past the count's limit), or unread conversations when any.
func tabCount(c inbox.TabCounts, f string) string {
	n, ok := c.Of(inbox.ConversationFilter(f))
	switch {
	case !ok || (!c.Search && n == 0):
		return ""
	case c.AtLeast:
		return thousands(n) + "+"
	}
	return thousands(n)
}

// tabCountTitle says what a tab's number counts, for its tooltip and
// screen readers.
func tabCountTitle(c inbox.TabCounts) string {
	if c.Search {
		return "matching conversations"
	}
	return "unread conversations"
}

// summaryFilters are the tabs a search found something in, in tab order,
// All left out (it is their sum) and Mine and Unassigned (part of Open).
func summaryFilters(c inbox.TabCounts) []string {
	var out []string
	for _, f := range []string{FilterOpen, FilterSnoozed, FilterClosed, FilterOptedOut} {
		if n, _ := c.Of(inbox.ConversationFilter(f)); n > 0 {
			out = append(out, f)
		}
	}
	return out
}

// isLiveTab reports whether f is one of liveTabs.
func isLiveTab(f string) bool {
	for _, l := range liveTabs {
		if f == l {
			return true
		}
	}
	return false
}
