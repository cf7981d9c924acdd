-- Search index (accent- and case-folded, word prefixes) and saved searches for paging /find; the unread index covers archived; held messages and each member's recent conversation ("Send to …").
-- /find matches words through FTS5: unicode61 folds case and, with remove_diacritics 2, accents
-- ("ingenieur" finds "Ingénieure"); prefix queries match the start of words. The index reads
-- members.search_text (an external-content table: no second copy of the text) and triggers
-- keep it in step with every insert, change and deletion — the bulk path's inserts included.
CREATE VIRTUAL TABLE members_search USING fts5(
    search_text, content='members', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO members_search(members_search) VALUES ('rebuild');
CREATE TRIGGER members_search_insert AFTER INSERT ON members BEGIN
    INSERT INTO members_search(rowid, search_text) VALUES (new.id, new.search_text); END;
CREATE TRIGGER members_search_delete AFTER DELETE ON members BEGIN
    INSERT INTO members_search(members_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END;
CREATE TRIGGER members_search_update AFTER UPDATE OF search_text ON members
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO members_search(members_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO members_search(rowid, search_text) VALUES (new.id, new.search_text); END;

-- A /find's words, so its result pages can be turned later (callback data holds 64 bytes).
CREATE TABLE searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    query TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX searches_member ON searches(member_id, id);

-- Inbox headers count the unread conversations each filter shows: archived joins the index.
DROP INDEX conversation_states_unread;
CREATE INDEX conversation_states_unread ON conversation_states(member_id, last_activity_at, conversation_id, unread_count, spam, deleted, inmail, archived) WHERE unread_count > 0;

-- The conversation a member last read, answered or pressed a button in: where a message sent
-- with no conversation open most likely belongs.
CREATE TABLE recent_peers (
    member_id INTEGER PRIMARY KEY REFERENCES members(id),
    peer_id INTEGER NOT NULL REFERENCES members(id),
    at TEXT NOT NULL
);

-- A message sent with no conversation open, kept until the member taps "Send to …" (or not).
CREATE TABLE held_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    peer_id INTEGER NOT NULL REFERENCES members(id),
    text TEXT,
    attachment TEXT,
    chat_id BIGINT,
    telegram_message_id BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX held_messages_member ON held_messages(member_id, id);
