package views

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/app/inbox"
)

// NoteItem is one internal note of a thread.
type NoteItem struct {
	Note inbox.Note
	// AuthorName names who wrote it, if known.
	AuthorName string
}

// NoteComposerProps is the form that adds a note to a thread.
type NoteComposerProps struct {
	ConversationID int64
	// Text is the draft, kept after a refused note; Error says why.
	Text  string
	Error string
}

// MentionItem is one mention in the mentions list.
type MentionItem struct {
	Mention    inbox.Mention
	AuthorName string
	// Conversation is the one the note was written on; ContactName its
	// contact's name, if known.
	Conversation inbox.Conversation
}

// MentionsProps is the mentions screen: the newest notes that named the
// viewer, unread ones marked.
type MentionsProps struct {
	Mentions []MentionItem
	Unread   int
	// EventsURL connects the page to the live feed (LayoutProps).
	EventsURL string
}

// threadEntry is a message or a note, for showing both in time order.
type threadEntry struct {
	msg  *MessageItem
	note *NoteItem
	act  *ActivityItem
}

func (e threadEntry) at() time.Time {
	if e.note != nil {
		return e.note.Note.CreatedAt
	}
	if e.act != nil {
		return e.act.Activity.At
	}
	return e.msg.Message.CreatedAt
}

// threadEntries merges messages and notes, each oldest first, into one
// list oldest first; a note written at a message's instant follows it.
func threadEntries(msgs []MessageItem, notes []NoteItem) []threadEntry {
	out := make([]threadEntry, 0, len(msgs)+len(notes))
	i, j := 0, 0
	for i < len(msgs) || j < len(notes) {
		if j == len(notes) || (i < len(msgs) && !notes[j].Note.CreatedAt.Before(msgs[i].Message.CreatedAt)) {
			out = append(out, threadEntry{msg: &msgs[i]})
			i++
		} else {
			out = append(out, threadEntry{note: &notes[j]})
			j++
		}
	}
	return out
}

// withActivity merges activity lines, oldest first, into entries; a line
// made at an entry's instant follows it.
func withActivity(entries []threadEntry, acts []ActivityItem) []threadEntry {
	if len(acts) == 0 {
		return entries
	}
	out := make([]threadEntry, 0, len(entries)+len(acts))
	i, j := 0, 0
	for i < len(entries) || j < len(acts) {
		if j == len(acts) || (i < len(entries) && !acts[j].Activity.At.Before(entries[i].at())) {
			out = append(out, entries[i])
			i++
		} else {
			out = append(out, threadEntry{act: &acts[j]})
			j++
		}
	}
	return out
}

// followsEntry reports whether entry i continues a run of messages from the
// same side (see follows); a note breaks the run.
func followsEntry(entries []threadEntry, i int) bool {
	if i == 0 || entries[i].msg == nil || entries[i-1].msg == nil {
		return false
	}
	return follows(entries[i-1].msg.Message, entries[i].msg.Message)
}

// textPart is a run of a note's text, marked when it is an @mention.
type textPart struct {
	text    string
	mention bool
}

// mentionParts splits a note's body so @mentions can be shown apart. It
// marks what looks like a mention; whom it reached is the server's
// business (inbox.MentionedUsers).
func mentionParts(body string) []textPart {
	var parts []textPart
	rest := body
	for {
		at := strings.IndexRune(rest, '@')
		if at < 0 {
			break
		}
		if before, _ := utf8.DecodeLastRuneInString(rest[:at]); at > 0 && isWordRune(before) {
			parts = append(parts, textPart{text: rest[:at+1]})
			rest = rest[at+1:]
			continue
		}
		end := at + 1
		for end < len(rest) {
			r, size := utf8.DecodeRuneInString(rest[end:])
			if !isWordRune(r) && r != '.' && r != '_' && r != '-' {
				break
			}
			end += size
		}
		for end > at+1 && strings.ContainsRune(".-_", rune(rest[end-1])) {
			end--
		}
		if end == at+1 {
			parts = append(parts, textPart{text: rest[:end]})
		} else {
			parts = append(parts, textPart{text: rest[:at]}, textPart{text: rest[at:end], mention: true})
		}
		rest = rest[end:]
	}
	return append(parts, textPart{text: rest})
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
