package inbox

import (
	"context"
	"time"
)

// TabCounts are the numbers shown on the list's tabs. Without a search
// they count unread conversations in Open, Mine and Unassigned (the tabs
// that hold work), from one index; with a search they count the
// conversations matching it in every tab.
type TabCounts struct {
	// Search is set when the counts are of a search's matches.
	Search                                                 bool
	Open, Mine, Unassigned, Snoozed, Closed, OptedOut, All int
	// AtLeast is set when a search matched more conversations than are
	// counted (SearchCountLimit): each count is then a lower bound.
	AtLeast bool
}

// SearchCountLimit is how many matching conversations a search counts
// into its tabs before it says "at least".
const SearchCountLimit = 1000

// Of returns the count shown on filter f's tab, and whether that tab shows
// one at all.
func (c TabCounts) Of(f ConversationFilter) (int, bool) {
	switch f {
	case FilterOpen:
		return c.Open, true
	case FilterMine:
		return c.Mine, true
	case FilterUnassigned:
		return c.Unassigned, true
	}
	if !c.Search {
		return 0, false
	}
	switch f {
	case FilterSnoozed:
		return c.Snoozed, true
	case FilterClosed:
		return c.Closed, true
	case FilterOptedOut:
		return c.OptedOut, true
	case FilterAll:
		return c.All, true
	}
	return 0, false
}

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// ExcerptSource says where a search's excerpt was found.
type ExcerptSource string

const (
	ExcerptMessage      ExcerptSource = "message"
	ExcerptNote         ExcerptSource = "note"
	ExcerptContactNotes ExcerptSource = "contact_notes"
)

// SearchExcerpt is what a search matched in one conversation: a stretch of
// a message or note, or of the contact's notes, with the matched words
// marked, and the marks in the contact's name when the name matched.
type SearchExcerpt struct {
	Source ExcerptSource
	// Text is the excerpt (possibly cut, with "…" at a cut end); Marks are
	// the matched words in it, in order, not overlapping.
	Text  string
	Marks []Span
	At    time.Time
	// NameMarks mark the matched words in the contact's name.
	NameMarks []Span
}

// SearchExcerpts returns, for each conversation of ids that a search
// matched in its texts, notes or contact, what it matched. A conversation
// matched by its number alone has no excerpt.
//
// Errors: EUNAVAILABLE.
func (s *Service) SearchExcerpts(ctx context.Context, search string, ids []int64) (map[int64]SearchExcerpt, error) {
	q := ConversationQuery{Search: search}.Normalise()
	if q.Search == "" || len(ids) == 0 {
		return map[int64]SearchExcerpt{}, nil
	}
	ex, err := s.store.SearchExcerpts(ctx, q.Search, ids)
	if err != nil {
		return nil, unavailable(err)
	}
	return ex, nil
}

// CountTabs counts what the list's tabs show for q (its filter and cursor
// aside): unread conversations, or a search's matches per tab.
//
// Errors: EUNAVAILABLE.
func (s *Service) CountTabs(ctx context.Context, q ConversationQuery) (TabCounts, error) {
	q.Now = s.now()
	c, err := s.store.CountTabs(ctx, q.Normalise())
	if err != nil {
		return TabCounts{}, unavailable(err)
	}
	return c, nil
}
