-- Every signature nonce of an accepted webhook, claimed before its work
-- (the primary key makes the claim atomic), kept 30 days; and which
-- signature versions the account has sent, so a V2-only request can be
-- refused once V3 is known to be in use.
CREATE TABLE webhook_nonces (
    nonce      TEXT PRIMARY KEY,
    claimed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_nonces_claimed_at ON webhook_nonces (claimed_at);

CREATE TABLE signature_versions (
    version       INTEGER PRIMARY KEY,
    first_seen_at TIMESTAMPTZ NOT NULL
);
