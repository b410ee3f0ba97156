-- Messages an agent wrote to go out later ("Send later"). A row waits in
-- state 'scheduled' until due_at; the outbox then releases it, in one
-- transaction, as a queued message (message_id) or refuses it when the
-- contact opted out or was blocked meanwhile. Cancelled, released and
-- refused rows stay for the export. The partial index is what the
-- release claim and the wake-up timer read.
CREATE TABLE scheduled_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    body            TEXT NOT NULL,
    sent_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    due_at          TIMESTAMP NOT NULL,
    time_zone       TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT 'scheduled',
    reason          TEXT NOT NULL DEFAULT '',
    message_id      INTEGER,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX scheduled_messages_due ON scheduled_messages (due_at) WHERE state = 'scheduled';
CREATE INDEX scheduled_messages_conversation ON scheduled_messages (conversation_id, due_at);
