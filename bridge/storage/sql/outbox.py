"""The outbox table on SQLite: notifications owed to members, sent by the delivery worker."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bridge.core.models import Notification, NotificationKind, NotificationStatus
from bridge.storage.sql.db import Db, Row
from bridge.storage.sql.rows import row_dict, ts

_COLUMNS = (
    "id",
    "member_id",
    "kind",
    "ref_id",
    "payload",
    "status",
    "attempts",
    "created_at",
    "due_at",
    "sent_at",
    "last_error",
    "sender_id",
    "silent",
)
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM outbox"


def _notification(row: Row) -> Notification:
    data = row_dict(row)
    data["payload"] = json.loads(data["payload"] or "{}")
    return Notification.model_validate(data)


def _by_id(n: Notification) -> int:
    return n.id


class SqlOutbox:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(
        self,
        member_id: int,
        kind: NotificationKind,
        ref_id: int | None,
        payload: dict[str, Any],
        now: datetime,
        due_at: datetime | None = None,
        sender_id: int | None = None,
    ) -> int:
        cursor = await self._conn.execute(
            "INSERT INTO outbox (member_id, kind, ref_id, payload, created_at, due_at,"
            " sender_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                member_id,
                kind.value,
                ref_id,
                json.dumps(payload, sort_keys=True),
                ts(now),
                ts(due_at or now),
                sender_id,
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    async def get(self, notification_id: int) -> Notification | None:
        cursor = await self._conn.execute(f"{_SELECT} WHERE id = ?", (notification_id,))
        row = await cursor.fetchone()
        return _notification(row) if row else None

    async def due(self, now: datetime, limit: int) -> list[Notification]:
        cursor = await self._conn.execute(
            f"{_SELECT} AS o WHERE status = 'pending' AND due_at <= :now AND NOT EXISTS ("
            " SELECT 1 FROM outbox AS p WHERE p.member_id = o.member_id"
            " AND p.status = 'pending' AND p.id < o.id AND p.due_at > :now)"
            " ORDER BY id LIMIT :limit",
            {"now": ts(now), "limit": limit},
        )
        return [_notification(row) for row in await cursor.fetchall()]

    async def claim(
        self, worker: str, now: datetime, lease_until: datetime, limit: int
    ) -> list[Notification]:
        # Each member's head row only (no earlier row of theirs pending, claimed or not),
        # unclaimed or its lease over; rows another worker is claiming right now are
        # skipped, not waited for (PostgreSQL's FOR UPDATE SKIP LOCKED).
        cursor = await self._conn.execute(
            "UPDATE outbox SET claimed_by = ?, lease_until = ? WHERE id IN ("
            " SELECT o.id FROM outbox AS o WHERE o.status = 'pending' AND o.due_at <= ?"
            " AND (o.lease_until IS NULL OR o.lease_until <= ?) AND NOT EXISTS ("
            " SELECT 1 FROM outbox AS p WHERE p.member_id = o.member_id"
            " AND p.status = 'pending' AND p.id < o.id)"
            f" ORDER BY o.id LIMIT ?{self._conn.dialect.skip_locked})"
            f" RETURNING {', '.join(_COLUMNS)}",
            (worker, ts(lease_until), ts(now), ts(now), limit),
        )
        return sorted((_notification(row) for row in await cursor.fetchall()), key=_by_id)

    async def release(self, notification_ids: Sequence[int], worker: str) -> None:
        for start in range(0, len(notification_ids), 500):  # within SQLite's bound variables
            chunk = list(notification_ids[start : start + 500])
            await self._conn.execute(
                "UPDATE outbox SET claimed_by = NULL, lease_until = NULL"
                f" WHERE claimed_by = ? AND id IN ({', '.join('?' * len(chunk))})",
                (worker, *chunk),
            )

    async def release_worker(self, worker: str) -> int:
        cursor = await self._conn.execute(
            "UPDATE outbox SET claimed_by = NULL, lease_until = NULL"
            " WHERE claimed_by = ? AND status = 'pending'",
            (worker,),
        )
        return cursor.rowcount

    async def earlier_waiting(self, member_id: int, notification_id: int, now: datetime) -> bool:
        cursor = await self._conn.execute(
            "SELECT 1 FROM outbox WHERE member_id = ? AND status = 'pending' AND id < ?"
            " AND due_at > ? LIMIT 1",
            (member_id, notification_id, ts(now)),
        )
        return await cursor.fetchone() is not None

    async def set_status(
        self,
        notification_id: int,
        status: NotificationStatus,
        now: datetime,
        error: str | None = None,
        silent: bool = False,
    ) -> None:
        await self._conn.execute(
            "UPDATE outbox SET status = ?, attempts = attempts + 1, sent_at = ?,"
            " last_error = COALESCE(?, last_error), silent = ?, claimed_by = NULL,"
            " lease_until = NULL WHERE id = ?",
            (status.value, ts(now), error, int(silent), notification_id),
        )

    async def mark_sent(self, notification_ids: Sequence[int], now: datetime, silent: bool) -> None:
        for start in range(0, len(notification_ids), 500):  # within SQLite's bound variables
            chunk = list(notification_ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            await self._conn.execute(
                "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?,"
                f" silent = ? WHERE id IN ({marks})",
                (ts(now), int(silent), *chunk),
            )

    async def recent_push(self, member_id: int, sender_id: int, since: datetime) -> bool:
        cursor = await self._conn.execute(
            "SELECT 1 FROM outbox WHERE member_id = ? AND sender_id = ? AND status = 'sent'"
            " AND silent = 0 AND sent_at >= ? LIMIT 1",
            (member_id, sender_id, ts(since)),
        )
        return await cursor.fetchone() is not None

    async def reschedule(self, notification_id: int, due_at: datetime, error: str) -> None:
        await self._conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, due_at = ?, last_error = ?,"
            " claimed_by = NULL, lease_until = NULL WHERE id = ?",
            (ts(due_at), error, notification_id),
        )

    async def hold_member(self, member_id: int) -> int:
        cursor = await self._conn.execute(
            "UPDATE outbox SET status = 'held', claimed_by = NULL, lease_until = NULL"
            " WHERE member_id = ? AND status = 'pending'",
            (member_id,),
        )
        return cursor.rowcount

    async def replan_member(self, member_id: int, now: datetime, quiet_mark: str) -> int:
        cursor = await self._conn.execute(
            "UPDATE outbox SET status = 'pending', due_at = ? WHERE member_id = ?"
            " AND (status = 'held' OR (status = 'pending' AND due_at > ? AND last_error = ?))",
            (ts(now), member_id, ts(now), quiet_mark),
        )
        return cursor.rowcount

    async def waiting(self, member_id: int, now: datetime, quiet_mark: str) -> bool:
        cursor = await self._conn.execute(
            "SELECT 1 FROM outbox WHERE member_id = ? AND (status = 'held' OR"
            " (status = 'pending' AND due_at > ? AND last_error = ?)) LIMIT 1",
            (member_id, ts(now), quiet_mark),
        )
        return await cursor.fetchone() is not None

    async def by_status(self, status: NotificationStatus, limit: int) -> list[Notification]:
        cursor = await self._conn.execute(
            f"{_SELECT} WHERE status = ? ORDER BY id DESC LIMIT ?", (status.value, limit)
        )
        return [_notification(row) for row in await cursor.fetchall()]

    async def counts(self) -> dict[str, int]:
        cursor = await self._conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        return {row[0]: row[1] for row in await cursor.fetchall()}
