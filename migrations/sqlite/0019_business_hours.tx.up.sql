-- Business hours and the automatic messages: one row of settings, kept as
-- JSON (the shape is the domain's, and read whole), and when each
-- conversation last got the after-hours reply (once per closed period).
CREATE TABLE business_hours (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    settings   TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

ALTER TABLE conversations ADD COLUMN after_hours_replied_at TIMESTAMP;
