-- Unread inbox index: unread conversations only, in page order, covering the unread totals.
-- Replaces (member_id, unread_count): with it, the first unread page sorted all of a member's
-- unread conversations (1.5 ms at 1,300 unread) and the totals read every unread row's table
-- row; this partial index walks in page order and stops at the page (0.015 ms).
DROP INDEX conversation_states_unread;
CREATE INDEX conversation_states_unread ON conversation_states(member_id, last_activity_at, conversation_id, unread_count, spam, deleted, inmail) WHERE unread_count > 0;
