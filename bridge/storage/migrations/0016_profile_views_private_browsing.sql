-- Who viewed my profile: one row per viewer, viewed member and UTC day; private browsing.
ALTER TABLE members ADD COLUMN private_browsing INTEGER NOT NULL DEFAULT 0;
CREATE TABLE profile_views (
    viewed_id INTEGER NOT NULL REFERENCES members(id),
    viewer_id INTEGER NOT NULL REFERENCES members(id),
    day TEXT NOT NULL,
    viewed_at TEXT NOT NULL,
    PRIMARY KEY (viewed_id, viewer_id, day)
);
CREATE INDEX profile_views_recent ON profile_views(viewed_id, viewed_at);
