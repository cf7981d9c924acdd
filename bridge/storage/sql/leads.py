"""Saved leads: one statement lists a member's leads with how each conversation
stands (its last activity, whether the lead wrote back)."""

from __future__ import annotations

from datetime import datetime

from bridge.core.models import Member
from bridge.storage.port import LeadRow
from bridge.storage.sql.db import Db
from bridge.storage.sql.members import MEMBER_COLUMNS
from bridge.storage.sql.rows import ts

_MEMBER = ", ".join(f"m.{c}" for c in MEMBER_COLUMNS)
# The conversation between the member and the lead (stored with member_a < member_b).
_CONVERSATION = (
    "c.member_a = CASE WHEN l.member_id < l.contact_id THEN l.member_id ELSE l.contact_id END"
    " AND c.member_b = CASE WHEN l.member_id < l.contact_id THEN l.contact_id ELSE l.member_id END"
)
_LIST = (
    f"SELECT {_MEMBER}, l.list_name, l.created_at AS saved_at, c.last_activity_at,"
    " EXISTS (SELECT 1 FROM messages msg WHERE msg.conversation_id = c.id"
    " AND msg.sender_id = l.contact_id) AS answered,"
    " EXISTS (SELECT 1 FROM invitations i WHERE i.id = c.invitation_id"
    " AND i.sender_id = l.contact_id) AS invited"
    " FROM leads l JOIN members m ON m.id = l.contact_id"
    f" LEFT JOIN conversations c ON {_CONVERSATION}"
    # A bare parameter in `IS NULL` has no type on PostgreSQL: the CAST gives it one.
    " WHERE l.member_id = :me AND (CAST(:list AS TEXT) IS NULL OR l.list_name = :list)"
    " ORDER BY l.created_at DESC, l.contact_id DESC LIMIT :limit"
)


class SqlLeads:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def save(self, member_id: int, contact_id: int, list_name: str, now: datetime) -> bool:
        rows = await self._conn.execute_fetchall(
            "INSERT INTO leads (member_id, contact_id, list_name, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (member_id, list_name, contact_id) DO NOTHING RETURNING contact_id",
            (member_id, contact_id, list_name, ts(now)),
        )
        return bool(list(rows))

    async def remove(self, member_id: int, contact_id: int, list_name: str | None) -> int:
        cursor = await self._conn.execute(
            "DELETE FROM leads WHERE member_id = :me AND contact_id = :contact"
            " AND (CAST(:list AS TEXT) IS NULL OR list_name = :list)",
            {"me": member_id, "contact": contact_id, "list": list_name},
        )
        return cursor.rowcount

    async def list(self, member_id: int, list_name: str | None, limit: int) -> list[LeadRow]:
        rows = await self._conn.execute_fetchall(
            _LIST, {"me": member_id, "list": list_name, "limit": limit}
        )
        width = len(MEMBER_COLUMNS)
        return [
            LeadRow(
                contact=Member.model_validate(dict(zip(MEMBER_COLUMNS, row[:width], strict=True))),
                list_name=row["list_name"],
                saved_at=datetime.fromisoformat(row["saved_at"]),
                last_contact_at=(
                    datetime.fromisoformat(row["last_activity_at"])
                    if row["last_activity_at"] is not None
                    else None
                ),
                answered=bool(row["answered"]),
                contacted=bool(row["answered"]) or bool(row["invited"]),
            )
            for row in rows
        ]
