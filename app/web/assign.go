package web

import (
	"context"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// assigneeFromForm reads the assign action's choice: a user ID, "me", or
// "" for nobody. Errors: EINVALID.
func assigneeFromForm(c *fiber.Ctx, me inbox.User) (int64, error) {
	switch v := c.FormValue(views.AssigneeField); v {
	case views.AssignMe:
		return me.ID, nil
	case "", "0":
		return 0, nil
	default:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return 0, inbox.FieldError("assignee", "no such person")
		}
		return id, nil
	}
}

// assignmentProps is the assignee control of conv as me sees it.
func assignmentProps(me inbox.User, conv inbox.Conversation, people []inbox.User) views.AssignmentProps {
	p := views.AssignmentProps{
		ConversationID: conv.ID, Me: me, People: people,
		CanChange: inbox.MayReassign(me, conv) == nil,
	}
	for _, u := range people {
		if u.ID == conv.AssigneeID {
			p.Assignee = u
		}
	}
	return p
}

// conversationItems are list rows with their assignees' and last senders'
// names and their labels.
func conversationItems(convs []inbox.Conversation, people []inbox.User, labels []inbox.Label) []views.ConversationItem {
	names := displayNames(people)
	items := make([]views.ConversationItem, len(convs))
	for i, c := range convs {
		items[i] = views.ConversationItem{
			Conversation: c, AssigneeName: names[c.AssigneeID], SenderName: names[c.LastMessageSentBy],
			Labels: views.LabelsOf(c.LabelIDs, labels),
		}
	}
	return items
}

// listItems are the list rows of convs, with their contacts' names. It
// looks people up only when a row has an assignee or an agent's last
// message to name, and labels only when a row has one.
func (s *server) listItems(ctx context.Context, d *pageData, convs []inbox.Conversation) ([]views.ConversationItem, error) {
	var people []inbox.User
	var labels []inbox.Label
	var err error
	if slices.ContainsFunc(convs, func(c inbox.Conversation) bool { return c.AssigneeID != 0 || c.LastMessageSentBy != 0 }) {
		if people, err = d.users(); err != nil {
			return nil, err
		}
	}
	if slices.ContainsFunc(convs, func(c inbox.Conversation) bool { return len(c.LabelIDs) > 0 }) {
		if labels, err = d.labels(); err != nil {
			return nil, err
		}
	}
	items := conversationItems(convs, people, labels)
	if len(convs) == 0 {
		return items, nil
	}
	numbers := make([]inbox.Number, len(convs))
	for i, c := range convs {
		numbers[i] = c.ContactNumber
	}
	names, err := s.deps.Inbox.ContactNames(ctx, numbers)
	if err != nil {
		return nil, err
	}
	several := len(s.deps.Inbox.Numbers()) > 1
	for i := range items {
		items[i].ContactName = names[convs[i].ContactNumber]
		if several {
			items[i].Inbox = s.deps.Inbox.ChannelName(convs[i].ChannelNumber)
		}
	}
	return items, nil
}
