"""The bulk port on PostgreSQL: the same rows as the SQLite bulk path (`SqliteBulk` builds
them), written with COPY (asyncpg's `copy_records_to_table`), the binary protocol's fastest
way in; ids the seeder assigned itself move the tables' identity sequences past them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from itertools import islice
from typing import Any, Protocol

from bridge.storage.bulk import ConnectionRow, Progress, Table
from bridge.storage.sqlite.bulk import SqliteBulk, _ts

_TABLES = frozenset({"members", "conversations", "messages", "inmails", "invitations"})


class RawConnection(Protocol):
    def raw(self) -> AbstractAsyncContextManager[Any]:
        """An asyncpg connection inside one transaction."""
        ...


class PgBulk(SqliteBulk):
    """COPY for every insert; the row building is SQLite's (`SqliteBulk.add_*`)."""

    def __init__(self, store: RawConnection) -> None:
        self._pg = store

    @asynccontextmanager
    async def session(self, cache_mb: int = 256) -> AsyncIterator[None]:
        """Nothing to relax per connection (each COPY commits once, in its transaction);
        afterwards ANALYZE, so that the planner knows the tables it just saw filled (without
        it, /find walked every member in id order instead of using the search index)."""
        yield
        async with self._pg.raw() as conn:
            await conn.execute("ANALYZE")

    async def next_id(self, table: Table) -> int:
        if table not in _TABLES:  # a table name goes into the SQL text: only known ones
            raise ValueError(f"no bulk ids for table {table!r}")
        async with self._pg.raw() as conn:
            value = await conn.fetchval(
                "SELECT GREATEST(COALESCE(pg_sequence_last_value("
                f"pg_get_serial_sequence('{table}', 'id')), 0),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 0))"
            )
        return int(value) + 1

    async def _insert_rows(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[object]],
        batch: int = 50_000,
        progress: Progress | None = None,
    ) -> int:
        async with self._pg.raw() as conn:
            count = await _copy(conn, table, columns, rows, batch, progress)
            if "id" in columns and table != "conversation_states":
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" GREATEST((SELECT MAX(id) FROM {table}), 1))"
                )
        return count

    async def add_connections(
        self, rows: Iterable[ConnectionRow], progress: Progress | None = None
    ) -> int:
        """Returns how many were new: COPY into a temporary table, then one INSERT … ON
        CONFLICT DO NOTHING. The change log's trigger is off meanwhile (millions of log rows
        would only be pruned again) and the graph snapshot goes, stale: the next start
        rebuilds the graph and saves a new one."""
        memo: dict[datetime, str] = {}
        values = ((r.member_a, r.member_b, _ts(memo, r.created_at)) for r in rows)
        async with self._pg.raw() as conn:
            await conn.execute(
                "CREATE TEMPORARY TABLE bulk_connections (member_a INTEGER, member_b INTEGER,"
                " created_at TEXT) ON COMMIT DROP"
            )
            await _copy(
                conn,
                "bulk_connections",
                ("member_a", "member_b", "created_at"),
                values,
                100_000,
                progress,
            )
            await conn.execute("ALTER TABLE connections DISABLE TRIGGER connections_log")
            status = await conn.execute(
                "INSERT INTO connections (member_a, member_b, created_at)"
                " SELECT member_a, member_b, created_at FROM bulk_connections"
                " ON CONFLICT DO NOTHING"
            )
            await conn.execute("ALTER TABLE connections ENABLE TRIGGER connections_log")
            await conn.execute("DELETE FROM graph_snapshot_parts")
            await conn.execute("DELETE FROM graph_snapshot")
        return int(status.rsplit(" ", 1)[-1])

    async def set_credits(self, balances: Iterable[tuple[int, int]]) -> int:
        values = [(credits, member_id) for member_id, credits in balances]
        async with self._pg.raw() as conn:
            await conn.executemany("UPDATE members SET credits = $1 WHERE id = $2", values)
        return len(values)

    async def existing_handles(self, handles: Sequence[str]) -> set[str]:
        async with self._pg.raw() as conn:
            rows = await conn.fetch(
                "SELECT handle FROM members WHERE handle = ANY($1::text[])", list(handles)
            )
        return {row[0] for row in rows}

    async def languages(self, member_ids: Sequence[int]) -> dict[int, str]:
        async with self._pg.raw() as conn:
            rows = await conn.fetch(
                "SELECT id, language FROM members WHERE id = ANY($1::integer[])",
                list(member_ids),
            )
        return {row[0]: row[1] for row in rows}


async def _copy(
    conn: Any,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    batch: int,
    progress: Progress | None,
) -> int:
    count = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, batch)):
        await conn.copy_records_to_table(table, records=chunk, columns=list(columns))
        count += len(chunk)
        if progress is not None:
            progress(len(chunk))
    return count
