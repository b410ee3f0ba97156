package inbox

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxNoteLength is the longest internal note, in characters.
const MaxNoteLength = 4000

// Note is an internal note in a thread: written by an agent for the team,
// shown among the messages, and never sent to the contact.
type Note struct {
	ID             int64
	ConversationID int64
	AuthorID       int64
	Body           string
	// Mentions are the users the note names with @, in the order named.
	Mentions  []int64
	CreatedAt time.Time
}

// Mention is a note that named a user, as that user's notification.
type Mention struct {
	ID     int64
	UserID int64
	Note   Note
	ReadAt *time.Time
}

// AddNote writes an internal note on a conversation. Each person the body
// names with @ (their first name, their name without spaces, or their
// email's local part; any case) gets a mention, except the author.
//
// Errors: EINVALID (field "note") for an empty or too long body;
// ENOTFOUND; EUNAVAILABLE.
func (s *Service) AddNote(ctx context.Context, actor User, conversationID int64, body string) (Note, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return Note{}, FieldError("note", "write something first")
	}
	if n := utf8.RuneCountInString(body); n > MaxNoteLength {
		return Note{}, FieldError("note", "a note holds at most %d characters; this one has %d", MaxNoteLength, n)
	}
	people, err := s.users.ListUsers(ctx)
	if err != nil {
		return Note{}, unavailable(err)
	}
	var mentions []int64
	for _, id := range MentionedUsers(body, people) {
		if id != actor.ID {
			mentions = append(mentions, id)
		}
	}
	var note Note
	_, err = s.changeConversation(ctx, conversationID, func(ctx context.Context, tx Tx, _ *Conversation, now time.Time) ([]Event, error) {
		note = Note{ConversationID: conversationID, AuthorID: actor.ID, Body: body, Mentions: mentions, CreatedAt: now}
		if err := tx.InsertNote(ctx, &note); err != nil {
			return nil, err
		}
		return []Event{{Kind: EventNoteAdded, MessageID: note.ID}}, nil
	})
	if err != nil {
		return Note{}, err
	}
	return note, nil
}

// MentionedUsers returns the IDs of the people body names with @, each
// once, in the order first named. A person is named by their first name,
// their whole name without spaces, or their email's local part, in any
// case; "@ann." and "@ann," name Ann too. A name two people share names
// neither, so a mention never reaches the wrong person.
func MentionedUsers(body string, people []User) []int64 {
	handles := map[string][]int64{}
	for _, u := range people {
		seen := map[string]bool{}
		for _, h := range handlesOf(u) {
			if h != "" && !seen[h] {
				seen[h] = true
				handles[h] = append(handles[h], u.ID)
			}
		}
	}
	var out []int64
	named := map[int64]bool{}
	for _, word := range strings.Fields(body) {
		at := strings.IndexRune(word, '@')
		if at < 0 || (at > 0 && isHandleRune(rune(word[at-1]))) {
			continue // not a mention, or an email address in the text
		}
		h := word[at+1:]
		if end := strings.IndexFunc(h, func(r rune) bool { return !isHandleRune(r) }); end >= 0 {
			h = h[:end]
		}
		h = strings.ToLower(strings.TrimRight(h, ".-_"))
		if ids := handles[h]; len(ids) == 1 && !named[ids[0]] {
			named[ids[0]] = true
			out = append(out, ids[0])
		}
	}
	return out
}

// handlesOf are the lower-case words that name u after an @.
func handlesOf(u User) []string {
	var hs []string
	if fields := strings.Fields(u.Name); len(fields) > 0 {
		hs = append(hs, strings.ToLower(fields[0]), strings.ToLower(strings.Join(fields, "")))
	}
	if local, _, ok := strings.Cut(u.Email, "@"); ok {
		hs = append(hs, strings.ToLower(local))
	}
	return hs
}

func isHandleRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-'
}
