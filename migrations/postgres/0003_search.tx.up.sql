-- Word search over message text with the built-in full-text machinery
-- (the 'simple' configuration: no stemming, any language), so no
-- extension is needed.
CREATE INDEX messages_body_search ON messages USING GIN (to_tsvector('simple', body));
CREATE INDEX conversations_status_activity ON conversations (status, last_message_at DESC, id DESC);
CREATE INDEX messages_outbox ON messages (next_attempt_at) WHERE status = 'queued' AND via = 'api';
