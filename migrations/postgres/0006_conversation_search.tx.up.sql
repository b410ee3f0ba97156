-- Search moves from every message to one list of distinct words per
-- conversation (kept by Parley as messages arrive): a million messages
-- become a hundred thousand short documents, and the per-message index no
-- longer costs every webhook a write.
ALTER TABLE conversations ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
CREATE INDEX conversations_search ON conversations USING GIN (to_tsvector('simple', search_terms));
DROP INDEX messages_body_search;
