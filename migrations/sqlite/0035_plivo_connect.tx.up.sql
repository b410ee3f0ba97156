-- Numbers connected on the Settings → Plivo screen become inboxes beside
-- PLIVO_PHONE_NUMBER; the name is the inbox's ('' shows the number).
CREATE TABLE inbox_numbers (
    number   TEXT PRIMARY KEY,
    name     TEXT NOT NULL DEFAULT '',
    added_at TIMESTAMP NOT NULL
);

-- The Plivo application the screen created or adopted (one row), so a
-- later connect updates it even after PUBLIC_URL changed.
CREATE TABLE carrier_application (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    app_id     TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Webhooks refused (bad signature, replay, downgrade), counted per hour
-- and reason. Each instance adds its counts once a minute, so a flood of
-- forged webhooks costs a write a minute, not one each.
CREATE TABLE webhook_refusals (
    hour   TIMESTAMP NOT NULL,
    reason TEXT NOT NULL,
    count  BIGINT NOT NULL,
    PRIMARY KEY (hour, reason)
);

-- The screen's health column: each number's last inbound text, and the
-- delivery reports of its latest outbound ones.
CREATE INDEX messages_inbound_to ON messages (to_number, id) WHERE direction = 'inbound';
CREATE INDEX messages_outbound_from ON messages (from_number, id) WHERE direction = 'outbound';
