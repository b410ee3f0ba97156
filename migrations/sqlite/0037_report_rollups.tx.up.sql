-- Report rollups: exact running counts that the reports screen reads
-- instead of every message of two periods. Triggers keep them in the
-- transaction that changes a message or opens a conversation, so they
-- are never behind or approximate. Time is keyed by UTC quarter-hour
-- (q = Unix seconds / 900): every time zone's midnights and hours fall on
-- one, so a period in the team's zone is a whole range of q.
-- docs/reports.md gives the rules.

-- Counts by quarter-hour and number. shard spreads one quarter-hour's
-- updates over rows on PostgreSQL; SQLite has one writer and uses 0.
CREATE TABLE report_counts (
    q              INTEGER NOT NULL,
    channel_number TEXT NOT NULL,
    shard          INTEGER NOT NULL DEFAULT 0,
    opened         INTEGER NOT NULL DEFAULT 0,
    received       INTEGER NOT NULL DEFAULT 0,
    sent           INTEGER NOT NULL DEFAULT 0,
    delivered      INTEGER NOT NULL DEFAULT 0,
    undelivered    INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0,
    unconfirmed    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (q, channel_number, shard)
) WITHOUT ROWID;

-- Carrier error codes of undelivered, failed and rejected texts, by the
-- quarter-hour the text was written in.
CREATE TABLE report_errors (
    q              INTEGER NOT NULL,
    channel_number TEXT NOT NULL,
    code           TEXT NOT NULL,
    n              INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (q, channel_number, code)
) WITHOUT ROWID;

-- Contact texts by conversation and quarter-hour: the busiest contacts.
CREATE TABLE report_texts (
    q               INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL,
    n               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (q, conversation_id)
) WITHOUT ROWID;

-- Human replies by agent, conversation and quarter-hour. No foreign key
-- to users: a removed agent's replies stay theirs.
CREATE TABLE report_replies (
    q               INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL,
    n               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (q, user_id, conversation_id)
) WITHOUT ROWID;

-- Waits for a human: from a contact's text that no human reply has
-- answered since the previous one, to the first human reply after it.
-- Two cannot begin at one instant in a conversation: texts at one
-- instant are one run, taken before a reply at that instant.
CREATE TABLE report_waits (
    conversation_id INTEGER NOT NULL,
    started_at      TIMESTAMP NOT NULL,
    answered_at     TIMESTAMP,
    answered_by     INTEGER,
    -- What a report reads of an answered wait, as integers: the start in
    -- Unix seconds (every boundary a report compares it with is a whole
    -- second) and the wait in milliseconds. Reading and parsing two
    -- timestamps was most of a 30-day report's time at 186,000 waits.
    started_s       INTEGER NOT NULL,
    wait_ms         INTEGER,
    PRIMARY KEY (conversation_id, started_at)
) WITHOUT ROWID;
-- The answered waits of a period with all a report reads of them, and
-- the unanswered ones by age. Each holds the column its WHERE names, or
-- SQLite reads every row's table entry to check it.
CREATE INDEX report_waits_answered ON report_waits (started_s, conversation_id, wait_ms, answered_by) WHERE wait_ms IS NOT NULL;
CREATE INDEX report_waits_unanswered ON report_waits (started_at, conversation_id, answered_at) WHERE answered_at IS NULL;
CREATE UNIQUE INDEX report_waits_open ON report_waits (conversation_id) WHERE answered_at IS NULL;

