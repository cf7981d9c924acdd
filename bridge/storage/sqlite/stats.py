"""/stats counts on SQLite (portable SQL: timestamps are ISO text compared and cut as text,
durations computed by the core, not by a dialect's date functions)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bridge.storage.sqlite.rows import ts


class SqliteStats:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def _pair(self, sql: str, params: tuple[object, ...]) -> tuple[int, int]:
        cursor = await self._conn.execute(sql, params)
        row = await cursor.fetchone()
        return (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)

    async def invitations_sent(self, member_id: int, since: datetime) -> tuple[int, int]:
        return await self._pair(
            "SELECT COUNT(*), SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END)"
            " FROM invitations WHERE sender_id = ? AND created_at >= ?",
            (member_id, ts(since)),
        )

    async def inmails_sent(self, member_id: int, since: datetime) -> tuple[int, int]:
        return await self._pair(
            "SELECT COUNT(*), SUM(CASE WHEN status <> 'sent' THEN 1 ELSE 0 END)"
            " FROM inmails WHERE sender_id = ? AND sent_at >= ?",
            (member_id, ts(since)),
        )

    async def replies(
        self, member_id: int, since: datetime
    ) -> list[tuple[datetime, datetime | None]]:
        cursor = await self._conn.execute(
            "SELECT m.created_at, (SELECT MIN(r.created_at) FROM messages r"
            "   WHERE r.conversation_id = m.conversation_id AND r.sender_id = ? AND r.id > m.id)"
            " FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            " WHERE (c.member_a = ? OR c.member_b = ?) AND m.sender_id <> ?"
            " AND m.kind = 'message' AND m.created_at >= ?",
            (member_id, member_id, member_id, member_id, ts(since)),
        )
        return [
            (datetime.fromisoformat(row[0]), datetime.fromisoformat(row[1]) if row[1] else None)
            for row in await cursor.fetchall()
        ]

    async def connections(self) -> int:
        cursor = await self._conn.execute("SELECT COUNT(*) FROM connections")
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def messages_per_day(self, since: datetime) -> dict[str, int]:
        cursor = await self._conn.execute(
            "SELECT SUBSTR(created_at, 1, 10) AS day, COUNT(*) FROM messages"
            " WHERE created_at >= ? GROUP BY SUBSTR(created_at, 1, 10)",
            (ts(since),),
        )
        return {str(row[0]): int(row[1]) for row in await cursor.fetchall()}
