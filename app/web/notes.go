package web

import (
	"context"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// handleNoteAdd adds an internal note to a thread: for htmx an empty note
// form and the note appended out of band, or the form with the reason and
// the draft (422); otherwise back to the thread.
func (s *server) handleNoteAdd(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	text := c.FormValue("text")
	n, err := s.deps.Inbox.AddNote(c.UserContext(), u, id, text)
	if err != nil {
		if inbox.ErrorCode(err) != inbox.EINVALID || !isHTMX(c) {
			return err
		}
		return s.render(c, fiber.StatusUnprocessableEntity, views.NoteComposer(views.NoteComposerProps{
			ConversationID: id, Text: text, Error: inbox.ErrorMessage(err),
		}))
	}
	if !isHTMX(c) {
		return c.Redirect(views.ThreadURL(id), fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, views.NoteAdded(views.NoteComposerProps{ConversationID: id},
		views.NoteItem{Note: n, AuthorName: u.DisplayName()}))
}

// handleMentions shows the newest notes that named the signed-in user.
func (s *server) handleMentions(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u, _ := currentUser(c)
	ms, err := s.deps.Inbox.Mentions(ctx, u, false)
	if err != nil {
		return err
	}
	names, err := s.page(c).names()
	if err != nil {
		return err
	}
	convs := map[int64]inbox.Conversation{}
	p := views.MentionsProps{Mentions: make([]views.MentionItem, 0, len(ms)), EventsURL: s.eventsURL(ctx)}
	for _, m := range ms {
		id := m.Note.ConversationID
		if _, ok := convs[id]; !ok {
			conv, err := s.deps.Inbox.FindConversation(ctx, id)
			if err != nil {
				return err
			}
			convs[id] = conv
		}
		if m.ReadAt == nil {
			p.Unread++
		}
		p.Mentions = append(p.Mentions, views.MentionItem{Mention: m, AuthorName: names[m.Note.AuthorID], Conversation: convs[id]})
	}
	return s.render(c, fiber.StatusOK, views.MentionsPage(p))
}

// handleMentionsBadge is the header's mentions link with the unread count.
func (s *server) handleMentionsBadge(c *fiber.Ctx) error {
	u, _ := currentUser(c)
	n, err := s.deps.Inbox.CountUnreadMentions(c.UserContext(), u)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.MentionsBadge(n))
}

// readMentions marks the user's mentions in a conversation read, as
// opening it does; when there were some, it returns the header badge to
// send along out of band (nil otherwise).
func (s *server) readMentions(ctx context.Context, u inbox.User, conversationID int64) (templ.Component, error) {
	marked, err := s.deps.Inbox.MarkMentionsRead(ctx, u, conversationID)
	if err != nil || marked == 0 {
		return nil, err
	}
	n, err := s.deps.Inbox.CountUnreadMentions(ctx, u)
	if err != nil {
		return nil, err
	}
	return views.MentionsBadgeOOB(n), nil
}

func noteItems(notes []inbox.Note, names map[int64]string) []views.NoteItem {
	items := make([]views.NoteItem, len(notes))
	for i, n := range notes {
		items[i] = views.NoteItem{Note: n, AuthorName: names[n.AuthorID]}
	}
	return items
}
