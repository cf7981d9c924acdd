"""/stats counts (one SQL text for every backend: timestamps are ISO text compared and cut as text,
durations computed by the core, not by a dialect's date functions)."""

from __future__ import annotations

from datetime import datetime

from bridge.storage.sql.db import Db
from bridge.storage.sql.rows import ts


class SqlStats:
    def __init__(self, conn: Db) -> None:
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

    async def first_message_since(self, since: datetime) -> int:
        """The id from which messages are at least as recent as `since` (ids grow with
        time): a binary search of point lookups, so that a window is found without reading
        the table or needing an index on the time."""
        cursor = await self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM messages")
        row = await cursor.fetchone()
        low, high = 1, (int(row[0]) if row else 0) + 1  # the answer lies in [low, high]
        moment = ts(since)
        while low < high:
            middle = (low + high) // 2
            cursor = await self._conn.execute(
                "SELECT id, created_at FROM messages WHERE id >= ? ORDER BY id LIMIT 1", (middle,)
            )
            found = await cursor.fetchone()
            if found is None or str(found[1]) >= moment:
                high = middle
            else:
                low = int(found[0]) + 1
        return low

    async def conversation_messages(
        self, member_id: int, since: datetime
    ) -> list[tuple[int, int, datetime]]:
        cursor = await self._conn.execute(
            # The member's conversations through their states' primary key (member first),
            # each one's recent messages through (conversation_id, id): the window only.
            "SELECT m.conversation_id, m.sender_id, m.created_at"
            " FROM conversation_states s JOIN messages m ON m.conversation_id = s.conversation_id"
            " WHERE s.member_id = ? AND m.id >= ? AND m.kind = 'message' AND m.created_at >= ?"
            " ORDER BY m.conversation_id, m.id",
            (member_id, await self.first_message_since(since), ts(since)),
        )
        return [
            (int(row[0]), int(row[1]), datetime.fromisoformat(row[2]))
            for row in await cursor.fetchall()
        ]

    async def connections(self) -> int:
        cursor = await self._conn.execute("SELECT COUNT(*) FROM connections")
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def messages_per_day(self, since: datetime) -> dict[str, int]:
        cursor = await self._conn.execute(
            "SELECT SUBSTR(created_at, 1, 10) AS day, COUNT(*) FROM messages"
            " WHERE id >= ? AND created_at >= ? GROUP BY SUBSTR(created_at, 1, 10)",
            (await self.first_message_since(since), ts(since)),
        )
        return {str(row[0]): int(row[1]) for row in await cursor.fetchall()}
