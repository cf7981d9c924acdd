-- Handles no longer made from Telegram usernames (placeholders renamed at start); full-text search of messages; pending invitations by age (expiry) and spam reports by member (reputation); members.left_at (/delete_account); the undo window (members.undo_seconds, outgoing).
-- A handle that starts with the member's Telegram username (``bob``, or ``bob_2`` after a
-- clash) gave that username away: it becomes ``member__<id>`` (no chosen or generated handle
-- has a double underscore), which the next start replaces with a handle made from the
-- member's name, saving their search text anew (`Members.settle_placeholder_handles`).
UPDATE members
SET handle = 'member__' || id
WHERE username IS NOT NULL AND username <> ''
  AND substr(handle, 1, length(username)) = lower(username);

-- /search (PostgreSQL): the words of every message (text, InMail subject, file name) as a
-- stored generated tsvector, GIN-indexed, in step with every change without triggers. Folded
-- here as `bridge.core.search.fold` folds the query (NFKD, combining marks dropped; the
-- 'simple' config lowers case: no stemming, no stop words), with punctuation as a word break
-- as SQLite's unicode61 tokenizer has it ("report.pdf" has the word "pdf"). The query's join
-- on the member's conversation states keeps to their own messages (SQLite's index holds the
-- members as tokens instead).
ALTER TABLE messages ADD COLUMN search_words tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', regexp_replace(regexp_replace(
        normalize(coalesce(text, '') || ' ' || coalesce(subject, '') || ' '
                  || coalesce(att_file_name, ''), NFKD),
        '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'),
        '[[:punct:]]', ' ', 'g'))
) STORED;
CREATE INDEX messages_search ON messages USING gin (search_words);

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
