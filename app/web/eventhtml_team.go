package web

import (
	"context"
	"slices"

	"github.com/a-h/templ"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// teamEventParts renders the events of team work (assignment) as
// out-of-band fragments; nil for kinds it does not know, and for a
// conversation that no longer exists.
func (s *server) teamEventParts(ctx context.Context, d *pageData, e inbox.Event) ([]templ.Component, error) {
	switch e.Kind {
	case inbox.EventConversationAssigned:
		conv, err := s.deps.Inbox.FindConversation(ctx, e.ConversationID)
		if err != nil {
			return nil, skipMissing(err)
		}
		people, err := d.users()
		if err != nil {
			return nil, err
		}
		me, _ := views.CurrentUser(ctx)
		items, err := s.listItems(ctx, d, []inbox.Conversation{conv})
		if err != nil {
			return nil, err
		}
		// An unread conversation moves between Mine and Unassigned.
		counts, err := s.viewerTabCounts(ctx)
		if err != nil {
			return nil, err
		}
		row := items[0]
		return []templ.Component{
			views.ConversationRowOOB(row, false),
			views.AssignmentOOB(assignmentProps(me, conv, people)),
			views.TabCountsOOB(counts),
		}, nil
	case inbox.EventNoteAdded:
		return s.noteEventParts(ctx, d, e)
	case inbox.EventContactUpdated:
		conv, err := s.deps.Inbox.FindConversation(ctx, e.ConversationID)
		if err != nil {
			return nil, skipMissing(err)
		}
		items, err := s.listItems(ctx, d, []inbox.Conversation{conv})
		if err != nil {
			return nil, err
		}
		return []templ.Component{views.ConversationRowOOB(items[0], false), views.ThreadTitleOOB(conv.ID, items[0].Title())}, nil
	case inbox.EventConversationLabeled:
		conv, err := s.deps.Inbox.FindConversation(ctx, e.ConversationID)
		if err != nil {
			return nil, skipMissing(err)
		}
		labels, err := d.labels()
		if err != nil {
			return nil, err
		}
		items, err := s.listItems(ctx, d, []inbox.Conversation{conv})
		if err != nil {
			return nil, err
		}
		return []templ.Component{
			views.ConversationRowOOB(items[0], false),
			views.ThreadLabelsOOB(views.ThreadLabelsProps{ConversationID: conv.ID, On: views.LabelsOf(conv.LabelIDs, labels), All: labels}),
		}, nil
	case inbox.EventLabelsChanged:
		// Rows and the open thread carry label names and colours: the page
		// fetches its list and thread header again (static/js/app.js).
		return []templ.Component{views.LiveRefresh()}, nil
	}
	return nil, nil
}

// noteEventParts is a new note appended to its thread, where open, and
// for each person it mentions a header badge that reloads its count.
func (s *server) noteEventParts(ctx context.Context, d *pageData, e inbox.Event) ([]templ.Component, error) {
	n, err := s.deps.Inbox.FindNote(ctx, e.MessageID)
	if err != nil {
		return nil, skipMissing(err)
	}
	people, err := d.users()
	if err != nil {
		return nil, err
	}
	item := views.NoteItem{Note: n}
	for _, u := range people {
		if u.ID == n.AuthorID {
			item.AuthorName = u.DisplayName()
		}
	}
	parts := []templ.Component{views.NoteAppend(item)}
	me, _ := views.CurrentUser(ctx)
	if slices.Contains(n.Mentions, me.ID) {
		parts = append(parts, views.MentionsBadgeReloadOOB())
	}
	return parts, nil
}
