"""Messages in their undo window (migration 0012's `outgoing`)."""

from __future__ import annotations

from datetime import datetime

from bridge.core.models import Attachment, Outgoing
from bridge.storage.sql.db import Db, Row
from bridge.storage.sql.rows import row_dict, ts

_COLUMNS = (
    "id",
    "sender_id",
    "target_id",
    "text",
    "attachment",
    "reply_to_id",
    "origin_chat_id",
    "origin_message_id",
    "confirm_chat_id",
    "confirm_message_id",
    "due_at",
    "created_at",
)
_RETURNING = f"RETURNING {', '.join(_COLUMNS)}"


def _outgoing(row: Row) -> Outgoing:
    data = row_dict(row)
    raw = data.pop("attachment")
    return Outgoing.model_validate(
        {**data, "attachment": Attachment.model_validate_json(raw) if raw else None}
    )


class OutgoingRows:
    """`MessageRepo`'s undo-window methods (mixed into `SqlMessages`)."""

    _conn: Db

    async def queue(
        self,
        sender_id: int,
        target_id: int,
        text: str | None,
        attachment: Attachment | None,
        reply_to_id: int | None,
        origin: tuple[int, int] | None,
        due_at: datetime,
        now: datetime,
    ) -> Outgoing:
        cursor = await self._conn.execute(
            "INSERT INTO outgoing (sender_id, target_id, text, attachment, reply_to_id,"
            " origin_chat_id, origin_message_id, due_at, created_at)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) {_RETURNING}",
            (
                sender_id,
                target_id,
                text,
                attachment.model_dump_json() if attachment else None,
                reply_to_id,
                origin[0] if origin else None,
                origin[1] if origin else None,
                ts(due_at),
                ts(now),
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        return _outgoing(row)

    async def set_confirmation(self, outgoing_id: int, chat_id: int, message_id: int) -> None:
        await self._conn.execute(
            "UPDATE outgoing SET confirm_chat_id = ?, confirm_message_id = ? WHERE id = ?",
            (chat_id, message_id, outgoing_id),
        )

    async def take_outgoing(
        self, outgoing_id: int, sender_id: int | None = None
    ) -> Outgoing | None:
        cursor = await self._conn.execute(
            "DELETE FROM outgoing WHERE id = :id"
            f" AND (CAST(:sender AS BIGINT) IS NULL OR sender_id = :sender) {_RETURNING}",
            {"id": outgoing_id, "sender": sender_id},
        )
        row = await cursor.fetchone()
        return _outgoing(row) if row else None

    async def due_outgoing(self, now: datetime, limit: int) -> list[Outgoing]:
        cursor = await self._conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM outgoing WHERE due_at <= ? ORDER BY due_at, id"
            " LIMIT ?",
            (ts(now), limit),
        )
        return [_outgoing(row) for row in await cursor.fetchall()]
