-- Connection graph snapshot: every change to connections logged by triggers, and the graph index saved as CSR blobs
-- The log: one row per connection added (added = 1) or removed (added = 0), in commit order.
-- AUTOINCREMENT so a position is never reused once pruned: the snapshot says up to which
-- position it includes, and start-up replays the rest (bridge.core.app.load_graph).
CREATE TABLE connection_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    member_a INTEGER NOT NULL,
    member_b INTEGER NOT NULL,
    added INTEGER NOT NULL CHECK (added IN (0, 1))
);
CREATE TRIGGER connections_log_insert AFTER INSERT ON connections
BEGIN INSERT INTO connection_changes (member_a, member_b, added) VALUES (NEW.member_a, NEW.member_b, 1); END;
CREATE TRIGGER connections_log_delete AFTER DELETE ON connections
BEGIN INSERT INTO connection_changes (member_a, member_b, added) VALUES (OLD.member_a, OLD.member_b, 0); END;
CREATE TRIGGER connections_log_update AFTER UPDATE OF member_a, member_b ON connections
BEGIN INSERT INTO connection_changes (member_a, member_b, added) VALUES (OLD.member_a, OLD.member_b, 0); INSERT INTO connection_changes (member_a, member_b, added) VALUES (NEW.member_a, NEW.member_b, 1); END;
-- The snapshot (at most one): its header, with the log position it includes and the shape
-- and checksum of its arrays, then the neighbours array in parts of a few MB.
CREATE TABLE graph_snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    format TEXT NOT NULL,
    generation INTEGER NOT NULL,
    nodes INTEGER NOT NULL,
    edges INTEGER NOT NULL,
    parts INTEGER NOT NULL,
    offsets BLOB NOT NULL,
    offsets_crc INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE graph_snapshot_parts (
    part INTEGER PRIMARY KEY,
    data BLOB NOT NULL,
    crc INTEGER NOT NULL
);
