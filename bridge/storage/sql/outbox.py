"""The outbox table on SQLite: notifications owed to members, sent by the delivery worker."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bridge.core.models import (
    Conversation,
    ConversationState,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from bridge.storage.port import MessageRows
from bridge.storage.sql.db import Db, Row
from bridge.storage.sql.members import MEMBER_COLUMNS, member_from_columns
from bridge.storage.sql.rows import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    STATE_COLUMNS,
    message_from_dict,
    row_dict,
    ts,
)

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
        self,
        worker: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        members: Sequence[int] | None = None,
    ) -> list[Notification]:
        # Each member's head row only (no earlier row of theirs pending, claimed or not),
        # unclaimed or its lease over; rows another worker is claiming right now are
        # skipped, not waited for (PostgreSQL's FOR UPDATE SKIP LOCKED).
        among = ""
        if members is not None:
            among = f" AND o.member_id IN ({', '.join('?' * len(members))})"
        cursor = await self._conn.execute(
            "UPDATE outbox SET claimed_by = ?, lease_until = ? WHERE id IN ("
            " SELECT o.id FROM outbox AS o WHERE o.status = 'pending' AND o.due_at <= ?"
            f" AND (o.lease_until IS NULL OR o.lease_until <= ?){among} AND NOT EXISTS ("
            " SELECT 1 FROM outbox AS p WHERE p.member_id = o.member_id"
            " AND p.status = 'pending' AND p.id < o.id)"
            f" ORDER BY o.due_at, o.id LIMIT ?{self._conn.dialect.skip_locked})"
            f" RETURNING {', '.join(_COLUMNS)}",
            (worker, ts(lease_until), ts(now), ts(now), *(members or ()), limit),
        )
        return sorted((_notification(row) for row in await cursor.fetchall()), key=_by_id)

    async def postpone_head(self, member_id: int, until: datetime) -> None:
        await self._conn.execute(
            "UPDATE outbox SET due_at = ? WHERE id = (SELECT MIN(id) FROM outbox"
            " WHERE member_id = ? AND status = 'pending') AND due_at < ?",
            (ts(until), member_id, ts(until)),
        )

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

    async def message_rows(
        self, notification: Notification, now: datetime, pushed_since: datetime
    ) -> MessageRows:
        # One row whatever is gone: the outer joins leave NULLs for it.
        columns = ", ".join(
            [f"r.{c} AS r_{c}" for c in MEMBER_COLUMNS]
            + [f"s.{c} AS s_{c}" for c in MEMBER_COLUMNS]
            + [f"m.{c} AS m_{c}" for c in MESSAGE_COLUMNS]
            + [f"c.{c} AS c_{c}" for c in CONVERSATION_COLUMNS]
            + [f"st.{c} AS st_{c}" for c in STATE_COLUMNS]
        )
        cursor = await self._conn.execute(
            f"SELECT {columns},"
            " EXISTS (SELECT 1 FROM outbox p WHERE p.member_id = :member"
            " AND p.status = 'pending' AND p.id < :id AND p.due_at > :now) AS earlier_waiting,"
            " EXISTS (SELECT 1 FROM outbox q WHERE q.member_id = :member"
            " AND q.sender_id = :sender AND q.status = 'sent' AND q.silent = 0"
            " AND q.sent_at >= :since) AS recent_push"
            " FROM (SELECT 1 AS one) AS here"
            " LEFT JOIN members r ON r.id = :member"
            " LEFT JOIN messages m ON m.id = :ref"
            " LEFT JOIN conversations c ON c.id = m.conversation_id"
            " AND :member IN (c.member_a, c.member_b)"
            " LEFT JOIN conversation_states st ON st.conversation_id = c.id"
            " AND st.member_id = :member"
            " LEFT JOIN members s ON s.id = m.sender_id",
            {
                "member": notification.member_id,
                "id": notification.id,
                "ref": notification.ref_id,
                "sender": notification.sender_id,
                "now": ts(now),
                "since": ts(pushed_since),
            },
        )
        row = await cursor.fetchone()
        assert row is not None

        def part(prefix: str, names: Sequence[str]) -> dict[str, Any] | None:
            if row[f"{prefix}{names[0]}"] is None:
                return None
            return {c: row[f"{prefix}{c}"] for c in names}

        message, conversation, state = (
            part("m_", MESSAGE_COLUMNS),
            part("c_", CONVERSATION_COLUMNS),
            part("st_", STATE_COLUMNS),
        )
        return MessageRows(
            recipient=member_from_columns(row, "r_") if row["r_id"] is not None else None,
            earlier_waiting=bool(row["earlier_waiting"]),
            message=message_from_dict(message) if message else None,
            conversation=Conversation.model_validate(conversation) if conversation else None,
            state=ConversationState.model_validate(state) if state else None,
            sender=member_from_columns(row, "s_") if row["s_id"] is not None else None,
            recent_push=bool(row["recent_push"]),
        )

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
