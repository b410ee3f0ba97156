-- A snoozed conversation is open but out of the Open list until
-- snoozed_until; a new text or the waker clears it. The partial index
-- finds the snoozes that are due.
ALTER TABLE conversations ADD COLUMN snoozed_until TIMESTAMPTZ;
CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE snoozed_until IS NOT NULL;
