-- Who did what, for admins: sign-ins, role changes, rule and label edits,
-- opt-ins and opt-outs by hand. The log outlives people: actor_id is no
-- foreign key, and the actor's email is kept beside it, so an entry still
-- names them after they are removed.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    actor_id    BIGINT NOT NULL DEFAULT 0,
    actor_email TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    at          TIMESTAMPTZ NOT NULL
);
