package inbox

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// ConversationFilter selects which conversations a list shows.
type ConversationFilter string

const (
	FilterOpen     ConversationFilter = "open"
	FilterClosed   ConversationFilter = "closed"
	FilterAll      ConversationFilter = "all"
	FilterOptedOut ConversationFilter = "opted_out"
	// FilterMine is the open conversations assigned to ConversationQuery.Me.
	FilterMine ConversationFilter = "mine"
	// FilterUnassigned is the open conversations nobody is assigned to.
	FilterUnassigned ConversationFilter = "unassigned"
	// FilterSnoozed is the open conversations snoozed at Now.
	FilterSnoozed ConversationFilter = "snoozed"
	// FilterFailed is the open conversations whose last reply failed and
	// was not sent again (Conversation.FailedReplyID), snoozed or not.
	FilterFailed ConversationFilter = "failed"
)

// Valid reports whether f is a known filter.
func (f ConversationFilter) Valid() bool {
	switch f {
	case FilterOpen, FilterClosed, FilterAll, FilterOptedOut, FilterMine, FilterUnassigned, FilterSnoozed, FilterFailed:
		return true
	}
	return false
}

// ConversationQuery asks for one page of the conversation list, newest
// activity first.
type ConversationQuery struct {
	Filter ConversationFilter
	// Search matches contact numbers (by digits) and message text (by
	// words); empty lists everything.
	Search string
	// After continues a previous page; the zero Cursor starts at the top.
	After Cursor
	Limit int
	// Me is the user asking, whose conversations FilterMine lists.
	Me int64
	// LabelID, when set, lists only conversations with that label.
	LabelID int64
	// Channel, when set, lists only conversations on that number of ours
	// (one inbox).
	Channel Number
	// Now decides which snoozes are over: the Open, Mine and Unassigned
	// lists leave out conversations snoozed past it. Service fills it in.
	Now time.Time
}

// Cursor marks a position in the conversation list (keyset pagination:
// stable while new messages arrive, and as fast on page 1,000 as on page 1).
type Cursor struct {
	LastMessageAt time.Time
	ID            int64
}

// IsZero reports whether c is the start of the list.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// String encodes c for a URL; the zero cursor is "".
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	raw := strconv.FormatInt(c.LastMessageAt.UnixMicro(), 36) + "." + strconv.FormatInt(c.ID, 36)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseCursor decodes a cursor from String. Errors: EINVALID.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, FieldError("cursor", "malformed cursor")
	}
	at, id, ok := strings.Cut(string(raw), ".")
	micros, err1 := strconv.ParseInt(at, 36, 64)
	n, err2 := strconv.ParseInt(id, 36, 64)
	if !ok || err1 != nil || err2 != nil || n <= 0 {
		return Cursor{}, FieldError("cursor", "malformed cursor")
	}
	return Cursor{LastMessageAt: time.UnixMicro(micros).UTC(), ID: n}, nil
}

// ConversationPage is one page of the list.
type ConversationPage struct {
	Conversations []Conversation
	// Next continues the list; zero when this is the last page.
	Next Cursor
}

// Normalise fills defaults and bounds: filter open (also for FilterMine
// without Me), limit 1 to 100 (50 by default), search trimmed to 100
// characters.
func (q ConversationQuery) Normalise() ConversationQuery {
	if !q.Filter.Valid() || (q.Filter == FilterMine && q.Me <= 0) {
		q.Filter = FilterOpen
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 50
	}
	q.Search = strings.TrimSpace(q.Search)
	if r := []rune(q.Search); len(r) > 100 {
		q.Search = string(r[:100])
	}
	return q
}

// SearchDigits returns the digits of a search that looks like a phone
// number ("+1 415", "(415) 555"), or "" when it has letters.
func SearchDigits(search string) string {
	var b strings.Builder
	for _, r := range search {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' || r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return ""
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return b.String()
}

// MessagePage is a slice of a thread, oldest first.
type MessagePage struct {
	Messages []Message
	// Before loads the previous (older) page; 0 when there is none.
	Before int64
	// Notes are the internal notes written in the span these messages
	// cover, oldest first.
	Notes []Note
	// Activity is what people did to the conversation in the same span,
	// oldest first.
	Activity []Activity
}
