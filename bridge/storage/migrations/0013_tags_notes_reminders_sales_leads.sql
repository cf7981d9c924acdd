-- Tags and private notes on contacts, follow-up reminders, the sales mailbox, saved leads
-- A member's own tags: the name is unique per member, its colour an emoji chosen when the
-- tag was first used.
CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    name TEXT NOT NULL,
    colour TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (member_id, name)
);

-- Which contacts carry which tag (private to the tag's member).
CREATE TABLE contact_tags (
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    contact_id INTEGER NOT NULL REFERENCES members(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (tag_id, contact_id)
);
CREATE INDEX contact_tags_contact ON contact_tags(contact_id, tag_id);

-- One private note per member and contact (replaced as a whole).
CREATE TABLE contact_notes (
    member_id INTEGER NOT NULL REFERENCES members(id),
    contact_id INTEGER NOT NULL REFERENCES members(id),
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (member_id, contact_id)
);

-- Follow-up reminders: at due_at the conversation comes back unread for the member, with a
-- notification, unless someone wrote in it before (then the reminder is cancelled).
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    text TEXT NOT NULL DEFAULT '',
    due_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at TEXT NOT NULL,
    ended_at TEXT
);
-- One pending reminder per member and conversation (a new /remind replaces it).
CREATE UNIQUE INDEX reminders_one_pending ON reminders(member_id, conversation_id) WHERE status = 'pending';
CREATE INDEX reminders_due ON reminders(due_at) WHERE status = 'pending';
CREATE INDEX reminders_conversation ON reminders(conversation_id) WHERE status = 'pending';

-- The sales mailbox (Sales Navigator and Recruiter plans): each member's side of a
-- conversation is in their main inbox or their sales one; the unread index covers it, as
-- every header and digest counts one mailbox.
ALTER TABLE conversation_states ADD COLUMN mailbox TEXT NOT NULL DEFAULT 'main';
DROP INDEX conversation_states_unread;
CREATE INDEX conversation_states_unread ON conversation_states(member_id, last_activity_at, conversation_id, unread_count, spam, deleted, inmail, archived, mailbox) WHERE unread_count > 0;

-- Saved leads: members a member keeps in named lists (`/save @handle [list]`).
CREATE TABLE leads (
    member_id INTEGER NOT NULL REFERENCES members(id),
    contact_id INTEGER NOT NULL REFERENCES members(id),
    list_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (member_id, list_name, contact_id)
);
