-- What a member's next text message is for (a note, a profile field); where invitations show in chats; sponsored InMails.
ALTER TABLE members ADD COLUMN awaiting TEXT;
ALTER TABLE inmails ADD COLUMN sponsored INTEGER NOT NULL DEFAULT 0;
CREATE TABLE invitation_copies (
    invitation_id INTEGER NOT NULL REFERENCES invitations(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    chat_id BIGINT NOT NULL,
    telegram_message_id BIGINT NOT NULL,
    PRIMARY KEY (chat_id, telegram_message_id)
);
CREATE INDEX invitation_copies_invitation ON invitation_copies(invitation_id, member_id);
