-- Handles no longer made from Telegram usernames (placeholders renamed at start); full-text search of messages; pending invitations by age (expiry) and spam reports by member (reputation); members.left_at (/delete_account); the undo window (members.undo_seconds, outgoing).
-- A handle that starts with the member's Telegram username (``bob``, or ``bob_2`` after a
-- clash) gave that username away: it becomes ``member__<id>`` (no chosen or generated handle
-- has a double underscore), which the next start replaces with a handle made from the
-- member's name, saving their search text anew (`Members.settle_placeholder_handles`).
UPDATE members
SET handle = 'member__' || id
WHERE username IS NOT NULL AND username <> ''
  AND substr(handle, 1, length(username)) = lower(username);

-- /search: the words of every message (text, InMail subject, file name) in an FTS5 index
-- that folds case and accents like members_search. Its content is a view, so the text is not
-- stored twice; the view adds the conversation's two members as tokens (``m12 m34``), so a
-- search matches "this member's messages" inside the index instead of filtering every
-- message of the network that has the word. Triggers keep it in step with messages.
CREATE VIEW message_search_source AS
SELECT m.id AS id, m.text AS body, m.subject AS subject, m.att_file_name AS file_name,
       'm' || c.member_a || ' m' || c.member_b AS members
FROM messages m JOIN conversations c ON c.id = m.conversation_id;
CREATE VIRTUAL TABLE messages_search USING fts5(
    body, subject, file_name, members, content='message_search_source', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO messages_search(messages_search) VALUES ('rebuild');
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_search(rowid, body, subject, file_name, members)
    SELECT new.id, new.text, new.subject, new.att_file_name, 'm' || member_a || ' m' || member_b
    FROM conversations WHERE id = new.conversation_id; END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_search(messages_search, rowid, body, subject, file_name, members)
    SELECT 'delete', old.id, old.text, old.subject, old.att_file_name, 'm' || member_a || ' m' || member_b
    FROM conversations WHERE id = old.conversation_id; END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF text, subject, att_file_name ON messages BEGIN
    INSERT INTO messages_search(messages_search, rowid, body, subject, file_name, members)
    SELECT 'delete', old.id, old.text, old.subject, old.att_file_name, 'm' || member_a || ' m' || member_b
    FROM conversations WHERE id = old.conversation_id;
    INSERT INTO messages_search(rowid, body, subject, file_name, members)
    SELECT new.id, new.text, new.subject, new.att_file_name, 'm' || member_a || ' m' || member_b
    FROM conversations WHERE id = new.conversation_id; END;

-- Invitations expire after `Rules.invitation_expiry`: the job finds the oldest pending ones
-- through this index, and the digest counts a sender's expired ones by sender.
CREATE INDEX invitations_pending_age ON invitations(created_at) WHERE status = 'pending';

-- A sender's reputation counts the spam reports against them (`MemberRepo.sender_record`).
CREATE INDEX spam_reports_reported ON spam_reports(reported_id, created_at);

-- /delete_account: the member's row stays (other members' threads name its messages' sender)
-- as an erased "former member": `left_at` says when; `MemberRepo.erase` blanks the rest.
ALTER TABLE members ADD COLUMN left_at TEXT;

-- The undo window (/settings, off by default): a member's message waits here until its
-- window ends, unseen by anyone else; Undo deletes the row; the release posts it and deletes
-- the row in one transaction (so once), at start too for windows that ended while down.
ALTER TABLE members ADD COLUMN undo_seconds INTEGER NOT NULL DEFAULT 0;
CREATE TABLE outgoing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id INTEGER NOT NULL REFERENCES members(id),
    target_id INTEGER NOT NULL REFERENCES members(id),
    text TEXT,
    attachment TEXT,
    reply_to_id INTEGER,
    origin_chat_id BIGINT,
    origin_message_id BIGINT,
    confirm_chat_id BIGINT,
    confirm_message_id BIGINT,
    due_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outgoing_due ON outgoing(due_at, id);
