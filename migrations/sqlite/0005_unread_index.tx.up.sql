-- The page title counts open conversations with unread messages on every
-- page view; a partial index keeps that count small at any size.
CREATE INDEX conversations_unread ON conversations (id) WHERE status = 'open' AND unread_count > 0;
