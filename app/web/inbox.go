package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// listQuery reads the list's filter, search and cursor from the query.
func listQuery(c *fiber.Ctx) (inbox.ConversationQuery, error) {
	after, err := inbox.ParseCursor(c.Query("cursor"))
	if err != nil {
		return inbox.ConversationQuery{}, err
	}
	me, _ := currentUser(c)
	label, err := labelParam(c)
	if err != nil {
		return inbox.ConversationQuery{}, err
	}
	var channel inbox.Number
	if v := c.Query("number"); v != "" {
		if channel, err = inbox.ParseE164(v); err != nil {
			return inbox.ConversationQuery{}, inbox.FieldError("number", "%q is not a phone number", v)
		}
	}
	filter := inbox.ConversationFilter(c.Query("filter"))
	if filter == "" && c.Query("q") != "" {
		// A search looks in every tab; its tabs' counts say where.
		filter = inbox.FilterAll
	}
	return inbox.ConversationQuery{
		Filter:  filter,
		Search:  c.Query("q"),
		After:   after,
		Me:      me.ID,
		LabelID: label,
		Channel: channel,
	}.Normalise(), nil
}

// handleInbox shows the conversation list: the whole page, or for htmx the
// list region (new filter or search) or the next rows ("Load more").
func (s *server) handleInbox(c *fiber.Ctx) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	list, err := s.listProps(c, q)
	if err != nil {
		return err
	}
	if isHTMX(c) && c.Path() != "/" {
		if !q.After.IsZero() {
			return s.render(c, fiber.StatusOK, views.ConversationRows(list))
		}
		return s.render(c, fiber.StatusOK, views.ConversationList(list))
	}
	return s.renderInboxPage(c, list, nil)
}

// listProps is the conversation list as q selects it: its rows, the
// filters around them and the cursor for more. The inbox and a thread's
// full page both show it.
func (s *server) listProps(c *fiber.Ctx, q inbox.ConversationQuery) (views.ConversationListProps, error) {
	page, err := s.deps.Inbox.ListConversations(c.UserContext(), q)
	if err != nil {
		return views.ConversationListProps{}, err
	}
	labels, err := s.page(c).labels()
	if err != nil {
		return views.ConversationListProps{}, err
	}
	items, err := s.listItems(c.UserContext(), s.page(c), page.Conversations)
	if err != nil {
		return views.ConversationListProps{}, err
	}
	list := views.ConversationListProps{
		Conversations: items, Filter: string(q.Filter),
		Query: q.Search, NextCursor: page.Next.String(), Label: q.LabelID, Labels: labels,
		Number: string(q.Channel), Channels: s.deps.Inbox.Channels(), Development: s.opts.Development,
	}
	if err := s.withSearch(c.UserContext(), q, &list); err != nil {
		return views.ConversationListProps{}, err
	}
	return list, nil
}

// renderInboxPage renders the whole inbox, with a thread open or not.
func (s *server) renderInboxPage(c *fiber.Ctx, list views.ConversationListProps, thread *views.ThreadProps) error {
	// The Open tab's unread count is the title's unless the tabs count a
	// search, or one label or inbox.
	unread := list.Counts.Open
	if list.Counts.Search || list.Label != 0 || list.Number != "" {
		var err error
		if unread, err = s.deps.Inbox.UnreadConversations(c.UserContext()); err != nil {
			return err
		}
	}
	return s.render(c, fiber.StatusOK, views.InboxPage(views.InboxProps{
		Conversations: list.Conversations, Filter: list.Filter, Query: list.Query,
		NextCursor: list.NextCursor, Selected: thread, Unread: unread, EventsURL: s.eventsURL(c.UserContext()),
		Label: list.Label, Labels: list.Labels, Number: list.Number, Channels: s.deps.Inbox.Channels(),
		Development: s.opts.Development,
		Counts:      list.Counts,
	}))
}
