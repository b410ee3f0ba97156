-- Who did what to a conversation, shown as quiet lines in its thread:
-- closed, reopened, assigned, labelled, snoozed, woke, blocked, opted out
-- or in. The lines outlive people and labels: actor_id is no foreign key
-- (0 is Parley itself or the contact), and a label's name is copied into
-- detail.
CREATE TABLE conversation_activity (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    actor_id        INTEGER NOT NULL DEFAULT 0,
    kind            TEXT NOT NULL,
    subject_id      INTEGER NOT NULL DEFAULT 0,
    detail          TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',
    until           TIMESTAMP,
    at              TIMESTAMP NOT NULL
);
CREATE INDEX conversation_activity_thread ON conversation_activity (conversation_id, at, id);
