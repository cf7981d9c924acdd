"""Members' message templates (one SQL text for every backend)."""

from __future__ import annotations

from bridge.core.models import MessageTemplate
from bridge.storage.sql.db import Db
from bridge.storage.sql.rows import row_dict, ts

_SELECT = "SELECT member_id, name, body, updated_at FROM message_templates"


class SqlTemplates:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def save(self, template: MessageTemplate) -> None:
        await self._conn.execute(
            "INSERT INTO message_templates (member_id, name, body, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (member_id, name)"
            " DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            (template.member_id, template.name, template.body, ts(template.updated_at)),
        )

    async def get(self, member_id: int, name: str) -> MessageTemplate | None:
        cursor = await self._conn.execute(
            f"{_SELECT} WHERE member_id = ? AND name = ?", (member_id, name)
        )
        row = await cursor.fetchone()
        return MessageTemplate.model_validate(row_dict(row)) if row else None

    async def list(self, member_id: int) -> list[MessageTemplate]:
        cursor = await self._conn.execute(
            f"{_SELECT} WHERE member_id = ? ORDER BY name", (member_id,)
        )
        return [MessageTemplate.model_validate(row_dict(row)) for row in await cursor.fetchall()]

    async def delete(self, member_id: int, name: str) -> bool:
        cursor = await self._conn.execute(
            "DELETE FROM message_templates WHERE member_id = ? AND name = ?", (member_id, name)
        )
        return cursor.rowcount > 0
