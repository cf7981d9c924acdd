"""Warm introductions (one SQL text for every backend)."""

from __future__ import annotations

from datetime import datetime

from bridge.core.models import Introduction, IntroductionStatus
from bridge.storage.sql.db import Db, Row
from bridge.storage.sql.rows import row_dict, ts

_COLUMNS = "id, requester_id, target_id, intermediary_id, note, status, created_at, answered_at"


def _introduction(row: Row) -> Introduction:
    return Introduction.model_validate(row_dict(row))


class SqlIntroductions:
    def __init__(self, conn: Db) -> None:
        self._conn = conn

    async def _one(self, sql: str, params: tuple[object, ...]) -> Introduction | None:
        cursor = await self._conn.execute(sql, params)
        row = await cursor.fetchone()
        return _introduction(row) if row else None

    async def add(
        self, requester_id: int, target_id: int, intermediary_id: int, note: str, now: datetime
    ) -> Introduction:
        added = await self._one(
            "INSERT INTO introductions (requester_id, target_id, intermediary_id, note,"
            f" created_at) VALUES (?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
            (requester_id, target_id, intermediary_id, note, ts(now)),
        )
        assert added is not None
        return added

    async def get(self, introduction_id: int) -> Introduction | None:
        return await self._one(
            f"SELECT {_COLUMNS} FROM introductions WHERE id = ?", (introduction_id,)
        )

    async def asked(self, requester_id: int, target_id: int) -> Introduction | None:
        return await self._one(
            f"SELECT {_COLUMNS} FROM introductions"
            " WHERE requester_id = ? AND target_id = ? AND status = 'asked'",
            (requester_id, target_id),
        )

    async def answer(
        self,
        introduction_id: int,
        intermediary_id: int,
        status: IntroductionStatus,
        now: datetime,
    ) -> Introduction | None:
        return await self._one(
            "UPDATE introductions SET status = ?, answered_at = ?"
            " WHERE id = ? AND intermediary_id = ? AND status = 'asked'"
            f" RETURNING {_COLUMNS}",
            (status.value, ts(now), introduction_id, intermediary_id),
        )

    async def forwarded_between(self, a: int, b: int) -> bool:
        cursor = await self._conn.execute(
            "SELECT 1 FROM introductions WHERE status = 'forwarded'"
            " AND ((requester_id = ? AND target_id = ?) OR (requester_id = ? AND target_id = ?))",
            (a, b, b, a),
        )
        return await cursor.fetchone() is not None
