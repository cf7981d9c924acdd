"""The SQLite side of the bulk port (`bridge.storage.bulk`): `executemany` in big
transactions on the store's own connection.

A session relaxes durability (`synchronous = OFF`) for its duration, which is only
acceptable for data one can regenerate; big loads of connections drop and rebuild their
secondary index, which SQLite builds from a sort far faster than by millions of inserts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from itertools import islice
from typing import Any, Protocol

import aiosqlite

from bridge.storage.bulk import (
    ConnectionRow,
    ConversationRow,
    InMailRow,
    LedgerRow,
    MemberRow,
    MessageRow,
    Progress,
    SpamReportRow,
    StateRow,
    Table,
)
from bridge.storage.sql.credits import INMAIL_COLUMNS
from bridge.storage.sql.members import search_words
from bridge.storage.sql.rows import CONVERSATION_COLUMNS, STATE_COLUMNS, ts

# The subsets of columns the bulk path fills (the others keep their defaults).
MEMBER_COLUMNS = (
    "id",
    "telegram_id",
    "handle",
    "first_name",
    "last_name",
    "language",
    "headline",
    "company",
    "location",
    "industry",
    "about",
    "search_text",
    "reachable",
    "plan_started_at",
    "created_at",
)
MESSAGE_COLUMNS = ("id", "conversation_id", "sender_id", "kind", "text", "subject", "created_at")
LEDGER_COLUMNS = (
    "member_id",
    "kind",
    "delta",
    "balance_after",
    "reason",
    "inmail_id",
    "created_at",
)
SPAM_COLUMNS = ("reporter_id", "reported_id", "conversation_id", "created_at")
_TABLES = frozenset({"members", "conversations", "messages", "inmails", "invitations"})


def _insert(table: str, columns: Sequence[str], verb: str = "INSERT") -> str:
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


def _ts(memo: dict[datetime, str], moment: datetime) -> str:
    """`ts` remembered for one load: millions of connections share their members' join
    times."""
    text = memo.get(moment)
    if text is None:
        text = memo[moment] = ts(moment)
    return text


class BulkConnection(Protocol):
    """What the bulk path needs of the store that hands it out (`SqliteStore.bulk`)."""

    def raw(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """The connection inside one transaction."""
        ...

    async def pragma(self, sql: str) -> None:
        """A PRAGMA on the bare connection, outside any transaction."""
        ...


class SqliteBulk:
    """The bulk path over one SQLite store (its connection and lock)."""

    def __init__(self, store: BulkConnection) -> None:
        self._store = store

    @asynccontextmanager
    async def session(self, cache_mb: int = 256) -> AsyncIterator[None]:
        """Relax durability and grow the page cache while bulk writes run, then restore both.

        `synchronous = OFF` skips the fsync at each commit (a crash may lose the seeded data,
        never corrupt it in WAL mode); a big cache keeps index pages in memory while millions
        of rows go in."""
        async with self._store.raw() as conn:
            cursor = await conn.execute("PRAGMA cache_size")
            row = await cursor.fetchone()
            old_cache = int(row[0]) if row else -2000
        await self._store.pragma(f"PRAGMA cache_size = {-cache_mb * 1024}")
        await self._store.pragma("PRAGMA synchronous = OFF")
        try:
            yield
        finally:
            await self._store.pragma("PRAGMA synchronous = FULL")
            await self._store.pragma(f"PRAGMA cache_size = {old_cache}")
            await self._store.pragma("PRAGMA wal_checkpoint(TRUNCATE)")

    async def next_id(self, table: Table) -> int:
        if table not in _TABLES:  # a table name goes into the SQL text: only known ones
            raise ValueError(f"no bulk ids for table {table!r}")
        async with self._store.raw() as conn:
            cursor = await conn.execute(
                f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 0))",
                (table,),
            )
            row = await cursor.fetchone()
        return int(row[0]) + 1 if row else 1

    async def _rows(
        self,
        sql: str,
        rows: Iterable[Sequence[object]],
        batch: int = 50_000,
        progress: Progress | None = None,
    ) -> int:
        """`executemany` in chunks, all in one transaction; returns how many rows went in."""
        async with self._store.raw() as conn:
            return await _write(conn, sql, rows, batch, progress)

    async def _insert_rows(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[object]],
        batch: int = 50_000,
        progress: Progress | None = None,
    ) -> int:
        """Rows into `table`'s `columns`, in one transaction (PostgreSQL's bulk copies)."""
        return await self._rows(_insert(table, columns), rows, batch, progress)

    async def add_members(self, rows: Iterable[MemberRow], progress: Progress | None = None) -> int:
        memo: dict[datetime, str] = {}
        values = (
            (
                r.id,
                r.telegram_id,
                r.handle,
                r.first_name,
                r.last_name,
                r.language,
                r.headline,
                r.company,
                r.location,
                r.industry,
                r.about,
                search_words(
                    r.first_name,
                    r.last_name,
                    r.handle,
                    r.headline,
                    r.company,
                    r.location,
                    r.industry,
                ),
                int(r.reachable),
                _ts(memo, r.plan_started_at),
                _ts(memo, r.created_at),
            )
            for r in rows
        )
        return await self._insert_rows("members", MEMBER_COLUMNS, values, 20_000, progress)

    async def add_connections(
        self, rows: Iterable[ConnectionRow], progress: Progress | None = None
    ) -> int:
        """Returns how many were new. For large loads the secondary index is dropped and
        rebuilt in the same transaction (SQLite builds an index from a sort far faster than by
        millions of random inserts). The change-log triggers are dropped too (millions of log
        rows would only be pruned again), and with them the graph snapshot, which these
        unlogged rows make stale: the next start rebuilds the graph and saves a new one."""
        sql = _insert("connections", ("member_a", "member_b", "created_at"), "INSERT OR IGNORE")
        memo: dict[datetime, str] = {}
        values = ((r.member_a, r.member_b, _ts(memo, r.created_at)) for r in rows)
        async with self._store.raw() as conn:
            cursor = await conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
                " AND tbl_name = 'connections' AND sql IS NOT NULL"
            )
            schema = [(row[0], row[1], row[2]) for row in await cursor.fetchall()]
            for kind, name, _ in schema:
                await conn.execute(f"DROP {kind.upper()} {name}")
            before = conn.total_changes
            await _write(conn, sql, values, 100_000, progress)
            count = conn.total_changes - before  # duplicates are ignored, not counted
            for _, _, ddl in schema:
                await conn.execute(ddl)
            await conn.execute("DELETE FROM graph_snapshot_parts")
            await conn.execute("DELETE FROM graph_snapshot")
        return count

    async def add_conversations(self, rows: Iterable[ConversationRow]) -> int:
        memo: dict[datetime, str] = {}
        values = (
            (
                r.id,
                r.member_a,
                r.member_b,
                _ts(memo, r.created_at),
                r.last_message_id,
                _ts(memo, r.last_activity_at),
                r.invitation_id,
                r.inmail_id,
            )
            for r in rows
        )
        return await self._insert_rows("conversations", CONVERSATION_COLUMNS, values)

    async def add_states(self, rows: Iterable[StateRow]) -> int:
        memo: dict[datetime, str] = {}
        values = (
            (
                r.conversation_id,
                r.member_id,
                r.unread_count,
                r.last_read_message_id,
                int(r.archived),
                int(r.deleted),
                r.cleared_through,
                int(r.spam),
                int(r.inmail),
                _ts(memo, r.last_activity_at),
            )
            for r in rows
        )
        return await self._insert_rows("conversation_states", STATE_COLUMNS, values)

    async def add_messages(
        self, rows: Iterable[MessageRow], progress: Progress | None = None
    ) -> int:
        values = (
            (
                r.id,
                r.conversation_id,
                r.sender_id,
                r.kind.value,
                r.text,
                r.subject,
                ts(r.created_at),
            )
            for r in rows
        )
        return await self._insert_rows("messages", MESSAGE_COLUMNS, values, 50_000, progress)

    async def add_inmails(self, rows: Iterable[InMailRow]) -> int:
        values = (
            (
                r.id,
                r.sender_id,
                r.recipient_id,
                r.conversation_id,
                r.message_id,
                r.subject,
                r.status.value,
                ts(r.sent_at),
                ts(r.responded_at) if r.responded_at is not None else None,
                r.refund_state.value,
                ts(r.refund_deadline),
                int(r.sponsored),
            )
            for r in rows
        )
        return await self._insert_rows("inmails", INMAIL_COLUMNS, values)

    async def add_ledger(self, rows: Iterable[LedgerRow]) -> int:
        values = (
            (
                r.member_id,
                r.kind.value,
                r.delta,
                r.balance_after,
                r.reason,
                r.inmail_id,
                ts(r.created_at),
            )
            for r in rows
        )
        return await self._insert_rows("credit_ledger", LEDGER_COLUMNS, values)

    async def add_spam_reports(self, rows: Iterable[SpamReportRow]) -> int:
        values = ((r.reporter_id, r.reported_id, r.conversation_id, ts(r.created_at)) for r in rows)
        return await self._insert_rows("spam_reports", SPAM_COLUMNS, values)

    async def set_credits(self, balances: Iterable[tuple[int, int]]) -> int:
        values = ((credits, member_id) for member_id, credits in balances)
        return await self._rows("UPDATE members SET credits = ? WHERE id = ?", values)

    async def _select_in(self, sql: str, values: Sequence[object]) -> list[tuple[Any, ...]]:
        """`sql` with one `{}` for an IN list, run over `values` in chunks under SQLite's
        limit on bound parameters."""
        rows: list[tuple[Any, ...]] = []
        async with self._store.raw() as conn:
            for start in range(0, len(values), 500):
                chunk = list(values[start : start + 500])
                cursor = await conn.execute(sql.format(", ".join("?" * len(chunk))), chunk)
                rows.extend(tuple(row) for row in await cursor.fetchall())
        return rows

    async def existing_handles(self, handles: Sequence[str]) -> set[str]:
        rows = await self._select_in("SELECT handle FROM members WHERE handle IN ({})", handles)
        return {row[0] for row in rows}

    async def languages(self, member_ids: Sequence[int]) -> dict[int, str]:
        rows = await self._select_in(
            "SELECT id, language FROM members WHERE id IN ({})", member_ids
        )
        return {row[0]: row[1] for row in rows}


async def _write(
    conn: aiosqlite.Connection,
    sql: str,
    rows: Iterable[Sequence[object]],
    batch: int,
    progress: Progress | None,
) -> int:
    count = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, batch)):
        await conn.executemany(sql, chunk)
        count += len(chunk)
        if progress is not None:
            progress(len(chunk))
    return count
