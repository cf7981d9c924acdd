-- Processed updates keyed by id and content (ids repeat after a new token or a restarted server); updates the library could not read.
DROP TABLE processed_updates;
CREATE TABLE processed_updates (
    update_key TEXT PRIMARY KEY,
    update_id BIGINT NOT NULL,
    processed_at TEXT NOT NULL
);
CREATE INDEX processed_updates_age ON processed_updates(processed_at);
CREATE TABLE unreadable_updates (
    update_key TEXT PRIMARY KEY,
    update_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    error TEXT NOT NULL,
    received_at TEXT NOT NULL
);
