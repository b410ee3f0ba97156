package web

import (
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, inbox.Errorf(inbox.ENOTFOUND, "no such %s", name)
	}
	return id, nil
}

// handleThread opens a conversation: the thread alone for htmx (with its
// list row refreshed out of band), or the whole inbox with it open.
func (s *server) handleThread(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	th, err := s.deps.Inbox.OpenThread(c.UserContext(), id)
	if err != nil {
		return err
	}
	me, _ := currentUser(c)
	badge, err := s.readMentions(c.UserContext(), me, id)
	if err != nil {
		return err
	}
	props, err := s.threadProps(c, th)
	if err != nil {
		return err
	}
	if isHTMX(c) {
		if badge != nil {
			return s.render(c, fiber.StatusOK, templ.Join(views.ThreadPartial(props), badge))
		}
		return s.render(c, fiber.StatusOK, views.ThreadPartial(props))
	}
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	list, err := s.listProps(c, q)
	if err != nil {
		return err
	}
	list.SelectedID = id
	props.Filter = string(q.Filter)
	return s.renderInboxPage(c, list, &props)
}

// handleThreadHeader answers a page that has a conversation open and was
// told by the live feed that it changed: its header, as things are now.
// It marks nothing read.
func (s *server) handleThreadHeader(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	conv, err := s.deps.Inbox.FindConversation(c.UserContext(), id)
	if err != nil {
		return err
	}
	props, err := s.headerProps(c, conv)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.ThreadHeader(props))
}

func (s *server) threadProps(c *fiber.Ctx, th inbox.Thread) (views.ThreadProps, error) {
	p, err := s.headerProps(c, th.Conversation)
	if err != nil {
		return views.ThreadProps{}, err
	}
	names, err := s.page(c).names()
	if err != nil {
		return views.ThreadProps{}, err
	}
	me, _ := currentUser(c)
	if p.Canned, err = s.cannedChoices(c.UserContext(), p.Contact, me); err != nil {
		return views.ThreadProps{}, err
	}
	p.Messages, p.Notes = messageItems(th.Messages.Messages, names), noteItems(th.Messages.Notes, names)
	p.Activity = activityItems(th.Messages.Activity, names)
	p.Consent, p.ConsentActors, p.OlderCursor = th.Consent, names, beforeCursor(th.Messages.Before)
	list, err := s.scheduledList(c.UserContext(), s.page(c), th.Conversation)
	p.Scheduled = list.Items
	return p, err
}

// headerProps is what a thread's header shows: the conversation with its
// labels, contact, assignee and inbox.
func (s *server) headerProps(c *fiber.Ctx, conv inbox.Conversation) (views.ThreadProps, error) {
	users, err := s.page(c).users()
	if err != nil {
		return views.ThreadProps{}, err
	}
	labels, err := s.page(c).labels()
	if err != nil {
		return views.ThreadProps{}, err
	}
	contact, err := s.deps.Inbox.FindContact(c.UserContext(), conv.ContactNumber)
	if err != nil {
		return views.ThreadProps{}, err
	}
	me, _ := currentUser(c)
	p := views.ThreadProps{
		Conversation: conv, Contact: contact, ContactName: contact.Name,
		Labels:     views.ThreadLabelsProps{On: views.LabelsOf(conv.LabelIDs, labels), All: labels},
		Assignment: assignmentProps(me, conv, users),
	}
	if len(s.deps.Inbox.Numbers()) > 1 {
		p.Inbox = s.deps.Inbox.ChannelName(conv.ChannelNumber)
	}
	return p, nil
}

func beforeCursor(before int64) string {
	if before == 0 {
		return ""
	}
	return strconv.FormatInt(before, 10)
}

func displayNames(users []inbox.User) map[int64]string {
	names := make(map[int64]string, len(users))
	for _, u := range users {
		names[u.ID] = u.DisplayName()
	}
	return names
}

func messageItems(msgs []inbox.Message, names map[int64]string) []views.MessageItem {
	items := make([]views.MessageItem, len(msgs))
	for i, m := range msgs {
		items[i] = messageItem(m, names)
	}
	return items
}

// handleOlderMessages loads the page of a thread before a message.
func (s *server) handleOlderMessages(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	before, err := strconv.ParseInt(c.Query("before"), 10, 64)
	if err != nil || before <= 0 {
		return inbox.FieldError("before", "malformed cursor")
	}
	page, err := s.deps.Inbox.OlderMessages(c.UserContext(), id, before)
	if err != nil {
		return err
	}
	names, err := s.page(c).names()
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.OlderMessages(views.OlderMessagesProps{
		ConversationID: id, Messages: messageItems(page.Messages, names), OlderCursor: beforeCursor(page.Before),
		Notes: noteItems(page.Notes, names), Activity: activityItems(page.Activity, names),
	}))
}

// handleThreadAction closes, reopens, blocks or unblocks a conversation, or
// opts its contact out or in by hand, then shows the thread again.
func (s *server) handleThreadAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	ctx := c.UserContext()
	switch c.Params("action") {
	case views.ActionClose:
		return s.handleClose(c, id)
	case views.ActionReopen, views.ActionUnblock:
		_, err = s.deps.Inbox.SetConversationStatus(ctx, u, id, inbox.ConversationOpen)
	case views.ActionBlock:
		_, err = s.deps.Inbox.SetConversationStatus(ctx, u, id, inbox.ConversationBlocked)
	case views.ActionOptOut:
		_, err = s.deps.Inbox.SetConsentByAgent(ctx, u, id, true)
	case views.ActionOptIn:
		_, err = s.deps.Inbox.OptInByHand(ctx, u, id, c.FormValue(views.OptInReasonField))
		if inbox.ErrorCode(err) == inbox.EINVALID {
			return unprocessable{err}
		}
	case views.ActionSnooze:
		var d time.Duration
		if d, err = time.ParseDuration(c.FormValue(views.SnoozeField)); err != nil {
			return inbox.FieldError("until", "pick how long to snooze")
		}
		_, err = s.deps.Inbox.SnoozeConversation(ctx, u, id, d)
	case views.ActionWake:
		_, err = s.deps.Inbox.WakeConversation(ctx, u, id)
	case views.ActionLabel:
		var label int64
		if label, err = labelFromForm(c); err == nil {
			_, err = s.deps.Inbox.SetConversationLabel(ctx, u, id, label, c.FormValue("on") == "true")
		}
	case views.ActionAssign:
		var to int64
		if to, err = assigneeFromForm(c, u); err == nil {
			_, err = s.deps.Inbox.AssignConversation(ctx, u, id, to)
		}
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(views.ThreadURL(id), fiber.StatusSeeOther)
	}
	th, err := s.deps.Inbox.OpenThread(ctx, id)
	if err != nil {
		return err
	}
	props, err := s.threadProps(c, th)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, views.ThreadPartial(props))
}
