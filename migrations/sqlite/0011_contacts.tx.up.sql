-- What the team knows about the person behind a number, whichever of our
-- numbers they text: a name shown instead of the number, notes, and
-- fields of the team's own (a JSON list of {Key, Value}).
CREATE TABLE contacts (
    number     TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    fields     TEXT NOT NULL DEFAULT '[]',
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
