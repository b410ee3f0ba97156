-- Sixteen plain texts in one transaction as multi-row statements: the
-- nonces of all sixteen requests in one insert, then their conversations,
-- messages and events in one statement (data-modifying CTEs). What a
-- statement costs against its rows, for group commit; see BENCHMARKS.md
-- ("Group commit, texts several to a statement"). Not used by the bench.
\set b random(0, 624)
BEGIN;
INSERT INTO webhook_nonces (nonce, claimed_at) SELECT gen_random_uuid()::text, now() FROM generate_series(1, 32) ON CONFLICT DO NOTHING RETURNING nonce;
WITH conv AS (
INSERT INTO conversations AS c (contact_number, channel_number, status, last_message_at,
    last_message_preview, message_count, unread_count, created_at, updated_at)
SELECT '+1415' || (5560000 + :b * 16 + g), '+14155550199', 'open', now(), 'Is my order ready for pickup?', 1, 1, now(), now() FROM generate_series(1, 16) g
ON CONFLICT (contact_number, channel_number) DO UPDATE SET
    status = CASE WHEN c.status = 'closed' THEN 'open' ELSE c.status END,
    last_message_at = excluded.last_message_at,
    last_message_preview = excluded.last_message_preview,
    message_count = c.message_count + 1,
    unread_count = c.unread_count + 1,
    updated_at = excluded.updated_at
RETURNING *), msg AS (
INSERT INTO "messages" AS "message_row" ("conversation_id", "provider_uuid", "direction", "from_number", "to_number", "body", "media", "encoding", "segments", "status", "error_code", "via", "attempts", "raw", "created_at", "updated_at", "error_message")
SELECT conv.id, gen_random_uuid()::text, 'inbound', conv.contact_number, '+14155550199', 'Is my order ready for pickup?', '[]', 'GSM-7', 1, 'received', '', '', 0, '{"From":"1415","MessageIntent":"","MessageUUID":"","PowerpackUUID":"","Text":"Is my order ready for pickup?","To":"14155550199","TotalAmount":"0","TotalRate":"0","Type":"sms","Units":"1"}', now(), now(), '' FROM conv
ON CONFLICT (provider_uuid) DO NOTHING RETURNING "id", conversation_id)
INSERT INTO "events" ("kind", "conversation_id", "message_id", "created_at") SELECT 'message.received', conversation_id, id, now() FROM msg UNION ALL SELECT 'conversation.updated', conversation_id, 0, now() FROM msg RETURNING id;
COMMIT;
