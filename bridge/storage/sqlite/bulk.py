"""The bulk path: large synthetic networks written with executemany in big transactions
(seeding and benchmarks), instead of one use case per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from bridge.storage.sqlite.rows import ts
from bridge.storage.sqlite.store import SqliteStore

MEMBER_COLUMNS = ("telegram_id", "handle", "first_name", "last_name", "language", "headline",
                  "company", "location", "industry", "search_text", "plan_started_at",
                  "created_at")


async def insert_members(store: SqliteStore, rows: Iterable[Sequence[object]],
                         batch: int = 20_000) -> int:
    """Rows of (telegram_id, handle, first, last, language, headline, company, location,
    industry); ids follow insertion order. Returns how many were written."""
    now = ts(datetime.now(UTC))
    sql = (f"INSERT INTO members ({', '.join(MEMBER_COLUMNS)})"
           f" VALUES ({', '.join('?' for _ in MEMBER_COLUMNS)})")
    count = 0
    chunk: list[tuple] = []
    for row in rows:
        search = " ".join(str(v) for v in row[2:9]).casefold()
        chunk.append((*row, search, now, now))
        if len(chunk) >= batch:
            count += await _many(store, sql, chunk)
            chunk = []
    if chunk:
        count += await _many(store, sql, chunk)
    return count


async def insert_connections(store: SqliteStore, edges: Iterable[tuple[int, int]],
                             batch: int = 100_000) -> int:
    now = ts(datetime.now(UTC))
    sql = ("INSERT OR IGNORE INTO connections (member_a, member_b, created_at)"
           " VALUES (?, ?, ?)")
    count = 0
    chunk: list[tuple] = []
    for a, b in edges:
        chunk.append((min(a, b), max(a, b), now))
        if len(chunk) >= batch:
            count += await _many(store, sql, chunk)
            chunk = []
    if chunk:
        count += await _many(store, sql, chunk)
    return count


async def _many(store: SqliteStore, sql: str, rows: list[tuple]) -> int:
    async with store.raw() as conn:
        await conn.executemany(sql, rows)
    return len(rows)
