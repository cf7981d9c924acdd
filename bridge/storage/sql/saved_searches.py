"""Saved searches; new members matched through the same search index as /find (the
dialect's: FTS5 on SQLite, the stored tsvector on PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

from bridge.core.models import Member, SavedSearch
from bridge.storage.sql.db import Db
from bridge.storage.sql.members import MEMBER_COLUMNS, member_from_row
from bridge.storage.sql.rows import row_dict, ts

_COLUMNS = "id, member_id, query, last_member_id, created_at"


class SqlSavedSearches:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def add(
        self, member_id: int, query: str, last_member_id: int, now: datetime
    ) -> SavedSearch | None:
        cursor = await self._conn.execute(
            "INSERT INTO saved_searches (member_id, query, last_member_id, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (member_id, query) DO NOTHING"
            f" RETURNING {_COLUMNS}",
            (member_id, query, last_member_id, ts(now)),
        )
        row = await cursor.fetchone()
        return SavedSearch.model_validate(row_dict(row)) if row else None

    async def of_member(self, member_id: int) -> list[SavedSearch]:
        cursor = await self._conn.execute(
            f"SELECT {_COLUMNS} FROM saved_searches WHERE member_id = ? ORDER BY id",
            (member_id,),
        )
        return [SavedSearch.model_validate(row_dict(row)) for row in await cursor.fetchall()]

    async def remove(self, saved_id: int, member_id: int) -> bool:
        cursor = await self._conn.execute(
            "DELETE FROM saved_searches WHERE id = ? AND member_id = ?", (saved_id, member_id)
        )
        return cursor.rowcount > 0

    async def advance(self, saved_id: int, upto_member_id: int) -> None:
        await self._conn.execute(
            "UPDATE saved_searches SET last_member_id = ? WHERE id = ? AND last_member_id < ?",
            (upto_member_id, saved_id, upto_member_id),
        )

    async def newest_member_id(self) -> int:
        cursor = await self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM members")
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def matches(
        self, terms: list[str], after_id: int, upto_id: int, limit: int
    ) -> list[Member]:
        if not terms:
            return []
        dialect = self._conn.dialect
        columns = ", ".join(f"m.{c}" for c in MEMBER_COLUMNS)
        cursor = await self._conn.execute(
            f"SELECT {columns} FROM {dialect.search_from} WHERE {dialect.search_where}"
            " AND m.id > ? AND m.id <= ? ORDER BY m.id LIMIT ?",
            (dialect.match(terms), after_id, upto_id, limit),
        )
        return [member_from_row(row) for row in await cursor.fetchall()]
