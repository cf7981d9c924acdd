"""The live workers (processes) of one bot: each heartbeats; the others count it."""

from __future__ import annotations

from datetime import datetime

from bridge.storage.sql.db import Db
from bridge.storage.sql.rows import ts


class SqlWorkers:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def heartbeat(self, name: str, now: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO workers (name, started_at, seen_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET seen_at = excluded.seen_at",
            (name, ts(now), ts(now)),
        )

    async def live(self, since: datetime) -> int:
        cursor = await self._conn.execute(
            "SELECT COUNT(*) FROM workers WHERE seen_at >= ?", (ts(since),)
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def leave(self, name: str) -> None:
        await self._conn.execute("DELETE FROM workers WHERE name = ?", (name,))
