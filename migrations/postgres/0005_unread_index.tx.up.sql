-- The page title counts open conversations with unread messages on every
-- page view; a partial index led by status keeps that count small at any
-- size (SQLite's planner picks it only when status leads).
CREATE INDEX conversations_unread ON conversations (status, unread_count) WHERE unread_count > 0;
