package web

import (
	"context"
	"strings"

	"github.com/a-h/templ"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
	"github.com/parleyhq/parley/views"
)

// failureReason says in plain words why an outbound message did not reach
// the contact; "" for one that did not fail. Parley's own failures carry
// their words (ErrorMessage); the carrier's are Plivo's documented codes,
// and an undocumented one keeps its number so support can look it up.
func failureReason(m inbox.Message) string {
	if m.Direction != inbox.DirectionOutbound {
		return ""
	}
	switch m.Status {
	case inbox.StatusFailed, inbox.StatusUndelivered, inbox.StatusRejected:
	default:
		return ""
	}
	if m.ErrorMessage != "" {
		return m.ErrorMessage
	}
	if words, ok := plivo.ErrorCodeWords(m.ErrorCode); ok {
		return words
	}
	generic := "The carrier could not deliver the message."
	switch m.Status {
	case inbox.StatusFailed:
		generic = "Plivo could not send the message."
	case inbox.StatusRejected:
		generic = "The carrier refused the message."
	}
	// An undocumented code is repeated when it is safe to show.
	code := strings.TrimSpace(m.ErrorCode)
	if code != "" && plivo.ExplainErrorCode(code) == "Carrier error "+code+"." {
		return strings.TrimSuffix(generic, ".") + " (error " + code + ")."
	}
	return generic
}

// withReason is a message as the thread shows it, with its failure in
// plain words.
func withReason(item views.MessageItem) views.MessageItem {
	item.FailureReason = failureReason(item.Message)
	return item
}

// failureToast tells the viewer that a reply did not reach its contact,
// naming the contact and the reason; nil when the message did not fail or
// the toast is for someone else. It goes to whoever wrote the reply; an
// automatic reply's failure goes to the conversation's assignee, or to
// everyone while nobody is assigned.
func (s *server) failureToast(ctx context.Context, d *pageData, item views.MessageItem) (templ.Component, error) {
	m := item.Message
	if item.FailureReason == "" || m.RetriedAs != 0 {
		return nil, nil
	}
	conv, err := s.deps.Inbox.FindConversation(ctx, m.ConversationID)
	if err != nil {
		return nil, skipMissing(err)
	}
	me, _ := views.CurrentUser(ctx)
	switch {
	case m.SentBy != 0 && m.SentBy != me.ID:
		return nil, nil
	case m.SentBy == 0 && conv.AssigneeID != 0 && conv.AssigneeID != me.ID:
		return nil, nil
	}
	items, err := s.listItems(ctx, d, []inbox.Conversation{conv})
	if err != nil {
		return nil, err
	}
	what := "Your reply to "
	if m.SentBy == 0 {
		what = "The automatic reply to "
	}
	return views.ReplyFailedToastOOB(m.ID, what+items[0].Title()+" was not delivered. "+item.FailureReason), nil
}
