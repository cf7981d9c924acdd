-- Connection graph snapshot: every change to connections logged by triggers, and the graph index saved as CSR blobs
-- PostgreSQL: one trigger logs every change, at the next position of `connection_log_head`,
-- advanced under that row's lock: positions follow commit order with no gap (a change rolled
-- back gives its position back), which is what a worker following the log relies on
-- (bridge.storage.postgres.follow). Each change is announced on the channel
-- `bridge_connections`, delivered to listening workers when its transaction commits.
CREATE TABLE connection_changes (
    seq INTEGER PRIMARY KEY,
    member_a INTEGER NOT NULL,
    member_b INTEGER NOT NULL,
    added INTEGER NOT NULL CHECK (added IN (0, 1))
);
CREATE TABLE connection_log_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO connection_log_head (id, seq) VALUES (1, 0);
CREATE FUNCTION connections_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    position INTEGER;
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE connection_log_head SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO position;
        INSERT INTO connection_changes (seq, member_a, member_b, added)
            VALUES (position, OLD.member_a, OLD.member_b, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE connection_log_head SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO position;
        INSERT INTO connection_changes (seq, member_a, member_b, added)
            VALUES (position, NEW.member_a, NEW.member_b, 1);
    END IF;
    PERFORM pg_notify('bridge_connections', position::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER connections_log AFTER INSERT OR DELETE OR UPDATE OF member_a, member_b
    ON connections FOR EACH ROW EXECUTE FUNCTION connections_log();
-- The snapshot (at most one): its header, with the log position it includes and the shape
-- and checksum of its arrays, then the neighbours array in parts of a few MB.
CREATE TABLE graph_snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    format TEXT NOT NULL,
    generation INTEGER NOT NULL,
    nodes INTEGER NOT NULL,
    edges INTEGER NOT NULL,
    parts INTEGER NOT NULL,
    offsets BYTEA NOT NULL,
    offsets_crc BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE graph_snapshot_parts (
    part INTEGER PRIMARY KEY,
    data BYTEA NOT NULL,
    crc BIGINT NOT NULL
);
