-- Telegram copies of stored messages (for replies, edits, reactions) and each member's open conversation.
CREATE TABLE chat_copies (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    chat_id BIGINT NOT NULL,
    telegram_message_id BIGINT NOT NULL,
    is_original INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, telegram_message_id)
);
CREATE INDEX chat_copies_message ON chat_copies(message_id, member_id);

ALTER TABLE members ADD COLUMN current_peer_id INTEGER REFERENCES members(id);
