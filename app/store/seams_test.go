package store

import (
	"context"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// SetExportPage makes exports read n messages at a time until the returned
// function restores the default, so tests cross page boundaries with few
// messages. Tests that call it must not run in parallel.
func SetExportPage(n int) (restore func()) {
	old := exportPage
	exportPage = n
	return func() { exportPage = old }
}

// UnreadCountSQL returns the statement CountUnreadConversations runs at now,
// so tests can ask the database how it plans it.
func UnreadCountSQL(s *Store, now time.Time) string {
	return unreadCount(s.db, now).ColumnExpr("count(*)").String()
}

// TabUnreadSQL returns the statement CountTabs runs without a search.
func TabUnreadSQL(s *Store, me int64, now time.Time) string {
	return tabUnread(s.db, inbox.ConversationQuery{Me: me, Now: now}).String()
}

// SearchWindowSQL returns the statement that counts a search's matches
// among the newest conversations, as CountTabs runs it for a common word.
func SearchWindowSQL(s *Store, search string) string {
	q := inbox.ConversationQuery{Search: search}
	return s.newestMatches(q, newSearchMatch(search), countWindow).String()
}

// SearchIndexSQL returns the statement that selects a search's matches
// through the search indexes, as CountTabs counts them for a rare term.
func SearchIndexSQL(s *Store, search string) string {
	q := inbox.ConversationQuery{Search: search}
	return s.indexMatches(q, newSearchMatch(search)).String()
}

// RebuildReportRollups computes the report rollups afresh from the stored
// history, as the seed does.
func (s *Store) RebuildReportRollups(ctx context.Context) error {
	return s.rebuildReportRollups(ctx, s.db)
}
