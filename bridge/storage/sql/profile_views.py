"""Profile views (one SQL text for every backend)."""

from __future__ import annotations

from datetime import datetime

from bridge.storage.sql.db import Db
from bridge.storage.sql.rows import ts


class SqlProfileViews:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def record(self, viewer_id: int, viewed_id: int, day: str, now: datetime) -> bool:
        cursor = await self._conn.execute(
            "INSERT INTO profile_views (viewed_id, viewer_id, day, viewed_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (viewed_id, viewer_id, day) DO NOTHING RETURNING viewer_id",
            (viewed_id, viewer_id, day, ts(now)),
        )
        return await cursor.fetchone() is not None

    async def viewers(
        self, viewed_id: int, since: datetime, limit: int
    ) -> list[tuple[int, datetime]]:
        cursor = await self._conn.execute(
            "SELECT viewer_id, MAX(viewed_at) AS latest FROM profile_views"
            " WHERE viewed_id = ? AND viewed_at >= ? GROUP BY viewer_id"
            " ORDER BY latest DESC, viewer_id LIMIT ?",
            (viewed_id, ts(since), limit),
        )
        return [(int(row[0]), datetime.fromisoformat(row[1])) for row in await cursor.fetchall()]

    async def count_since(self, viewed_id: int, since: datetime) -> int:
        cursor = await self._conn.execute(
            "SELECT COUNT(DISTINCT viewer_id) FROM profile_views"
            " WHERE viewed_id = ? AND viewed_at >= ?",
            (viewed_id, ts(since)),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0