-- Backfill from the history already stored. (A test runs what lies
-- between this line and the backfill's end against its own history.)
INSERT INTO report_counts (q, channel_number, opened)
SELECT CAST(strftime('%s', created_at) AS INTEGER) / 900, channel_number, COUNT(*)
FROM conversations GROUP BY 1, 2;

INSERT INTO report_counts (q, channel_number, received, sent, delivered, undelivered, failed, unconfirmed)
SELECT CAST(strftime('%s', m.created_at) AS INTEGER) / 900 AS q, c.channel_number,
    SUM(m.direction = 'inbound'), SUM(m.direction = 'outbound'),
    SUM(m.direction = 'outbound' AND m.status = 'delivered'),
    SUM(m.direction = 'outbound' AND m.status = 'undelivered'),
    SUM(m.direction = 'outbound' AND m.status IN ('failed', 'rejected') AND NOT (m.status = 'failed' AND m.error_code = 'unconfirmed')),
    SUM(m.direction = 'outbound' AND (m.status NOT IN ('delivered', 'undelivered', 'failed', 'rejected') OR (m.status = 'failed' AND m.error_code = 'unconfirmed')))
FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id
WHERE true
GROUP BY 1, 2
ON CONFLICT (q, channel_number, shard) DO UPDATE SET
    received = received + excluded.received, sent = sent + excluded.sent,
    delivered = delivered + excluded.delivered, undelivered = undelivered + excluded.undelivered,
    failed = failed + excluded.failed, unconfirmed = unconfirmed + excluded.unconfirmed;

INSERT INTO report_errors (q, channel_number, code, n)
SELECT CAST(strftime('%s', m.created_at) AS INTEGER) / 900, c.channel_number, m.error_code, COUNT(*)
FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id
WHERE m.direction = 'outbound' AND m.status IN ('undelivered', 'failed', 'rejected') AND m.error_code <> ''
GROUP BY 1, 2, 3;

INSERT INTO report_texts (q, conversation_id, n)
SELECT CAST(strftime('%s', created_at) AS INTEGER) / 900, conversation_id, COUNT(*)
FROM messages WHERE direction = 'inbound' GROUP BY 1, 2;

INSERT INTO report_replies (q, user_id, conversation_id, n)
SELECT CAST(strftime('%s', created_at) AS INTEGER) / 900, sent_by, conversation_id, COUNT(*)
FROM messages WHERE direction = 'outbound' AND sent_by IS NOT NULL GROUP BY 1, 2, 3;

-- A wait is a run of contact texts and the human reply that ends it:
-- numbering each text and reply by how many human replies came before it
-- puts a run and its answer in one group. Order ties as the scan of
-- messages does: by time, a contact's text before a reply, then by id.
INSERT INTO report_waits (conversation_id, started_at, answered_at, answered_by, started_s, wait_ms)
SELECT conversation_id, started, answered, answered_by, CAST(strftime('%s', started) AS INTEGER),
    CAST(ROUND((julianday(answered) - julianday(started)) * 86400000.0) AS INTEGER)
FROM (
    SELECT conversation_id,
        MIN(CASE WHEN direction = 'inbound' THEN created_at END) AS started,
        MAX(CASE WHEN direction = 'outbound' THEN created_at END) AS answered,
        MAX(CASE WHEN direction = 'outbound' THEN sent_by END) AS answered_by
    FROM (
        SELECT conversation_id, created_at, direction, sent_by,
            COALESCE(SUM(direction = 'outbound') OVER (PARTITION BY conversation_id ORDER BY created_at, direction, id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS grp
        FROM messages WHERE direction = 'inbound' OR sent_by IS NOT NULL
    )
    GROUP BY conversation_id, grp
    HAVING MIN(CASE WHEN direction = 'inbound' THEN created_at END) IS NOT NULL
);

-- The backfill's end.

-- Conversations opened.
CREATE TRIGGER report_conversation_opened AFTER INSERT ON conversations
BEGIN
    INSERT INTO report_counts (q, channel_number, opened)
    VALUES (CAST(strftime('%s', NEW.created_at) AS INTEGER) / 900, NEW.channel_number, 1)
    ON CONFLICT (q, channel_number, shard) DO UPDATE SET opened = opened + 1;
END;

-- A message written: its counts, its error code, its contact text or
-- human reply.
CREATE TRIGGER report_message_counted AFTER INSERT ON messages
BEGIN
    INSERT INTO report_counts (q, channel_number, received, sent, delivered, undelivered, failed, unconfirmed)
    SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 900, c.channel_number,
        NEW.direction = 'inbound', NEW.direction = 'outbound',
        NEW.direction = 'outbound' AND NEW.status = 'delivered',
        NEW.direction = 'outbound' AND NEW.status = 'undelivered',
        NEW.direction = 'outbound' AND NEW.status IN ('failed', 'rejected') AND NOT (NEW.status = 'failed' AND NEW.error_code = 'unconfirmed'),
        NEW.direction = 'outbound' AND (NEW.status NOT IN ('delivered', 'undelivered', 'failed', 'rejected') OR (NEW.status = 'failed' AND NEW.error_code = 'unconfirmed'))
    FROM conversations AS c WHERE c.id = NEW.conversation_id
    ON CONFLICT (q, channel_number, shard) DO UPDATE SET
        received = received + excluded.received, sent = sent + excluded.sent,
        delivered = delivered + excluded.delivered, undelivered = undelivered + excluded.undelivered,
        failed = failed + excluded.failed, unconfirmed = unconfirmed + excluded.unconfirmed;
    INSERT INTO report_errors (q, channel_number, code, n)
    SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 900, c.channel_number, NEW.error_code, 1
    FROM conversations AS c WHERE c.id = NEW.conversation_id
        AND NEW.direction = 'outbound' AND NEW.status IN ('undelivered', 'failed', 'rejected') AND NEW.error_code <> ''
    ON CONFLICT (q, channel_number, code) DO UPDATE SET n = n + 1;
    INSERT INTO report_texts (q, conversation_id, n)
    SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 900, NEW.conversation_id, 1
    WHERE NEW.direction = 'inbound'
    ON CONFLICT (q, conversation_id) DO UPDATE SET n = n + 1;
    INSERT INTO report_replies (q, user_id, conversation_id, n)
    SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 900, NEW.sent_by, NEW.conversation_id, 1
    WHERE NEW.direction = 'outbound' AND NEW.sent_by IS NOT NULL
    ON CONFLICT (q, user_id, conversation_id) DO UPDATE SET n = n + 1;
END;

-- A contact's text or a human reply written after every other one of its
-- conversation (the usual case: the check reads only the newest entries
-- of messages_report) opens or ends a wait.
CREATE TRIGGER report_wait_in_order AFTER INSERT ON messages
WHEN (NEW.direction = 'inbound' OR NEW.sent_by IS NOT NULL) AND NOT EXISTS (
    SELECT 1 FROM messages AS m WHERE m.created_at >= NEW.created_at AND m.conversation_id = NEW.conversation_id
        AND m.id <> NEW.id AND (m.direction = 'inbound' OR m.sent_by IS NOT NULL))
BEGIN
    INSERT INTO report_waits (conversation_id, started_at, started_s)
    SELECT NEW.conversation_id, NEW.created_at, CAST(strftime('%s', NEW.created_at) AS INTEGER)
    WHERE NEW.direction = 'inbound'
        AND NOT EXISTS (SELECT 1 FROM report_waits WHERE conversation_id = NEW.conversation_id AND answered_at IS NULL);
    UPDATE report_waits SET answered_at = NEW.created_at, answered_by = NEW.sent_by,
        wait_ms = CAST(ROUND((julianday(NEW.created_at) - julianday(started_at)) * 86400000.0) AS INTEGER)
    WHERE NEW.direction = 'outbound' AND conversation_id = NEW.conversation_id AND answered_at IS NULL;
END;

-- One written at or before another (a clock step, a replay): the
-- conversation's waits are rebuilt from its messages, by the backfill's
-- rule.
CREATE TRIGGER report_wait_out_of_order AFTER INSERT ON messages
WHEN (NEW.direction = 'inbound' OR NEW.sent_by IS NOT NULL) AND EXISTS (
    SELECT 1 FROM messages AS m WHERE m.created_at >= NEW.created_at AND m.conversation_id = NEW.conversation_id
        AND m.id <> NEW.id AND (m.direction = 'inbound' OR m.sent_by IS NOT NULL))
BEGIN
    DELETE FROM report_waits WHERE conversation_id = NEW.conversation_id;
    INSERT INTO report_waits (conversation_id, started_at, answered_at, answered_by, started_s, wait_ms)
    SELECT conversation_id, started, answered, answered_by, CAST(strftime('%s', started) AS INTEGER),
        CAST(ROUND((julianday(answered) - julianday(started)) * 86400000.0) AS INTEGER)
    FROM (
        SELECT conversation_id,
            MIN(CASE WHEN direction = 'inbound' THEN created_at END) AS started,
            MAX(CASE WHEN direction = 'outbound' THEN created_at END) AS answered,
            MAX(CASE WHEN direction = 'outbound' THEN sent_by END) AS answered_by
        FROM (
            SELECT conversation_id, created_at, direction, sent_by,
                COALESCE(SUM(direction = 'outbound') OVER (ORDER BY created_at, direction, id
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS grp
            FROM messages WHERE conversation_id = NEW.conversation_id AND (direction = 'inbound' OR sent_by IS NOT NULL)
        )
        GROUP BY conversation_id, grp
        HAVING MIN(CASE WHEN direction = 'inbound' THEN created_at END) IS NOT NULL
    );
END;

-- A delivery report moves an outbound text between outcomes; the text
-- keeps the quarter-hour it was written in.
CREATE TRIGGER report_message_outcome AFTER UPDATE OF status, error_code ON messages
WHEN NEW.direction = 'outbound' AND (OLD.status IS NOT NEW.status OR OLD.error_code IS NOT NEW.error_code)
BEGIN
    INSERT INTO report_counts (q, channel_number, delivered, undelivered, failed, unconfirmed)
    SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 900, c.channel_number,
        (NEW.status = 'delivered') - (OLD.status = 'delivered'),
        (NEW.status = 'undelivered') - (OLD.status = 'undelivered'),
        (NEW.status IN ('failed', 'rejected') AND NOT (NEW.status = 'failed' AND NEW.error_code = 'unconfirmed'))
            - (OLD.status IN ('failed', 'rejected') AND NOT (OLD.status = 'failed' AND OLD.error_code = 'unconfirmed')),
        (NEW.status NOT IN ('delivered', 'undelivered', 'failed', 'rejected') OR (NEW.status = 'failed' AND NEW.error_code = 'unconfirmed'))
            - (OLD.status NOT IN ('delivered', 'undelivered', 'failed', 'rejected') OR (OLD.status = 'failed' AND OLD.error_code = 'unconfirmed'))
    FROM conversations AS c WHERE c.id = NEW.conversation_id
    ON CONFLICT (q, channel_number, shard) DO UPDATE SET
        delivered = delivered + excluded.delivered, undelivered = undelivered + excluded.undelivered,
        failed = failed + excluded.failed, unconfirmed = unconfirmed + excluded.unconfirmed;
    INSERT INTO report_errors (q, channel_number, code, n)
    SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 900, c.channel_number, OLD.error_code, -1
    FROM conversations AS c WHERE c.id = NEW.conversation_id
        AND OLD.status IN ('undelivered', 'failed', 'rejected') AND OLD.error_code <> ''
    ON CONFLICT (q, channel_number, code) DO UPDATE SET n = n - 1;
    INSERT INTO report_errors (q, channel_number, code, n)
    SELECT CAST(strftime('%s', NEW.created_at) AS INTEGER) / 900, c.channel_number, NEW.error_code, 1
    FROM conversations AS c WHERE c.id = NEW.conversation_id
        AND NEW.status IN ('undelivered', 'failed', 'rejected') AND NEW.error_code <> ''
    ON CONFLICT (q, channel_number, code) DO UPDATE SET n = n + 1;
END;
