-- Payments in Telegram Stars: one row per telegram_payment_charge_id (recorded once, however often Telegram delivers it), what it bought, and its refund; and members' message templates.
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
