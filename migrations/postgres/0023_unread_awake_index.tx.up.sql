-- The page title counts open, awake conversations with unread messages on
-- every page view. Since snoozes, conversations_unread no longer covered
-- that count: each match was fetched from the table to check snoozed_until
-- (~25,000 rows per page view at a million messages). This index's
-- predicate is the count's own WHERE minus the time, and it holds the one
-- column left to check, so the count reads the index alone. It replaces
-- conversations_unread, which nothing else used.
DROP INDEX conversations_unread;
CREATE INDEX conversations_unread_awake ON conversations (status, unread_count, snoozed_until) WHERE status = 'open' AND unread_count > 0;
