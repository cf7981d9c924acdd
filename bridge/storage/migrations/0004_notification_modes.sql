-- Notification modes, quiet hours, time zone and digest time per member; who a push was from; processed Telegram updates.
ALTER TABLE members ADD COLUMN notify_mode TEXT NOT NULL DEFAULT 'instant';
ALTER TABLE members ADD COLUMN quiet_start TEXT;
ALTER TABLE members ADD COLUMN quiet_end TEXT;
ALTER TABLE members ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE members ADD COLUMN digest_at TEXT;
ALTER TABLE members ADD COLUMN last_digest_on TEXT;
ALTER TABLE outbox ADD COLUMN sender_id INTEGER;
ALTER TABLE outbox ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_recent_push ON outbox(member_id, sender_id, sent_at);
CREATE TABLE processed_updates (update_id INTEGER PRIMARY KEY, processed_at TEXT NOT NULL);
