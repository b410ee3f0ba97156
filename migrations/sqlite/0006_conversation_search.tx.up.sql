-- Search moves from every message to one list of distinct words per
-- conversation (kept by Parley as messages arrive): a million messages
-- become a hundred thousand short documents, and the per-message index no
-- longer costs every webhook a write.
ALTER TABLE conversations ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE conversations_fts USING fts5(
    search_terms, content = 'conversations', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversations_fts (rowid, search_terms) VALUES (new.id, new.search_terms);
END;
CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO conversations_fts (conversations_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
END;
CREATE TRIGGER conversations_fts_update AFTER UPDATE OF search_terms ON conversations BEGIN
    INSERT INTO conversations_fts (conversations_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
    INSERT INTO conversations_fts (rowid, search_terms) VALUES (new.id, new.search_terms);
END;
INSERT INTO conversations_fts (rowid, search_terms) SELECT id, search_terms FROM conversations;
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;
