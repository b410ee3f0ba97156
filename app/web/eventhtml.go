package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/sse"
	"github.com/parleyhq/parley/views"
)

// renderKey names one event as one user sees it, framed with the id it
// announces.
type renderKey struct{ event, user, announce int64 }

// csrfHole stands in for the CSRF token while an event renders once for
// all of a user's streams; each stream puts its browser's token in its
// place. It is random, so no text can contain it by chance, and plain
// letters and digits, so HTML escaping leaves it alone.
var csrfHole = "csrf" + rand.Text()

// rendered is one event as one user sees it.
type rendered struct {
	// frame is the fragments framed as an update with the announced id;
	// nil when the event shows nothing.
	frame []byte
	// csrfHTML is the fragments when they hold csrfHole (a form in a
	// bubble), for send to frame per stream; "" otherwise.
	csrfHTML string
}

// render loads, renders and frames e once for every stream of the same
// user on this instance (renderMemo), not once per stream: fragments
// depend on the user, and on the browser only through its CSRF token
// (forms in a bubble), which send fills in per stream. The frame's id is
// announce: e's own, or that of an event e covers (see sendAll).
func (st *stream) render(e inbox.Event, announce int64) (rendered, error) {
	return st.srv.renders.do(renderKey{e.ID, st.userID, announce}, func() (rendered, error) {
		ctx, cancel := context.WithTimeout(views.WithNow(views.WithCSRF(st.ctx, csrfHole), time.Now().UTC()), streamQueryTimeout)
		defer cancel()
		html, err := st.srv.eventHTML(ctx, e)
		if err != nil || html == "" {
			return rendered{}, err
		}
		if strings.Contains(html, csrfHole) {
			return rendered{csrfHTML: html}, nil
		}
		var frame bytes.Buffer
		if err := sse.Write(&frame, announce, sseEvent, html); err != nil {
			return rendered{}, err
		}
		return rendered{frame: frame.Bytes()}, nil
	})
}

// eventHTML is what a browser swaps in for e: out-of-band fragments keyed
// by element id, so each lands where the page shows that message or
// conversation and nowhere else (MessageAppend only when its thread is
// open). A message or conversation that no longer exists renders as "".
func (s *server) eventHTML(ctx context.Context, e inbox.Event) (string, error) {
	// The event's fragments share one read of the team and the labels.
	d := s.newPageData(ctx)
	var parts []templ.Component
	switch e.Kind {
	case inbox.EventMessageReceived, inbox.EventMessageQueued, inbox.EventMessageStatus:
		item, err := s.messageItem(ctx, d, e.MessageID)
		if err != nil {
			return "", skipMissing(err)
		}
		if e.Kind == inbox.EventMessageStatus {
			parts = append(parts, views.MessageBubbleOOB(item))
			toast, err := s.failureToast(ctx, d, item)
			if err != nil {
				return "", err
			}
			if toast != nil {
				parts = append(parts, toast)
			}
			break
		}
		row, err := s.rowAndBadge(ctx, d, e.ConversationID)
		if err != nil || row == nil {
			return "", err
		}
		// A text can reopen or wake the conversation: its open thread's
		// header follows.
		parts = append(append(parts, views.MessageAppend(item)), row...)
		parts = append(parts, views.ThreadSyncOOB(e.ConversationID))
	case inbox.EventScheduleChanged:
		list, err := s.scheduledPart(ctx, d, e.ConversationID)
		if err != nil {
			return "", skipMissing(err)
		}
		parts = append(parts, views.ScheduledListOOB(list))
	case inbox.EventConversationUpdated, inbox.EventConsentChanged:
		row, err := s.rowAndBadge(ctx, d, e.ConversationID)
		if err != nil || row == nil {
			return "", err
		}
		parts = append(parts, row...)
		parts = append(parts, views.ThreadSyncOOB(e.ConversationID))
	default:
		var err error
		if parts, err = s.teamEventParts(ctx, d, e); err != nil || parts == nil {
			return "", err
		}
	}
	if announcesActivity(e) {
		line, err := s.activityPart(ctx, d, e)
		if err != nil {
			return "", err
		}
		if line != nil {
			parts = append(parts, line)
		}
	}
	var b strings.Builder
	for _, p := range parts {
		if err := p.Render(ctx, &b); err != nil {
			return "", err
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// rowAndBadge is a conversation's list row, the unread badge and the
// tabs' unread counts, out of band; nothing (no error) when the
// conversation no longer exists. The counts are the viewer's (Mine is
// theirs; the memo renders an event once per user) and come from the one
// statement that counted the badge alone before: the badge is the Open
// tab's count.
func (s *server) rowAndBadge(ctx context.Context, d *pageData, conversationID int64) ([]templ.Component, error) {
	row, err := s.rowOOB(ctx, d, conversationID)
	if err != nil {
		return nil, skipMissing(err)
	}
	counts, err := s.viewerTabCounts(ctx)
	if err != nil {
		return nil, err
	}
	return []templ.Component{row, views.UnreadBadgeOOB(counts.Open), views.TabCountsOOB(counts)}, nil
}

// viewerTabCounts counts the unread conversations of the Open, Mine and
// Unassigned tabs for the user ctx carries, in one statement.
func (s *server) viewerTabCounts(ctx context.Context) (inbox.TabCounts, error) {
	me, _ := views.CurrentUser(ctx)
	return s.deps.Inbox.CountTabs(ctx, inbox.ConversationQuery{Me: me.ID})
}

func (s *server) messageItem(ctx context.Context, d *pageData, id int64) (views.MessageItem, error) {
	m, err := s.deps.Inbox.FindMessage(ctx, id)
	if err != nil {
		return views.MessageItem{}, err
	}
	item := views.MessageItem{Message: m}
	if m.SentBy != 0 {
		users, err := d.users()
		if err != nil {
			return views.MessageItem{}, err
		}
		for _, u := range users {
			if u.ID == m.SentBy {
				item.SentByName = u.DisplayName()
			}
		}
	}
	return withReason(item), nil
}

func (s *server) rowOOB(ctx context.Context, d *pageData, id int64) (templ.Component, error) {
	conv, err := s.deps.Inbox.FindConversation(ctx, id)
	if err != nil {
		return nil, err
	}
	items, err := s.listItems(ctx, d, []inbox.Conversation{conv})
	if err != nil {
		return nil, err
	}
	return views.ConversationRowOOB(items[0], false), nil
}

// skipMissing turns "not found" into nothing to show: the row was deleted
// after the event was logged.
func skipMissing(err error) error {
	if inbox.ErrorCode(err) == inbox.ENOTFOUND {
		return nil
	}
	return err
}
