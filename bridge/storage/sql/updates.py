"""Telegram updates already handled, and those the library could not read, on SQLite."""

from __future__ import annotations

from datetime import datetime

from bridge.storage.port import Arrival, UnreadableUpdate
from bridge.storage.sql.db import Db
from bridge.storage.sql.members import MEMBER_COLUMNS, member_from_columns
from bridge.storage.sql.rows import ts


class SqlUpdates:
    """Keyed by update id *and* content: ids alone repeat (a new token, a restarted local
    server, a week without updates), while a redelivery is the identical update."""

    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def seen(self, key: str) -> bool:
        cursor = await self._conn.execute(
            "SELECT 1 FROM processed_updates WHERE update_key = ?", (key,)
        )
        return await cursor.fetchone() is not None

    async def arrival(
        self, key: str, telegram_id: int | None, now: datetime, quiet_mark: str
    ) -> Arrival:
        # One row whether or not the member exists: the update's record, the member (NULLs
        # when unknown), and `SqlOutbox.waiting`'s condition for them.
        cursor = await self._conn.execute(
            "SELECT EXISTS (SELECT 1 FROM processed_updates WHERE update_key = :key) AS seen,"
            " EXISTS (SELECT 1 FROM outbox o WHERE o.member_id = m.id AND (o.status = 'held'"
            " OR (o.status = 'pending' AND o.due_at > :now AND o.last_error = :quiet)))"
            f" AS waiting, {', '.join(f'm.{c}' for c in MEMBER_COLUMNS)}"
            " FROM (SELECT 1 AS one) AS here LEFT JOIN members m ON m.telegram_id = :tg",
            {"key": key, "now": ts(now), "quiet": quiet_mark, "tg": telegram_id},
        )
        row = await cursor.fetchone()
        assert row is not None
        member = member_from_columns(row) if row["id"] is not None else None
        return Arrival(seen=bool(row["seen"]), member=member, waiting=bool(row["waiting"]))

    async def mark(self, key: str, update_id: int, now: datetime) -> bool:
        cursor = await self._conn.execute(
            "INSERT INTO processed_updates (update_key, update_id, processed_at)"
            " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (key, update_id, ts(now)),
        )
        return cursor.rowcount == 1

    async def record(self, key: str, update_id: int, now: datetime) -> bool:
        """The update's record inside its effect's transaction: False when already there
        (the unique key refuses it), so the caller rolls the effect back."""
        return await self.mark(key, update_id, now)

    async def prune(self, before: datetime) -> int:
        cursor = await self._conn.execute(
            "DELETE FROM processed_updates WHERE processed_at < ?", (ts(before),)
        )
        return cursor.rowcount

    async def add_unreadable(
        self, key: str, update_id: int, payload: str, error: str, now: datetime
    ) -> bool:
        cursor = await self._conn.execute(
            "INSERT INTO unreadable_updates (update_key, update_id, payload, error,"
            " received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (key, update_id, payload, error, ts(now)),
        )
        return cursor.rowcount == 1

    async def unreadable(self, limit: int) -> list[UnreadableUpdate]:
        cursor = await self._conn.execute(
            "SELECT update_id, payload, error, received_at FROM unreadable_updates"
            " ORDER BY received_at DESC, update_id DESC LIMIT ?",
            (limit,),
        )
        return [
            UnreadableUpdate(row[0], row[1], row[2], datetime.fromisoformat(row[3]))
            for row in await cursor.fetchall()
        ]
