-- API tokens: a user's key to /api/v1. Only the SHA-256 of the secret is
-- kept, so a copy of the database opens nothing; prefix is the secret's
-- first characters, shown so people can tell their tokens apart. A token
-- goes with its user: removing them removes it.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- The first answer to each Idempotency-Key, per token: a retried POST gets
-- it again instead of doing the work twice. done is false while the first
-- request is still at work.
CREATE TABLE api_idempotency (
    token_id     INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    done         BOOLEAN NOT NULL DEFAULT FALSE,
    status       INTEGER NOT NULL DEFAULT 0,
    body         BLOB,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (token_id, idem_key)
);
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);
