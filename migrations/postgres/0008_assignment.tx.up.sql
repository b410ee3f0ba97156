-- "Mine" lists one agent's open conversations and "Unassigned" the open
-- conversations nobody has taken, both newest first. Each gets an index in
-- list order, so neither walks past other people's work on a busy inbox.
CREATE INDEX conversations_assignee ON conversations (assignee_id, last_message_at DESC, id DESC) WHERE status = 'open';
CREATE INDEX conversations_unassigned ON conversations (last_message_at DESC, id DESC) WHERE status = 'open' AND assignee_id IS NULL;
