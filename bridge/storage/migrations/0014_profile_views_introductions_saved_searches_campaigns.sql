-- Who viewed my profile (one row per viewer, viewed member and UTC day), private browsing; warm introductions; saved searches; campaigns.
ALTER TABLE members ADD COLUMN private_browsing INTEGER NOT NULL DEFAULT 0;
CREATE TABLE profile_views (
    viewed_id INTEGER NOT NULL REFERENCES members(id),
    viewer_id INTEGER NOT NULL REFERENCES members(id),
    day TEXT NOT NULL,
    viewed_at TEXT NOT NULL,
    PRIMARY KEY (viewed_id, viewer_id, day)
);
CREATE INDEX profile_views_recent ON profile_views(viewed_id, viewed_at);
-- Warm introductions: a member asks a connection to introduce them to someone the connection
-- knows; the connection forwards it (once) or declines (silently).
CREATE TABLE introductions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    requester_id INTEGER NOT NULL REFERENCES members(id),
    target_id INTEGER NOT NULL REFERENCES members(id),
    intermediary_id INTEGER NOT NULL REFERENCES members(id),
    note TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'asked',
    created_at TEXT NOT NULL,
    answered_at TEXT
);
CREATE UNIQUE INDEX introductions_one_asked ON introductions(requester_id, target_id) WHERE status = 'asked';
CREATE INDEX introductions_pair ON introductions(requester_id, target_id, status);
CREATE INDEX introductions_reverse ON introductions(target_id, requester_id, status);
-- Saved searches: the digest lists members who joined since (ids above last_member_id) and match.
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    query TEXT NOT NULL,
    last_member_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (member_id, query)
);
-- Campaigns: visit, wait, invite, welcome on acceptance, follow up; one row per lead, its
-- step and when it is due (the JobQueue runs what is due; each step claims the row).
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members(id),
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    wait_days INTEGER NOT NULL,
    follow_up_days INTEGER NOT NULL,
    note TEXT,
    welcome TEXT,
    follow_up TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX campaigns_member ON campaigns(member_id);
CREATE TABLE campaign_leads (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    lead_id INTEGER NOT NULL REFERENCES members(id),
    step TEXT NOT NULL,
    due_at TEXT NOT NULL,
    invitation_id INTEGER REFERENCES invitations(id),
    added_at TEXT NOT NULL,
    visited_at TEXT,
    invited_at TEXT,
    accepted_at TEXT,
    welcomed_at TEXT,
    followed_up_at TEXT,
    left_at TEXT,
    outcome TEXT,
    PRIMARY KEY (campaign_id, lead_id)
);
CREATE INDEX campaign_leads_due ON campaign_leads(due_at, step);
