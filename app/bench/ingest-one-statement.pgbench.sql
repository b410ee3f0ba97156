-- The same ingest as ingest.pgbench.sql written as one statement (the
-- upsert, the message and the events as data-modifying CTEs), to learn
-- whether fewer round trips would pay here; see BENCHMARKS.md. Not used by
-- the bench.
\set contact random(5560000, 5569999)
BEGIN;
WITH c AS (
INSERT INTO conversations AS c (contact_number, channel_number, status, last_message_at,
    last_message_preview, message_count, unread_count, created_at, updated_at)
VALUES ('+1415' || :contact, '+14155550199', 'open', now(), 'Is my order ready for pickup?', 1, 1, now(), now())
ON CONFLICT (contact_number, channel_number) DO UPDATE SET
    status = CASE WHEN c.status = 'closed' THEN 'open' ELSE c.status END,
    last_message_at = excluded.last_message_at,
    last_message_preview = excluded.last_message_preview,
    message_count = c.message_count + 1,
    unread_count = c.unread_count + 1,
    updated_at = excluded.updated_at
RETURNING *),
m AS (INSERT INTO "messages" ("conversation_id", "provider_uuid", "direction", "from_number", "to_number", "body", "media", "encoding", "segments", "status", "error_code", "sent_by", "via", "attempts", "next_attempt_at", "raw", "created_at", "updated_at", "error_message", "retried_as")
SELECT c.id, gen_random_uuid()::text, 'inbound', '+1415' || :contact, '+14155550199', 'Is my order ready for pickup?', '[]', 'GSM-7', 1, 'received', '', NULL, '', 0, NULL, '{"From":"1415","MessageIntent":"","MessageUUID":"","PowerpackUUID":"","Text":"Is my order ready for pickup?","To":"14155550199","TotalAmount":"0","TotalRate":"0","Type":"sms","Units":"1"}', now(), now(), '', NULL FROM c
ON CONFLICT (provider_uuid) DO NOTHING RETURNING id, conversation_id),
e AS (INSERT INTO "events" ("kind", "conversation_id", "message_id", "created_at") SELECT 'message.received', m.conversation_id, m.id, now() FROM m UNION ALL SELECT 'conversation.updated', m.conversation_id, 0, now() FROM m RETURNING id)
SELECT c.*, (SELECT id FROM m), (SELECT array_agg(id) FROM e) FROM c;
COMMIT;
