-- The outbox's words for a retry or a failure (Plivo's own ErrorCode stays
-- in error_code), and the message an agent queued to send a failed one
-- again, so it is sent again at most once.
ALTER TABLE messages ADD COLUMN error_message TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN retried_as INTEGER REFERENCES messages (id) ON DELETE SET NULL;

-- A delivery report repeated by Plivo's retries is stored once.
CREATE UNIQUE INDEX message_events_report ON message_events (message_id, status, sequence);

-- Messages left in sending by a crash, found by age.
CREATE INDEX messages_sending ON messages (updated_at) WHERE status = 'sending';
