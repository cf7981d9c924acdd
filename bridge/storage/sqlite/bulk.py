"""The bulk path: synthetic data (seeding, benchmarks) written with `executemany` in big
transactions on the store's own connection, instead of one use case per row.

Why a separate path: the core's use cases do several round trips per row (read state, write
state, outbox...), which is right for one member's action and hopeless for five million
connections. These functions write exactly the rows the core would have written; keeping
the derived counters true is the caller's job (`bridge.seed.inbox` simulates the core's rules).

Nothing here runs while the bot serves members: `bulk_session` relaxes durability
(`synchronous = OFF`) for the duration, which is only acceptable for data one can regenerate.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from itertools import islice

import aiosqlite

from bridge.storage.sqlite.credits import INMAIL_COLUMNS
from bridge.storage.sqlite.rows import CONVERSATION_COLUMNS, STATE_COLUMNS
from bridge.storage.sqlite.store import SqliteStore

Progress = Callable[[int], None]

# Every column of conversations, states and InMails (as the repositories read them); the
# subsets the seed fills for the other tables:
MEMBER_COLUMNS = ("id", "telegram_id", "handle", "first_name", "last_name", "language",
                  "headline", "company", "location", "industry", "about", "search_text",
                  "reachable", "plan_started_at", "created_at")
MESSAGE_COLUMNS = ("id", "conversation_id", "sender_id", "kind", "text", "subject", "created_at")
LEDGER_COLUMNS = ("member_id", "kind", "delta", "balance_after", "reason", "inmail_id",
                  "created_at")
SPAM_COLUMNS = ("reporter_id", "reported_id", "conversation_id", "created_at")
INVITATION_COLUMNS = ("id", "sender_id", "recipient_id", "note", "status", "created_at",
                      "conversation_id")


def _insert(table: str, columns: Sequence[str], verb: str = "INSERT") -> str:
    return (f"{verb} INTO {table} ({', '.join(columns)})"
            f" VALUES ({', '.join('?' for _ in columns)})")


@asynccontextmanager
async def bulk_session(store: SqliteStore, cache_mb: int = 256) -> AsyncIterator[None]:
    """Relax durability and grow the page cache while bulk writes run, then restore both.

    `synchronous = OFF` skips the fsync at each commit (a crash may lose the seeded data,
    never corrupt it in WAL mode); a big cache keeps index pages in memory while millions of
    rows go in."""
    async with store.raw() as conn:
        cursor = await conn.execute("PRAGMA cache_size")
        row = await cursor.fetchone()
        old_cache = int(row[0]) if row else -2000
    await _pragma(store, f"PRAGMA cache_size = {-cache_mb * 1024}")
    await _pragma(store, "PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        await _pragma(store, "PRAGMA synchronous = FULL")
        await _pragma(store, f"PRAGMA cache_size = {old_cache}")
        await _pragma(store, "PRAGMA wal_checkpoint(TRUNCATE)")


async def _pragma(store: SqliteStore, sql: str) -> None:
    # PRAGMA synchronous can't change inside a transaction: run it on the bare connection,
    # under the store's lock so no transaction is open at that moment.
    # The bulk path is part of the SQLite storage layer: it may use the store's internals.
    async with store._lock:
        await store._conn.execute(sql)


async def next_id(store: SqliteStore, table: str) -> int:
    """The id the next row of an AUTOINCREMENT table gets (deleted ids are never reused)."""
    async with store.raw() as conn:
        cursor = await conn.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),"
            f" COALESCE((SELECT MAX(id) FROM {table}), 0))", (table,))
        row = await cursor.fetchone()
    return int(row[0]) + 1 if row else 1


async def write_rows(store: SqliteStore, sql: str, rows: Iterable[Sequence[object]],
                     batch: int = 50_000, progress: Progress | None = None) -> int:
    """`executemany` in chunks, all in one transaction; returns how many rows went in."""
    count = 0
    async with store.raw() as conn:
        count = await _write(conn, sql, rows, batch, progress)
    return count


async def _write(conn: aiosqlite.Connection, sql: str, rows: Iterable[Sequence[object]],
                 batch: int, progress: Progress | None) -> int:
    count = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, batch)):
        await conn.executemany(sql, chunk)
        count += len(chunk)
        if progress is not None:
            progress(len(chunk))
    return count


async def insert_members(store: SqliteStore, rows: Iterable[Sequence[object]],
                         progress: Progress | None = None) -> int:
    """Rows in `MEMBER_COLUMNS` order, with explicit ids (see `next_id`)."""
    return await write_rows(store, _insert("members", MEMBER_COLUMNS), rows, 20_000, progress)


async def insert_connections(store: SqliteStore, edges: Iterable[tuple[int, int, str]],
                             progress: Progress | None = None) -> int:
    """(member_a, member_b, created_at) with member_a < member_b, ideally sorted; returns how
    many were new.

    For large loads the secondary index is dropped and rebuilt in the same transaction:
    SQLite builds an index from a sort far faster than by millions of random inserts. The
    change-log triggers are dropped too (millions of log rows would only be pruned again),
    and with them the graph snapshot, which these unlogged rows make stale: the next start
    rebuilds the graph from the connections and saves a new one."""
    sql = _insert("connections", ("member_a", "member_b", "created_at"), "INSERT OR IGNORE")
    async with store.raw() as conn:
        cursor = await conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
            " AND tbl_name = 'connections' AND sql IS NOT NULL")
        schema = [(row[0], row[1], row[2]) for row in await cursor.fetchall()]
        for kind, name, _ in schema:
            await conn.execute(f"DROP {kind.upper()} {name}")
        before = conn.total_changes
        await _write(conn, sql, edges, 100_000, progress)
        count = conn.total_changes - before  # duplicates are ignored, not counted
        for _, _, ddl in schema:
            await conn.execute(ddl)
        await conn.execute("DELETE FROM graph_snapshot_parts")
        await conn.execute("DELETE FROM graph_snapshot")
    return count


async def insert_conversations(store: SqliteStore, rows: Iterable[Sequence[object]]) -> int:
    return await write_rows(store, _insert("conversations", CONVERSATION_COLUMNS), rows)


async def insert_states(store: SqliteStore, rows: Iterable[Sequence[object]]) -> int:
    return await write_rows(store, _insert("conversation_states", STATE_COLUMNS), rows)


async def insert_messages(store: SqliteStore, rows: Iterable[Sequence[object]],
                          progress: Progress | None = None) -> int:
    return await write_rows(store, _insert("messages", MESSAGE_COLUMNS), rows, 50_000, progress)


async def insert_inmails(store: SqliteStore, rows: Iterable[Sequence[object]]) -> int:
    return await write_rows(store, _insert("inmails", INMAIL_COLUMNS), rows)


async def insert_ledger(store: SqliteStore, rows: Iterable[Sequence[object]]) -> int:
    return await write_rows(store, _insert("credit_ledger", LEDGER_COLUMNS), rows)


async def insert_spam_reports(store: SqliteStore, rows: Iterable[Sequence[object]]) -> int:
    return await write_rows(store, _insert("spam_reports", SPAM_COLUMNS), rows)


async def insert_invitations(store: SqliteStore, rows: Iterable[Sequence[object]]) -> int:
    return await write_rows(store, _insert("invitations", INVITATION_COLUMNS), rows)


async def set_credits(store: SqliteStore, credits: Iterable[tuple[int, int]]) -> int:
    """(credits, member_id) pairs."""
    return await write_rows(store, "UPDATE members SET credits = ? WHERE id = ?", credits)


async def _select_in(store: SqliteStore, sql: str, values: Sequence[object]) -> list[tuple]:
    """`sql` with one `{}` for an IN list, run over `values` in chunks under SQLite's limit
    on bound parameters."""
    rows: list[tuple] = []
    async with store.raw() as conn:
        for start in range(0, len(values), 500):
            chunk = list(values[start:start + 500])
            cursor = await conn.execute(sql.format(", ".join("?" * len(chunk))), chunk)
            rows.extend(tuple(row) for row in await cursor.fetchall())
    return rows


async def existing_handles(store: SqliteStore, handles: Sequence[str]) -> set[str]:
    """Which of these handles are taken already (seeding next to real members)."""
    rows = await _select_in(store, "SELECT handle FROM members WHERE handle IN ({})", handles)
    return {row[0] for row in rows}


async def member_languages(store: SqliteStore, ids: Sequence[int]) -> dict[int, str]:
    rows = await _select_in(store, "SELECT id, language FROM members WHERE id IN ({})", ids)
    return {row[0]: row[1] for row in rows}
