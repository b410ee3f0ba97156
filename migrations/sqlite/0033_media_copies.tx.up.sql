-- Inbound media to copy into Parley's media store: one row per attachment,
-- claimed by one worker at a time (next_attempt_at is the lease, as the
-- outbox's), so a copy survives a restart and two instances never fetch
-- the same file at once. A kept or abandoned copy leaves the queue; what
-- happened is written on the message's media.
CREATE TABLE media_copies (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    url             TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (message_id, position)
);
CREATE INDEX media_copies_due ON media_copies (next_attempt_at);
