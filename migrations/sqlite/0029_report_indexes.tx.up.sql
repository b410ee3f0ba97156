-- The reports screen reads every message of a period and the one before
-- it, in the order they were created. This index holds every column that
-- read needs, so a 30-day report walks one index range instead of the
-- table; without it, each report scanned all messages.
CREATE INDEX messages_report ON messages (created_at, conversation_id, direction, sent_by, status, error_code);
-- Conversations opened and consent changes by period.
CREATE INDEX conversations_created ON conversations (created_at);
CREATE INDEX consent_events_occurred ON consent_events (occurred_at);
