"""The shared SQL on SQLite: aiosqlite takes it as written; FTS5 for search, the log's
position from `sqlite_sequence` (its triggers checked in `sqlite_master`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import aiosqlite

from bridge.storage.sql.db import Dialect, Params, Result

# The triggers that log every change to connections: without all three, no snapshot holds.
LOG_TRIGGERS = ("connections_log_insert", "connections_log_delete", "connections_log_update")

SQLITE = Dialect(
    name="sqlite",
    search_from="members_search f JOIN members m ON m.id = f.rowid",
    search_where="members_search MATCH ?",
    log_position=(
        "SELECT CASE WHEN (SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
        " AND tbl_name = 'connections' AND name IN"
        f" ({', '.join(repr(name) for name in LOG_TRIGGERS)})) = {len(LOG_TRIGGERS)}"
        " THEN COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'connection_changes'), 0)"
        " END"
    ),
    id_table="SELECT DISTINCT CAST(value AS INTEGER) AS id FROM json_each(:ids)",
)


class SqliteDb:
    """The aiosqlite connection, as the repositories' `Db`."""

    dialect = SQLITE

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: Params = ()) -> Result:
        return await self.conn.execute(sql, params)

    async def execute_fetchall(self, sql: str, params: Params = ()) -> Iterable[Any]:
        return await self.conn.execute_fetchall(sql, params)

    async def executemany(self, sql: str, params: Iterable[Params]) -> None:
        await self.conn.executemany(sql, params)
