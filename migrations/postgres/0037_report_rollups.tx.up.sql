-- Report rollups: exact running counts that the reports screen reads
-- instead of every message of two periods. Triggers keep them in the
-- transaction that changes a message or opens a conversation, so they
-- are never behind or approximate. Time is keyed by UTC quarter-hour
-- (q = Unix seconds / 900): every time zone's midnights and hours fall on
-- one, so a period in the team's zone is a whole range of q.
-- docs/reports.md gives the rules.

-- Counts by quarter-hour and number. Every text of a quarter-hour would
-- update one row, and concurrent webhooks would queue on its lock until
-- each commits; shard spreads them over up to 64 rows by the writing
-- connection, and a read sums them.
CREATE TABLE report_counts (
    q              BIGINT NOT NULL,
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
);

-- Carrier error codes of undelivered, failed and rejected texts, by the
-- quarter-hour the text was written in.
CREATE TABLE report_errors (
    q              BIGINT NOT NULL,
    channel_number TEXT NOT NULL,
    code           TEXT NOT NULL,
    n              INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (q, channel_number, code)
);

-- Contact texts by conversation and quarter-hour: the busiest contacts.
CREATE TABLE report_texts (
    q               BIGINT NOT NULL,
    conversation_id BIGINT NOT NULL,
    n               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (q, conversation_id)
);
CREATE INDEX report_texts_read ON report_texts (q, conversation_id, n);

-- Human replies by agent, conversation and quarter-hour. No foreign key
-- to users: a removed agent's replies stay theirs.
CREATE TABLE report_replies (
    q               BIGINT NOT NULL,
    user_id         BIGINT NOT NULL,
    conversation_id BIGINT NOT NULL,
    n               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (q, user_id, conversation_id)
);

-- Waits for a human: from a contact's text that no human reply has
-- answered since the previous one, to the first human reply after it.
-- Two cannot begin at one instant in a conversation: texts at one
-- instant are one run, taken before a reply at that instant.
CREATE TABLE report_waits (
    conversation_id BIGINT NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    answered_at     TIMESTAMPTZ,
    answered_by     BIGINT,
    -- What a report reads of an answered wait, as integers: the start in
    -- Unix seconds (every boundary a report compares it with is a whole
    -- second) and the wait in milliseconds.
    started_s       BIGINT NOT NULL,
    wait_ms         BIGINT,
    PRIMARY KEY (conversation_id, started_at)
);
-- The answered waits of a period with all a report reads of them, and
-- the unanswered ones by age. Each holds the column its WHERE names, or
-- SQLite reads every row's table entry to check it.
CREATE INDEX report_waits_answered ON report_waits (started_s, conversation_id, wait_ms, answered_by) WHERE wait_ms IS NOT NULL;
CREATE INDEX report_waits_unanswered ON report_waits (started_at, conversation_id, answered_at) WHERE answered_at IS NULL;
CREATE UNIQUE INDEX report_waits_open ON report_waits (conversation_id) WHERE answered_at IS NULL;

-- The quarter-hour of an instant.
CREATE FUNCTION report_q(t TIMESTAMPTZ) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT floor(extract(epoch FROM t) / 900)::bigint $$;

-- Which outcome an outbound text counts as: a text Parley could not
-- confirm handing to the carrier is unconfirmed, not failed.
-- A wait's length in milliseconds.
CREATE FUNCTION report_wait_ms(started TIMESTAMPTZ, answered TIMESTAMPTZ) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT round(extract(epoch FROM answered - started) * 1000)::bigint $$;

