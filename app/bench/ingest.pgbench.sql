-- Parley's ingest transaction for one plain inbound text, statement for
-- statement as Parley sends it over the simple protocol (captured with
-- log_statement=all): "parley bench ingest --ceiling" runs it with pgbench
-- as the ceiling for the same work. Keyword rules come from Parley's cache,
-- so there is no SELECT; a text whose words its conversation already has
-- needs no search_terms UPDATE (a text bringing new words adds one to the
-- message INSERT as a WITH clause on PostgreSQL). The request's two
-- signature nonces (V2 and V3) are claimed in the same transaction.
\set contact random(5560000, 5569999)
BEGIN;
INSERT INTO "webhook_nonces" AS "nonce_row" ("nonce", "claimed_at") VALUES ('v2:' || gen_random_uuid(), now()), ('v3:' || gen_random_uuid(), now()) ON CONFLICT DO NOTHING RETURNING nonce;
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
RETURNING * \gset conv_
INSERT INTO "messages" AS "message_row" ("conversation_id", "provider_uuid", "direction", "from_number", "to_number", "body", "media", "encoding", "segments", "status", "error_code", "sent_by", "via", "attempts", "next_attempt_at", "raw", "created_at", "updated_at", "error_message", "retried_as")
VALUES (:conv_id, gen_random_uuid()::text, 'inbound', '+1415' || :contact, '+14155550199', 'Is my order ready for pickup?', '[]', 'GSM-7', 1, 'received', '', DEFAULT, '', 0, DEFAULT, '{"From":"1415","MessageIntent":"","MessageUUID":"","PowerpackUUID":"","Text":"Is my order ready for pickup?","To":"14155550199","TotalAmount":"0","TotalRate":"0","Type":"sms","Units":"1"}', now(), now(), '', DEFAULT)
ON CONFLICT (provider_uuid) DO NOTHING RETURNING "id" AS msg \gset
INSERT INTO "events" ("kind", "conversation_id", "message_id", "created_at") VALUES ('message.received', :conv_id, :msg, now()), ('conversation.updated', :conv_id, 0, now()) RETURNING id;
COMMIT;
