package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
)

// apiListMessages is GET /conversations/:id/messages: the thread, newest
// page first; each page oldest first, and next_cursor goes further back.
func (s *server) apiListMessages(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	before, err := parseMessageCursor(c.Query("cursor"))
	if err != nil {
		return err
	}
	limit, err := apiLimit(c, inbox.ThreadPageSize, inbox.MaxMessagePage)
	if err != nil {
		return err
	}
	page, err := s.deps.Inbox.MessagesBefore(c.UserContext(), id, before, limit)
	if err != nil {
		return err
	}
	items := make([]inbox.MessageJSON, len(page.Messages))
	for i, m := range page.Messages {
		items[i] = inbox.NewMessageJSON(m)
	}
	return apiJSON(c, fiber.StatusOK, newAPIList(items, messageCursor(page.Before)))
}

// apiReplyRequest is the body of POST /conversations/:id/messages.
type apiReplyRequest struct {
	Text      string   `json:"text"`
	MediaURLs []string `json:"media_urls"`
}

// apiSendReply queues a reply in a conversation, under the composer's
// rules: consent, blocking, length and segments, media, the sender's
// rate limits. 202: the outbox sends it.
func (s *server) apiSendReply(c *fiber.Ctx) error {
	id, err := apiID(c, "id")
	if err != nil {
		return err
	}
	req := apiBody[*apiReplyRequest](c)
	u, _ := currentUser(c)
	ctx := c.UserContext()
	var m inbox.Message
	if len(req.MediaURLs) == 0 {
		m, err = s.deps.Inbox.SendReply(ctx, u, id, req.Text)
	} else {
		var conv inbox.Conversation
		if conv, err = s.deps.Inbox.FindConversation(ctx, id); err != nil {
			return err
		}
		m, err = s.deps.Inbox.SendTo(ctx, u, inbox.Outgoing{
			To: string(conv.ContactNumber), From: string(conv.ChannelNumber), Text: req.Text, MediaURLs: req.MediaURLs,
		})
	}
	if err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusAccepted, inbox.NewMessageJSON(m))
}

// apiSendMessage is POST /messages: a message to any number, in the
// conversation with it (started if there is none).
func (s *server) apiSendMessage(c *fiber.Ctx) error {
	req := apiBody[*apiSendRequest](c)
	u, _ := currentUser(c)
	m, err := s.deps.Inbox.SendTo(c.UserContext(), u, inbox.Outgoing{
		To: req.To, From: req.From, Text: req.Text, MediaURLs: req.MediaURLs,
	})
	if err != nil {
		return err
	}
	return apiJSON(c, fiber.StatusAccepted, inbox.NewMessageJSON(m))
}
