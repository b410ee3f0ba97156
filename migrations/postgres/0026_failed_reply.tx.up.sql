-- The reply of a conversation that the carrier could not deliver, until a
-- later reply gets through or an agent sends it again: the list marks the
-- conversation and the Failed tab lists it without reading messages.
ALTER TABLE conversations ADD COLUMN failed_reply_id BIGINT REFERENCES messages (id) ON DELETE SET NULL;

-- Existing conversations take it from their latest reply.
UPDATE conversations SET failed_reply_id = (SELECT m.id FROM messages m
    WHERE m.conversation_id = conversations.id AND m.direction = 'outbound'
    ORDER BY m.id DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM messages m WHERE m.id = (SELECT MAX(o.id) FROM messages o
        WHERE o.conversation_id = conversations.id AND o.direction = 'outbound')
    AND m.status IN ('failed', 'undelivered', 'rejected') AND m.retried_as IS NULL);

-- The Failed tab walks the few marked conversations, newest activity first.
CREATE INDEX conversations_failed_reply ON conversations (last_message_at DESC, id DESC) WHERE failed_reply_id IS NOT NULL;
