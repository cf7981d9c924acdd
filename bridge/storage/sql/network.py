"""Connections and invitations on SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from bridge.core.models import Invitation, InvitationStatus
from bridge.storage.sql.db import Db, Row
from bridge.storage.sql.rows import row_dict, ts


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class SqlConnections:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(self, a: int, b: int, now: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO connections (member_a, member_b, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (*_pair(a, b), ts(now)),
        )

    async def remove(self, a: int, b: int) -> bool:
        cursor = await self._conn.execute(
            "DELETE FROM connections WHERE member_a = ? AND member_b = ?", _pair(a, b)
        )
        return cursor.rowcount > 0

    async def exists(self, a: int, b: int) -> bool:
        cursor = await self._conn.execute(
            "SELECT 1 FROM connections WHERE member_a = ? AND member_b = ?", _pair(a, b)
        )
        return await cursor.fetchone() is not None

    async def list(self, member_id: int, offset: int, limit: int) -> list[int]:
        cursor = await self._conn.execute(
            "SELECT other FROM ("
            " SELECT member_b AS other, created_at FROM connections WHERE member_a = ?"
            " UNION ALL"
            " SELECT member_a AS other, created_at FROM connections WHERE member_b = ?"
            ") AS mine ORDER BY created_at DESC, other LIMIT ? OFFSET ?",
            (member_id, member_id, limit, offset),
        )
        return [row[0] for row in await cursor.fetchall()]

    async def count(self, member_id: int) -> int:
        cursor = await self._conn.execute(
            "SELECT (SELECT COUNT(*) FROM connections WHERE member_a = ?)"
            " + (SELECT COUNT(*) FROM connections WHERE member_b = ?)",
            (member_id, member_id),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def all_edges(self) -> AsyncIterator[tuple[int, int]]:
        cursor = await self._conn.execute("SELECT member_a, member_b FROM connections")
        while rows := await cursor.fetchmany(50_000):
            for row in rows:
                yield row[0], row[1]


INVITATION_COLUMNS = (
    "id",
    "sender_id",
    "recipient_id",
    "note",
    "status",
    "created_at",
    "responded_at",
    "conversation_id",
)
_INVITATION = f"SELECT {', '.join(INVITATION_COLUMNS)} FROM invitations"


def _invitation(row: Row) -> Invitation:
    return Invitation.model_validate(row_dict(row))


class SqlInvitations:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(
        self,
        sender_id: int,
        recipient_id: int,
        note: str | None,
        conversation_id: int,
        now: datetime,
    ) -> Invitation:
        cursor = await self._conn.execute(
            "INSERT INTO invitations (sender_id, recipient_id, note, status, created_at,"
            " conversation_id) VALUES (?, ?, ?, 'pending', ?, ?) RETURNING id",
            (sender_id, recipient_id, note, ts(now), conversation_id),
        )
        row = await cursor.fetchone()
        assert row is not None
        invitation = await self.get(row[0])
        assert invitation is not None
        return invitation

    async def get(self, invitation_id: int) -> Invitation | None:
        cursor = await self._conn.execute(f"{_INVITATION} WHERE id = ?", (invitation_id,))
        row = await cursor.fetchone()
        return _invitation(row) if row else None

    async def pending(self, sender_id: int, recipient_id: int) -> Invitation | None:
        cursor = await self._conn.execute(
            f"{_INVITATION} WHERE sender_id = ? AND recipient_id = ? AND status = 'pending'",
            (sender_id, recipient_id),
        )
        row = await cursor.fetchone()
        return _invitation(row) if row else None

    async def set_status(self, invitation_id: int, status: InvitationStatus, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE invitations SET status = ?, responded_at = ? WHERE id = ?",
            (status.value, ts(now), invitation_id),
        )

    async def received(self, member_id: int, status: InvitationStatus) -> list[Invitation]:
        cursor = await self._conn.execute(
            f"{_INVITATION} WHERE recipient_id = ? AND status = ?"
            " ORDER BY created_at DESC, id DESC",
            (member_id, status.value),
        )
        return [_invitation(row) for row in await cursor.fetchall()]

    async def sent(self, member_id: int, status: InvitationStatus) -> list[Invitation]:
        cursor = await self._conn.execute(
            f"{_INVITATION} WHERE sender_id = ? AND status = ? ORDER BY created_at DESC, id DESC",
            (member_id, status.value),
        )
        return [_invitation(row) for row in await cursor.fetchall()]

    async def sent_since(self, member_id: int, since: datetime) -> list[datetime]:
        cursor = await self._conn.execute(
            "SELECT created_at FROM invitations WHERE sender_id = ? AND created_at > ?"
            " ORDER BY created_at",
            (member_id, ts(since)),
        )
        return [datetime.fromisoformat(row[0]) for row in await cursor.fetchall()]

    async def last_closed(self, sender_id: int, recipient_id: int) -> Invitation | None:
        cursor = await self._conn.execute(
            f"{_INVITATION} WHERE sender_id = ? AND recipient_id = ?"
            " AND status IN ('declined', 'withdrawn') ORDER BY responded_at DESC LIMIT 1",
            (sender_id, recipient_id),
        )
        row = await cursor.fetchone()
        return _invitation(row) if row else None

    async def add_copy(
        self, invitation_id: int, member_id: int, chat_id: int, telegram_message_id: int
    ) -> None:
        await self._conn.execute(
            "INSERT INTO invitation_copies (invitation_id, member_id, chat_id,"
            " telegram_message_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (invitation_id, member_id, chat_id, telegram_message_id),
        )

    async def copies(self, invitation_id: int, member_id: int) -> list[tuple[int, int]]:
        cursor = await self._conn.execute(
            "SELECT chat_id, telegram_message_id FROM invitation_copies"
            " WHERE invitation_id = ? AND member_id = ? ORDER BY telegram_message_id",
            (invitation_id, member_id),
        )
        return [(row[0], row[1]) for row in await cursor.fetchall()]
