-- Several workers: an outbox row claimed by one delivery worker until its lease ends; live workers' heartbeats (each takes its share of Telegram's per-bot rate limit).
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
CREATE TABLE workers (
    name TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
