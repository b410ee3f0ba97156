-- Outgoing webhooks. An endpoint is a URL admins subscribed to some event
-- types; its secret signs every request (Standard Webhooks) and is kept as
-- it must be sent, so it can sign.
CREATE TABLE webhook_endpoints (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    url                   TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    events                TEXT NOT NULL,
    secret                TEXT NOT NULL,
    -- After a rotation the old secret signs too, until previous_secret_until.
    previous_secret       TEXT NOT NULL DEFAULT '',
    previous_secret_until TIMESTAMP,
    paused_at             TIMESTAMP,
    pause_reason          TEXT NOT NULL DEFAULT '',
    failing_since         TIMESTAMP,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
-- One row per (event, subscribed endpoint), written in the transaction of
-- the change it announces: the durable queue and, kept, the delivery log.
-- payload is frozen at the first attempt so every retry sends the same
-- bytes under the same webhook-id. endpoint_id is no foreign key: a text
-- stored on another instance while its cached subscriptions still name a
-- deleted endpoint must not fail for it; such a row is never claimed.
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id      INTEGER NOT NULL,
    event_id         INTEGER NOT NULL,
    type             TEXT NOT NULL,
    conversation_id  INTEGER NOT NULL,
    message_id       INTEGER NOT NULL DEFAULT 0,
    activity_id      INTEGER NOT NULL DEFAULT 0,
    message_status   TEXT NOT NULL DEFAULT '',
    occurred_at      TIMESTAMP NOT NULL,
    payload          TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    first_attempt_at TIMESTAMP,
    claimed_until    TIMESTAMP,
    last_attempt_at  TIMESTAMP,
    last_status      INTEGER NOT NULL DEFAULT 0,
    last_latency_ms  INTEGER NOT NULL DEFAULT 0,
    last_response    TEXT NOT NULL DEFAULT '',
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL
);
-- The worker's claim: pending rows by due time, and the earlier pending row
-- of the same endpoint and conversation that holds a later one back.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, conversation_id, id) WHERE state = 'pending';
-- The delivery log of one endpoint, newest first.
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, id);
