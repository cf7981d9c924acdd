"""A member's tags and notes on their contacts (portable SQL: upserts, RETURNING)."""

from __future__ import annotations

from datetime import datetime

from bridge.core.models import Tag, TagCount
from bridge.storage.sql.db import Db, Row
from bridge.storage.sql.rows import ts


def _tag(row: Row) -> Tag:
    return Tag(id=row["id"], name=row["name"], colour=row["colour"])


class SqlTags:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def ensure(self, member_id: int, name: str, colour: str, now: datetime) -> Tag:
        # DO UPDATE (a no-op) rather than DO NOTHING: RETURNING then gives the existing row.
        rows = await self._conn.execute_fetchall(
            "INSERT INTO tags (member_id, name, colour, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (member_id, name) DO UPDATE SET name = excluded.name"
            " RETURNING id, name, colour",
            (member_id, name, colour, ts(now)),
        )
        return _tag(list(rows)[0])

    async def by_name(self, member_id: int, name: str) -> Tag | None:
        rows = list(
            await self._conn.execute_fetchall(
                "SELECT id, name, colour FROM tags WHERE member_id = ? AND name = ?",
                (member_id, name),
            )
        )
        return _tag(rows[0]) if rows else None

    async def owned(self, member_id: int, tag_id: int) -> Tag | None:
        rows = list(
            await self._conn.execute_fetchall(
                "SELECT id, name, colour FROM tags WHERE member_id = ? AND id = ?",
                (member_id, tag_id),
            )
        )
        return _tag(rows[0]) if rows else None

    async def attach(self, tag_id: int, contact_id: int, now: datetime) -> bool:
        rows = await self._conn.execute_fetchall(
            "INSERT INTO contact_tags (tag_id, contact_id, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (tag_id, contact_id) DO NOTHING RETURNING tag_id",
            (tag_id, contact_id, ts(now)),
        )
        return bool(list(rows))

    async def detach(self, tag_id: int, contact_id: int) -> bool:
        cursor = await self._conn.execute(
            "DELETE FROM contact_tags WHERE tag_id = ? AND contact_id = ?", (tag_id, contact_id)
        )
        return cursor.rowcount > 0

    async def counts(self, member_id: int) -> list[TagCount]:
        rows = await self._conn.execute_fetchall(
            "SELECT t.id, t.name, t.colour, COUNT(ct.contact_id) AS n FROM tags t"
            " LEFT JOIN contact_tags ct ON ct.tag_id = t.id"
            " WHERE t.member_id = ? GROUP BY t.id, t.name, t.colour ORDER BY t.name",
            (member_id,),
        )
        return [TagCount(tag=_tag(row), contacts=row["n"]) for row in rows]

    async def on_contact(self, member_id: int, contact_id: int) -> list[Tag]:
        rows = await self._conn.execute_fetchall(
            "SELECT t.id, t.name, t.colour FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
            " WHERE ct.contact_id = ? AND t.member_id = ? ORDER BY t.name",
            (contact_id, member_id),
        )
        return [_tag(row) for row in rows]

    async def assignments(self, member_id: int) -> list[tuple[int, Tag]]:
        rows = await self._conn.execute_fetchall(
            "SELECT ct.contact_id, t.id, t.name, t.colour FROM contact_tags ct"
            " JOIN tags t ON t.id = ct.tag_id WHERE t.member_id = ?"
            " ORDER BY t.name, ct.contact_id",
            (member_id,),
        )
        return [(int(row["contact_id"]), _tag(row)) for row in rows]


class SqlNotes:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def with_tags(self, member_id: int, contact_id: int) -> tuple[str | None, list[Tag]]:
        # One row per tag (at least one: the note alone, tags NULL, when there is none).
        rows = list(
            await self._conn.execute_fetchall(
                "SELECT n.text AS note, t.id, t.name, t.colour FROM (SELECT 1 AS one) AS here"
                " LEFT JOIN contact_notes n ON n.member_id = :m AND n.contact_id = :c"
                " LEFT JOIN tags t ON t.member_id = :m"
                " AND t.id IN (SELECT tag_id FROM contact_tags WHERE contact_id = :c)"
                " ORDER BY t.name",
                {"m": member_id, "c": contact_id},
            )
        )
        return rows[0]["note"], [_tag(row) for row in rows if row["id"] is not None]

    async def set(self, member_id: int, contact_id: int, text: str, now: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO contact_notes (member_id, contact_id, text, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (member_id, contact_id)"
            " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            (member_id, contact_id, text, ts(now)),
        )

    async def remove(self, member_id: int, contact_id: int) -> bool:
        cursor = await self._conn.execute(
            "DELETE FROM contact_notes WHERE member_id = ? AND contact_id = ?",
            (member_id, contact_id),
        )
        return cursor.rowcount > 0

    async def get(self, member_id: int, contact_id: int) -> str | None:
        rows = list(
            await self._conn.execute_fetchall(
                "SELECT text FROM contact_notes WHERE member_id = ? AND contact_id = ?",
                (member_id, contact_id),
            )
        )
        return str(rows[0]["text"]) if rows else None

    async def all(self, member_id: int) -> list[tuple[int, str]]:
        rows = await self._conn.execute_fetchall(
            "SELECT contact_id, text FROM contact_notes WHERE member_id = ? ORDER BY contact_id",
            (member_id,),
        )
        return [(int(row["contact_id"]), str(row["text"])) for row in rows]
