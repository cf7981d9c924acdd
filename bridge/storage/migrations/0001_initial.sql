-- Members, connections, invitations, conversations, messages, InMail and the credit ledger.
CREATE TABLE members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    telegram_id BIGINT NOT NULL UNIQUE,
    handle TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL DEFAULT '',
    username TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    headline TEXT NOT NULL DEFAULT '',
    company TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    about TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    invite_policy TEXT NOT NULL DEFAULT 'everyone',
    inmail_opt_out INTEGER NOT NULL DEFAULT 0,
    plan TEXT NOT NULL DEFAULT 'free',
    credits INTEGER NOT NULL DEFAULT 0 CHECK (credits >= 0),
    plan_started_at TEXT NOT NULL,
    renewals_done INTEGER NOT NULL DEFAULT 0,
    reachable INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE blocks (
    blocker_id INTEGER NOT NULL REFERENCES members(id),
    blocked_id INTEGER NOT NULL REFERENCES members(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks(blocked_id);

-- One row per undirected connection, member_a < member_b.
CREATE TABLE connections (
    member_a INTEGER NOT NULL REFERENCES members(id),
    member_b INTEGER NOT NULL REFERENCES members(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (member_a, member_b),
    CHECK (member_a < member_b)
);
CREATE INDEX connections_b ON connections(member_b);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_a INTEGER NOT NULL REFERENCES members(id),
    member_b INTEGER NOT NULL REFERENCES members(id),
    created_at TEXT NOT NULL,
    last_message_id INTEGER,
    last_activity_at TEXT NOT NULL,
    invitation_id INTEGER,
    inmail_id INTEGER,
    UNIQUE (member_a, member_b),
    CHECK (member_a < member_b)
);

CREATE TABLE conversation_states (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    unread_count INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
    last_read_message_id INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    cleared_through INTEGER NOT NULL DEFAULT 0,
    spam INTEGER NOT NULL DEFAULT 0,
    inmail INTEGER NOT NULL DEFAULT 0,
    last_activity_at TEXT NOT NULL,
    PRIMARY KEY (member_id, conversation_id)
);
CREATE INDEX conversation_states_inbox ON conversation_states(member_id, last_activity_at, conversation_id);
CREATE INDEX conversation_states_unread ON conversation_states(member_id, unread_count);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id INTEGER NOT NULL REFERENCES members(id),
    recipient_id INTEGER NOT NULL REFERENCES members(id),
    note TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    responded_at TEXT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id)
);
CREATE INDEX invitations_sender ON invitations(sender_id, created_at);
CREATE INDEX invitations_recipient ON invitations(recipient_id, status);
-- At most one pending invitation per direction.
CREATE UNIQUE INDEX invitations_one_pending ON invitations(sender_id, recipient_id)
    WHERE status = 'pending';

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    sender_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL DEFAULT 'message',
    text TEXT,
    subject TEXT,
    att_kind TEXT,
    att_file_id TEXT,
    att_file_unique_id TEXT,
    att_duration INTEGER,
    att_file_size INTEGER,
    att_mime_type TEXT,
    att_file_name TEXT,
    att_width INTEGER,
    att_height INTEGER,
    att_length INTEGER,
    att_emoji TEXT,
    att_title TEXT,
    reply_to_id INTEGER REFERENCES messages(id),
    forwarded_from_id INTEGER REFERENCES members(id),
    created_at TEXT NOT NULL,
    edited_at TEXT
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);

CREATE TABLE message_edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    old_text TEXT,
    edited_at TEXT NOT NULL
);
CREATE INDEX message_edits_message ON message_edits(message_id);

CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    emoji TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (message_id, member_id)
);

CREATE TABLE inmails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id INTEGER NOT NULL REFERENCES members(id),
    recipient_id INTEGER NOT NULL REFERENCES members(id),
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    message_id INTEGER NOT NULL REFERENCES messages(id),
    subject TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'sent',
    sent_at TEXT NOT NULL,
    responded_at TEXT,
    refund_state TEXT NOT NULL DEFAULT 'pending',
    refund_deadline TEXT NOT NULL
);
CREATE INDEX inmails_sender ON inmails(sender_id, refund_state);
CREATE INDEX inmails_refunds ON inmails(refund_state, refund_deadline);

CREATE TABLE credit_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    delta INTEGER NOT NULL,
    balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
    reason TEXT NOT NULL DEFAULT '',
    inmail_id INTEGER REFERENCES inmails(id),
    created_at TEXT NOT NULL
);
CREATE INDEX credit_ledger_member ON credit_ledger(member_id, id);

CREATE TABLE spam_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reporter_id INTEGER NOT NULL REFERENCES members(id),
    reported_id INTEGER NOT NULL REFERENCES members(id),
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    created_at TEXT NOT NULL,
    reviewed INTEGER NOT NULL DEFAULT 0
);
