-- Payments in Telegram Stars (one row per charge id, recorded once), members' message templates, and their answers to invitations without a note (an automatic reply, a note required).
CREATE TABLE star_payments (
    charge_id TEXT PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    offer_id TEXT NOT NULL,
    stars INTEGER NOT NULL CHECK (stars > 0),
    credits INTEGER NOT NULL DEFAULT 0 CHECK (credits >= 0),
    plan TEXT,
    paid_at TEXT NOT NULL,
    refunded_at TEXT,
    credits_taken_back INTEGER CHECK (credits_taken_back >= 0)
);
CREATE INDEX star_payments_member ON star_payments(member_id, paid_at);

-- A member's own templates for invitation notes, messages and InMails, by name.
CREATE TABLE message_templates (
    member_id INTEGER NOT NULL REFERENCES members(id),
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (member_id, name)
);

-- Invitations without a note: an automatic reply asking why (on/off, its text), and a note required to invite at all.
ALTER TABLE members ADD COLUMN auto_reply_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN auto_reply TEXT;
ALTER TABLE members ADD COLUMN require_note INTEGER NOT NULL DEFAULT 0;
