-- Tombstones: who was removed, when and by whom. A removed address is
-- refused by the allowlist (ALLOWED_EMAIL_DOMAINS) until an admin invites
-- it again, which deletes its row. removed_by is the admin's email, not a
-- foreign key, so the record outlives the admin too.
CREATE TABLE removed_users (
    email      TEXT PRIMARY KEY,
    removed_at TIMESTAMP NOT NULL,
    removed_by TEXT NOT NULL DEFAULT ''
);
