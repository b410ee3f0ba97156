-- Search finds people as well as words. A contact's name and notes get a
-- word list of their own, normalised by Parley like a conversation's
-- (lower case, accents removed) and rewritten whenever the contact is
-- saved, so a renamed contact is no longer found by the old name. Parley
-- fills it for existing contacts, and adds the words of existing internal
-- notes to their conversations' lists, right after this migration.
ALTER TABLE contacts ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
CREATE INDEX contacts_search ON contacts USING GIN (to_tsvector('simple', search_terms));

-- Digits typed in any format match anywhere in the number ("555 0142"
-- finds +14155550142). A trigram index answers that substring match
-- instead of a walk over every conversation. pg_trgm ships with
-- PostgreSQL and is a trusted extension: the database's owner may create
-- it. It goes in public, and its operator class is named with the schema,
-- so the index does not depend on the search_path Parley connects with.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX conversations_number_trgm ON conversations USING GIN (contact_number public.gin_trgm_ops);

-- The tabs show how many unread conversations Open, Mine and Unassigned
-- hold, on every page. The title's count already reads this index alone;
-- holding the assignee too lets one statement count all three from it.
DROP INDEX conversations_unread_awake;
CREATE INDEX conversations_unread_awake ON conversations (status, unread_count, snoozed_until, assignee_id) WHERE status = 'open' AND unread_count > 0;
