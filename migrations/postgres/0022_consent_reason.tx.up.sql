-- Why a contact was opted back in by hand: the override of a STOP has to
-- be accountable. Empty for every other change (a keyword explains those).
ALTER TABLE consent_events ADD COLUMN reason TEXT NOT NULL DEFAULT '';
