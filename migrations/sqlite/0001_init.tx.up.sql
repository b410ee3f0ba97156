CREATE TABLE users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    email            TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    name             TEXT NOT NULL DEFAULT '',
    avatar_url       TEXT NOT NULL DEFAULT '',
    role             TEXT NOT NULL DEFAULT 'agent' CHECK (role IN ('admin', 'agent')),
    provider         TEXT NOT NULL DEFAULT '',
    provider_user_id TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    last_seen_at     TIMESTAMP
);

CREATE TABLE conversations (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_number       TEXT NOT NULL,
    channel_number       TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'blocked')),
    opted_out_at         TIMESTAMP,
    last_message_at      TIMESTAMP NOT NULL,
    last_message_preview TEXT NOT NULL DEFAULT '',
    message_count        INTEGER NOT NULL DEFAULT 0,
    unread_count         INTEGER NOT NULL DEFAULT 0,
    assignee_id          INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    UNIQUE (contact_number, channel_number)
);
CREATE INDEX conversations_activity ON conversations (last_message_at DESC, id DESC);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    provider_uuid   TEXT UNIQUE,
    direction       TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    from_number     TEXT NOT NULL,
    to_number       TEXT NOT NULL,
    body            TEXT NOT NULL DEFAULT '',
    media           TEXT NOT NULL DEFAULT '[]',
    encoding        TEXT NOT NULL DEFAULT '',
    segments        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL,
    error_code      TEXT NOT NULL DEFAULT '',
    sent_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    via             TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP,
    raw             TEXT,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX messages_thread ON messages (conversation_id, id);

CREATE TABLE message_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    status      TEXT NOT NULL,
    error_code  TEXT NOT NULL DEFAULT '',
    sequence    INTEGER NOT NULL DEFAULT 0,
    occurred_at TIMESTAMP NOT NULL,
    raw         TEXT
);
CREATE INDEX message_events_message ON message_events (message_id, id);

CREATE TABLE consent_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_number TEXT NOT NULL,
    channel_number TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('opt_out', 'opt_in')),
    keyword        TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL,
    actor_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    occurred_at    TIMESTAMP NOT NULL
);
CREATE INDEX consent_events_contact ON consent_events (contact_number, channel_number, id);

CREATE TABLE keyword_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    keywords   TEXT NOT NULL,
    reply      TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL DEFAULT 1,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    conversation_id INTEGER NOT NULL DEFAULT 0,
    message_id      INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX events_created_at ON events (created_at);

INSERT INTO keyword_rules (keywords, reply, position) VALUES
    ('HELLO,HI', 'Hello! Thanks for texting us. A member of our team will reply shortly. Reply HELP for help or STOP to unsubscribe.', 1),
    ('STATUS', 'We have your messages and a member of our team will reply soon. Reply HOURS for our opening hours.', 2),
    ('HELP,INFO', 'You are texting our support team. Reply with your question and we will get back to you. Reply HOURS for our hours, STOP to unsubscribe.', 3),
    ('HOURS', 'Our team answers texts Monday to Friday, 9am to 5pm. Messages sent outside those hours are answered the next working day.', 4);