CREATE FUNCTION report_outcome(status TEXT, error_code TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE
    WHEN status = 'failed' AND error_code = 'unconfirmed' THEN 'unconfirmed'
    WHEN status = 'delivered' THEN 'delivered'
    WHEN status = 'undelivered' THEN 'undelivered'
    WHEN status IN ('failed', 'rejected') THEN 'failed'
    ELSE 'unconfirmed' END $$;

-- Rebuilds one conversation's waits (every conversation's when id is
-- NULL) from its messages. A wait is a run of contact texts and the human
-- reply that ends it: numbering each text and reply by how many human
-- replies came before it puts a run and its answer in one group. Ties
-- are ordered as the scan of messages orders them: by time, a contact's
-- text before a reply, then by id.
CREATE FUNCTION report_rebuild_waits(conversation BIGINT) RETURNS void
LANGUAGE sql
AS $$
    DELETE FROM report_waits AS w WHERE $1 IS NULL OR w.conversation_id = $1;
    INSERT INTO report_waits (conversation_id, started_at, answered_at, answered_by, started_s, wait_ms)
    SELECT conversation_id, started, answered, answered_by, floor(extract(epoch FROM started))::bigint,
        report_wait_ms(started, answered)
    FROM (
    SELECT conversation_id,
        MIN(created_at) FILTER (WHERE direction = 'inbound') AS started,
        MAX(created_at) FILTER (WHERE direction = 'outbound') AS answered,
        MAX(sent_by) FILTER (WHERE direction = 'outbound') AS answered_by
    FROM (
        SELECT m.conversation_id, m.created_at, m.direction, m.sent_by,
            COALESCE(COUNT(*) FILTER (WHERE m.direction = 'outbound') OVER (PARTITION BY m.conversation_id
                ORDER BY m.created_at, m.direction, m.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS grp
        FROM messages AS m
        WHERE ($1 IS NULL OR m.conversation_id = $1) AND (m.direction = 'inbound' OR m.sent_by IS NOT NULL)
    ) AS ev
    GROUP BY conversation_id, grp
    HAVING MIN(created_at) FILTER (WHERE direction = 'inbound') IS NOT NULL
    ) AS waits;
$$;

-- Backfill from the history already stored. (A test runs what lies
-- between this line and the backfill's end against its own history.)
INSERT INTO report_counts (q, channel_number, opened)
SELECT report_q(created_at), channel_number, COUNT(*) FROM conversations GROUP BY 1, 2;

INSERT INTO report_counts AS r (q, channel_number, received, sent, delivered, undelivered, failed, unconfirmed)
SELECT report_q(m.created_at), c.channel_number,
    COUNT(*) FILTER (WHERE m.direction = 'inbound'),
    COUNT(*) FILTER (WHERE m.direction = 'outbound'),
    COUNT(*) FILTER (WHERE m.direction = 'outbound' AND report_outcome(m.status, m.error_code) = 'delivered'),
    COUNT(*) FILTER (WHERE m.direction = 'outbound' AND report_outcome(m.status, m.error_code) = 'undelivered'),
    COUNT(*) FILTER (WHERE m.direction = 'outbound' AND report_outcome(m.status, m.error_code) = 'failed'),
    COUNT(*) FILTER (WHERE m.direction = 'outbound' AND report_outcome(m.status, m.error_code) = 'unconfirmed')
FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id
GROUP BY 1, 2
ON CONFLICT (q, channel_number, shard) DO UPDATE SET
    received = r.received + EXCLUDED.received, sent = r.sent + EXCLUDED.sent,
    delivered = r.delivered + EXCLUDED.delivered, undelivered = r.undelivered + EXCLUDED.undelivered,
    failed = r.failed + EXCLUDED.failed, unconfirmed = r.unconfirmed + EXCLUDED.unconfirmed;

INSERT INTO report_errors (q, channel_number, code, n)
SELECT report_q(m.created_at), c.channel_number, m.error_code, COUNT(*)
FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id
WHERE m.direction = 'outbound' AND m.status IN ('undelivered', 'failed', 'rejected') AND m.error_code <> ''
GROUP BY 1, 2, 3;

INSERT INTO report_texts (q, conversation_id, n)
SELECT report_q(created_at), conversation_id, COUNT(*)
FROM messages WHERE direction = 'inbound' GROUP BY 1, 2;

INSERT INTO report_replies (q, user_id, conversation_id, n)
SELECT report_q(created_at), sent_by, conversation_id, COUNT(*)
FROM messages WHERE direction = 'outbound' AND sent_by IS NOT NULL GROUP BY 1, 2, 3;

SELECT report_rebuild_waits(NULL);

-- The backfill's end.

CREATE FUNCTION report_conversation_opened() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO report_counts AS r (q, channel_number, shard, opened)
    VALUES (report_q(NEW.created_at), NEW.channel_number, pg_backend_pid() % 64, 1)
    ON CONFLICT (q, channel_number, shard) DO UPDATE SET opened = r.opened + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER report_conversation_opened AFTER INSERT ON conversations
FOR EACH ROW EXECUTE FUNCTION report_conversation_opened();

-- A message written: its counts, its error code, its contact text or
-- human reply, and the wait it opens or ends.
CREATE FUNCTION report_message_written() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    chan TEXT;
    outcome TEXT := report_outcome(NEW.status, NEW.error_code);
    quarter BIGINT := report_q(NEW.created_at);
    inbound BOOLEAN := NEW.direction = 'inbound';
BEGIN
    SELECT channel_number INTO chan FROM conversations WHERE id = NEW.conversation_id;
    INSERT INTO report_counts AS r (q, channel_number, shard, received, sent, delivered, undelivered, failed, unconfirmed)
    VALUES (quarter, chan, pg_backend_pid() % 64, inbound::int, (NOT inbound)::int,
        (NOT inbound AND outcome = 'delivered')::int, (NOT inbound AND outcome = 'undelivered')::int,
        (NOT inbound AND outcome = 'failed')::int, (NOT inbound AND outcome = 'unconfirmed')::int)
    ON CONFLICT (q, channel_number, shard) DO UPDATE SET
        received = r.received + EXCLUDED.received, sent = r.sent + EXCLUDED.sent,
        delivered = r.delivered + EXCLUDED.delivered, undelivered = r.undelivered + EXCLUDED.undelivered,
        failed = r.failed + EXCLUDED.failed, unconfirmed = r.unconfirmed + EXCLUDED.unconfirmed;
    IF NOT inbound AND NEW.status IN ('undelivered', 'failed', 'rejected') AND NEW.error_code <> '' THEN
        INSERT INTO report_errors AS r (q, channel_number, code, n) VALUES (quarter, chan, NEW.error_code, 1)
        ON CONFLICT (q, channel_number, code) DO UPDATE SET n = r.n + 1;
    END IF;
    IF inbound THEN
        INSERT INTO report_texts AS r (q, conversation_id, n) VALUES (quarter, NEW.conversation_id, 1)
        ON CONFLICT (q, conversation_id) DO UPDATE SET n = r.n + 1;
    ELSIF NEW.sent_by IS NOT NULL THEN
        INSERT INTO report_replies AS r (q, user_id, conversation_id, n) VALUES (quarter, NEW.sent_by, NEW.conversation_id, 1)
        ON CONFLICT (q, user_id, conversation_id) DO UPDATE SET n = r.n + 1;
    ELSE
        RETURN NULL; -- an automatic reply opens and ends no wait
    END IF;
    -- Written after every other text and human reply of its conversation
    -- (the usual case: the check reads only the newest entries of
    -- messages_report), it opens or ends a wait; written at or before
    -- another (a clock step, a replay), the conversation's waits are
    -- rebuilt by the backfill's rule.
    IF EXISTS (SELECT 1 FROM messages AS m WHERE m.created_at >= NEW.created_at AND m.conversation_id = NEW.conversation_id
            AND m.id <> NEW.id AND (m.direction = 'inbound' OR m.sent_by IS NOT NULL)) THEN
        PERFORM report_rebuild_waits(NEW.conversation_id);
    ELSIF inbound THEN
        INSERT INTO report_waits (conversation_id, started_at, started_s)
        VALUES (NEW.conversation_id, NEW.created_at, floor(extract(epoch FROM NEW.created_at))::bigint)
        ON CONFLICT (conversation_id) WHERE answered_at IS NULL DO NOTHING;
    ELSE
        UPDATE report_waits SET answered_at = NEW.created_at, answered_by = NEW.sent_by,
            wait_ms = report_wait_ms(started_at, NEW.created_at)
        WHERE conversation_id = NEW.conversation_id AND answered_at IS NULL;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER report_message_written AFTER INSERT ON messages
FOR EACH ROW EXECUTE FUNCTION report_message_written();

-- A delivery report moves an outbound text between outcomes; the text
-- keeps the quarter-hour it was written in. Steps that change no outcome
-- (queued, sending, sent) touch no rollup.
CREATE FUNCTION report_message_outcome() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    chan TEXT;
    was TEXT := report_outcome(OLD.status, OLD.error_code);
    now_is TEXT := report_outcome(NEW.status, NEW.error_code);
    quarter BIGINT := report_q(NEW.created_at);
    old_error BOOLEAN := OLD.status IN ('undelivered', 'failed', 'rejected') AND OLD.error_code <> '';
    new_error BOOLEAN := NEW.status IN ('undelivered', 'failed', 'rejected') AND NEW.error_code <> '';
BEGIN
    IF was = now_is AND old_error = new_error AND (NOT new_error OR OLD.error_code = NEW.error_code) THEN
        RETURN NULL;
    END IF;
    SELECT channel_number INTO chan FROM conversations WHERE id = NEW.conversation_id;
    IF was <> now_is THEN
        INSERT INTO report_counts AS r (q, channel_number, shard, delivered, undelivered, failed, unconfirmed)
        VALUES (quarter, chan, pg_backend_pid() % 64,
            (now_is = 'delivered')::int - (was = 'delivered')::int,
            (now_is = 'undelivered')::int - (was = 'undelivered')::int,
            (now_is = 'failed')::int - (was = 'failed')::int,
            (now_is = 'unconfirmed')::int - (was = 'unconfirmed')::int)
        ON CONFLICT (q, channel_number, shard) DO UPDATE SET
            delivered = r.delivered + EXCLUDED.delivered, undelivered = r.undelivered + EXCLUDED.undelivered,
            failed = r.failed + EXCLUDED.failed, unconfirmed = r.unconfirmed + EXCLUDED.unconfirmed;
    END IF;
    IF old_error THEN
        INSERT INTO report_errors AS r (q, channel_number, code, n) VALUES (quarter, chan, OLD.error_code, -1)
        ON CONFLICT (q, channel_number, code) DO UPDATE SET n = r.n - 1;
    END IF;
    IF new_error THEN
        INSERT INTO report_errors AS r (q, channel_number, code, n) VALUES (quarter, chan, NEW.error_code, 1)
        ON CONFLICT (q, channel_number, code) DO UPDATE SET n = r.n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER report_message_outcome AFTER UPDATE OF status, error_code ON messages
FOR EACH ROW WHEN (NEW.direction = 'outbound' AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.error_code IS DISTINCT FROM NEW.error_code))
EXECUTE FUNCTION report_message_outcome();
