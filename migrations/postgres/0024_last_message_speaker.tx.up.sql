-- Who wrote a conversation's latest message and how many attachments it
-- has, so the list can say "You:", "Auto-reply:" or "📷 Photo" without
-- reading messages. sent_by is NULL for inbound texts and automatic
-- replies.
ALTER TABLE conversations ADD COLUMN last_message_direction TEXT NOT NULL DEFAULT 'inbound';
ALTER TABLE conversations ADD COLUMN last_message_sent_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN last_message_media INTEGER NOT NULL DEFAULT 0;

-- Existing conversations take them from their latest message (the
-- messages_thread index finds it), the one their preview was written from.
UPDATE conversations SET
    last_message_direction = COALESCE((SELECT m.direction FROM messages m
        WHERE m.conversation_id = conversations.id ORDER BY m.id DESC LIMIT 1), 'inbound'),
    last_message_sent_by = (SELECT m.sent_by FROM messages m
        WHERE m.conversation_id = conversations.id ORDER BY m.id DESC LIMIT 1),
    last_message_media = COALESCE((SELECT jsonb_array_length(m.media) FROM messages m
        WHERE m.conversation_id = conversations.id ORDER BY m.id DESC LIMIT 1), 0);

-- A picture without text was previewed as "Attachment" or "2 attachments";
-- the list now words it itself.
UPDATE conversations SET last_message_preview = ''
WHERE last_message_media > 0 AND last_message_direction = 'outbound'
    AND (last_message_preview = 'Attachment' OR last_message_preview = last_message_media || ' attachments');
