-- Reconciling a lost send answer: claimed_at is when the outbox last
-- claimed the message (the start of the window Plivo's message list is
-- searched over); reconcile is '' while an unconfirmed message waits to be
-- looked up, 'resent' once a lookup found nothing and sent it again (it is
-- never sent a third time), 'person' once the lookup left it for an agent,
-- with its evidence in error_message.
ALTER TABLE messages ADD COLUMN claimed_at TIMESTAMP;
ALTER TABLE messages ADD COLUMN reconcile TEXT NOT NULL DEFAULT '';
CREATE INDEX messages_unconfirmed ON messages (updated_at, id)
    WHERE status = 'failed' AND error_code = 'unconfirmed' AND reconcile <> 'person';

-- Sending pace, shared by every instance: a number may send its next
-- message at next_send_at, advanced in the claim transaction; the row
-- named '*' holds a pause ordered by Plivo's 429 (its API limit is
-- per account, not per number).
CREATE TABLE send_pace (
    number       TEXT PRIMARY KEY,
    next_send_at TIMESTAMP NOT NULL,
    paused_until TIMESTAMP
);
