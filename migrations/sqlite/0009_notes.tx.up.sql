-- Internal notes: written by agents in a thread, never sent. A mention is
-- a note naming a user with @, and that user's notification until they
-- open the conversation.
CREATE TABLE notes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body            TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX notes_thread ON notes (conversation_id, created_at, id);

CREATE TABLE mentions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    note_id         INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      TIMESTAMP NOT NULL,
    read_at         TIMESTAMP,
    UNIQUE (note_id, user_id)
);
CREATE INDEX mentions_user ON mentions (user_id, id);
CREATE INDEX mentions_unread ON mentions (user_id, conversation_id) WHERE read_at IS NULL;
