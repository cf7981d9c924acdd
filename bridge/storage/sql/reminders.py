"""Follow-up reminders (portable SQL: a partial-index upsert, UPDATE … RETURNING)."""

from __future__ import annotations

from datetime import datetime

from bridge.core.models import Reminder, ReminderStatus
from bridge.storage.sql.db import Db, Row
from bridge.storage.sql.rows import row_dict, ts

_COLUMNS = "id, member_id, conversation_id, text, due_at, status, created_at"


def _reminder(row: Row) -> Reminder:
    return Reminder.model_validate(row_dict(row))


class SqlReminders:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def set(
        self, member_id: int, conversation_id: int, text: str, due_at: datetime, now: datetime
    ) -> Reminder:
        rows = await self._conn.execute_fetchall(
            "INSERT INTO reminders (member_id, conversation_id, text, due_at, created_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (member_id, conversation_id) WHERE status = 'pending'"
            " DO UPDATE SET text = excluded.text, due_at = excluded.due_at,"
            f" created_at = excluded.created_at RETURNING {_COLUMNS}",
            (member_id, conversation_id, text, ts(due_at), ts(now)),
        )
        return _reminder(list(rows)[0])

    async def get(self, reminder_id: int) -> Reminder | None:
        rows = list(
            await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM reminders WHERE id = ?", (reminder_id,)
            )
        )
        return _reminder(rows[0]) if rows else None

    async def pending(self, member_id: int) -> list[Reminder]:
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM reminders WHERE member_id = ? AND status = 'pending'"
            " ORDER BY due_at, id",
            (member_id,),
        )
        return [_reminder(row) for row in rows]

    async def cancel(self, reminder_id: int, member_id: int, now: datetime) -> bool:
        cursor = await self._conn.execute(
            "UPDATE reminders SET status = ?, ended_at = ?"
            " WHERE id = ? AND member_id = ? AND status = 'pending'",
            (ReminderStatus.CANCELLED.value, ts(now), reminder_id, member_id),
        )
        return cursor.rowcount > 0

    async def cancel_conversation(self, conversation_id: int, now: datetime) -> int:
        cursor = await self._conn.execute(
            "UPDATE reminders SET status = ?, ended_at = ?"
            " WHERE conversation_id = ? AND status = 'pending'",
            (ReminderStatus.CANCELLED.value, ts(now), conversation_id),
        )
        return cursor.rowcount

    async def take_due(self, now: datetime, limit: int) -> list[Reminder]:
        rows = await self._conn.execute_fetchall(
            "UPDATE reminders SET status = ?, ended_at = ? WHERE id IN ("
            " SELECT id FROM reminders WHERE status = 'pending' AND due_at <= ?"
            f" ORDER BY due_at, id LIMIT ?) RETURNING {_COLUMNS}",
            (ReminderStatus.FIRED.value, ts(now), ts(now), limit),
        )
        return [_reminder(row) for row in rows]
