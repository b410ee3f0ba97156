-- Search finds people as well as words. A contact's name and notes get a
-- word list of their own, normalised by Parley like a conversation's
-- (lower case, accents removed) and rewritten whenever the contact is
-- saved, so a renamed contact is no longer found by the old name. Parley
-- fills it for existing contacts, and adds the words of existing internal
-- notes to their conversations' lists, right after this migration.
ALTER TABLE contacts ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';

-- Digits typed in any format match anywhere in the number ("555 0142"
-- finds +14155550142). A trigram index answers that substring match
-- instead of a walk over every conversation.
CREATE VIRTUAL TABLE conversations_number_fts USING fts5(
    contact_number, content = 'conversations', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER conversations_number_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversations_number_fts (rowid, contact_number) VALUES (new.id, new.contact_number);
END;
CREATE TRIGGER conversations_number_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO conversations_number_fts (conversations_number_fts, rowid, contact_number) VALUES ('delete', old.id, old.contact_number);
END;
CREATE TRIGGER conversations_number_fts_update AFTER UPDATE OF contact_number ON conversations BEGIN
    INSERT INTO conversations_number_fts (conversations_number_fts, rowid, contact_number) VALUES ('delete', old.id, old.contact_number);
    INSERT INTO conversations_number_fts (rowid, contact_number) VALUES (new.id, new.contact_number);
END;
INSERT INTO conversations_number_fts (rowid, contact_number) SELECT id, contact_number FROM conversations;

-- The tabs show how many unread conversations Open, Mine and Unassigned
-- hold, on every page. The title's count already reads this index alone;
-- holding the assignee too lets one statement count all three from it.
DROP INDEX conversations_unread_awake;
CREATE INDEX conversations_unread_awake ON conversations (status, unread_count, snoozed_until, assignee_id) WHERE status = 'open' AND unread_count > 0;
