package web

import (
	"context"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/views"
)

// withSearch adds to a list what its tabs count for q and, when q is a
// search, what each row matched.
func (s *server) withSearch(ctx context.Context, q inbox.ConversationQuery, list *views.ConversationListProps) error {
	counts, err := s.deps.Inbox.CountTabs(ctx, q)
	if err != nil {
		return err
	}
	list.Counts = counts
	if q.Search == "" || len(list.Conversations) == 0 {
		return nil
	}
	ids := make([]int64, len(list.Conversations))
	for i, c := range list.Conversations {
		ids[i] = c.Conversation.ID
	}
	excerpts, err := s.deps.Inbox.SearchExcerpts(ctx, q.Search, ids)
	if err != nil {
		return err
	}
	for i := range list.Conversations {
		item := &list.Conversations[i]
		item.Search = q.Search
		if ex, ok := excerpts[item.Conversation.ID]; ok {
			item.Excerpt = &ex
		}
	}
	return nil
}
