"""The graph index snapshot on SQLite: raw CSR bytes in BLOB parts, beside the connections'
change log (migration 0009) that says whether the snapshot is still current.

Why in the database and not a file beside it: the snapshot, its log position and the
connections then commit together and travel together (backups, copies), so a snapshot can't
silently describe another state of the data than the database it sits in.

Why raw bytes: loading is one `frombytes` per part — no per-row Python work. Each part and
the offsets carry a CRC-32 (~16 ms for 40 MB), so a damaged snapshot is refused, not loaded.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from datetime import UTC, datetime

from bridge.storage.port import ConnectionChange, GraphSnapshot
from bridge.storage.sql.db import Db
from bridge.storage.sql.rows import ts

# Native byte order and sizes: a database moved to a machine where they differ rebuilds.
FORMAT = f"csr1-{sys.byteorder}-q{array('q').itemsize}-i{array('i').itemsize}"
# Small parts: each is read as one bytes object, and glibc serves a freed multi-MB block's
# size from the heap afterwards, where it stays resident (8 MiB parts: +20 MB at 100,000).
PART_BYTES = 1 << 20


class SqlGraphSnapshots:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def generation(self) -> int | None:
        cursor = await self._conn.execute(self._conn.dialect.log_position)
        row = await cursor.fetchone()
        return None if row is None or row[0] is None else int(row[0])

    async def load(self) -> GraphSnapshot | None:
        cursor = await self._conn.execute(
            "SELECT format, generation, nodes, edges, parts, offsets, offsets_crc"
            " FROM graph_snapshot WHERE id = 1"
        )
        head = await cursor.fetchone()
        if (
            head is None
            or head[0] != FORMAT
            or not isinstance(head[5], bytes)
            or zlib.crc32(head[5]) != head[6]
            or len(head[5]) != (head[2] + 1) * array("q").itemsize
        ):
            return None
        offsets = array("q")
        offsets.frombytes(head[5])
        neighbours = array("i")
        cursor = await self._conn.execute(
            "SELECT part, data, crc FROM graph_snapshot_parts ORDER BY part"
        )
        expected = 0
        while row := await cursor.fetchone():  # one part in memory at a time
            if row[0] != expected or not isinstance(row[1], bytes) or zlib.crc32(row[1]) != row[2]:
                return None
            neighbours.frombytes(row[1])
            expected += 1
        if expected != head[4] or len(neighbours) != 2 * head[3]:
            return None
        return GraphSnapshot(int(head[1]), offsets, neighbours)

    async def changes(self, after: int, upto: int) -> list[ConnectionChange] | None:
        cursor = await self._conn.execute(
            "SELECT member_a, member_b, added FROM connection_changes"
            " WHERE seq > ? AND seq <= ? ORDER BY seq",
            (after, upto),
        )
        found = [ConnectionChange(a, b, bool(added)) for a, b, added in await cursor.fetchall()]
        # Positions are never reused and a transaction's rows commit together, so a log
        # that still holds every change has exactly one row per position.
        return found if len(found) == upto - after else None

    async def save(self, snapshot: GraphSnapshot) -> None:
        offsets = memoryview(snapshot.offsets).cast("B")
        data = memoryview(snapshot.neighbours).cast("B")
        parts = [data[i : i + PART_BYTES] for i in range(0, len(data), PART_BYTES)]
        await self._conn.execute("DELETE FROM graph_snapshot_parts")
        await self._conn.execute("DELETE FROM graph_snapshot")
        await self._conn.execute(
            "INSERT INTO graph_snapshot (id, format, generation, nodes, edges, parts, offsets,"
            " offsets_crc, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                FORMAT,
                snapshot.generation,
                len(snapshot.offsets) - 1,
                len(snapshot.neighbours) // 2,
                len(parts),
                offsets,
                zlib.crc32(offsets),
                ts(datetime.now(UTC)),
            ),
        )
        await self._conn.executemany(
            "INSERT INTO graph_snapshot_parts (part, data, crc) VALUES (?, ?, ?)",
            ((i, part, zlib.crc32(part)) for i, part in enumerate(parts)),
        )
        await self._conn.execute(
            "DELETE FROM connection_changes WHERE seq <= ?", (snapshot.generation,)
        )
