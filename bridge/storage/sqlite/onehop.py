"""A statement and its first rows in one trip to aiosqlite's thread.

aiosqlite runs every call in its own thread and hands the answer back to the event loop:
`execute` then `fetchone` is two trips, each waiting for the loop's next turn — which, with
dozens of members' updates in flight, is most of a relayed message's database time. Here
`execute` runs the statement and fetches up to `PREFETCH` rows in the same trip; the
cursor answers from them, and asks the thread only for what lies beyond (a scan of the
whole graph still streams)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

import aiosqlite

PREFETCH = 256  # rows fetched with the statement; a longer answer streams the rest


def _run(
    conn: sqlite3.Connection, sql: str, parameters: Any, begin: bool = False
) -> tuple[Any, list[Any]]:
    if begin and not conn.in_transaction:
        conn.execute("BEGIN")
    cursor = conn.execute(sql, parameters)
    rows = cursor.fetchmany(PREFETCH) if cursor.description is not None else []
    return cursor, rows


class PrefetchedCursor(aiosqlite.Cursor):
    """aiosqlite's cursor, its first rows already here."""

    def __init__(self, conn: aiosqlite.Connection, cursor: sqlite3.Cursor, rows: list[Any]):
        super().__init__(conn, cursor)
        self._rows = rows
        self._more = len(rows) == PREFETCH  # the statement may have more rows

    async def fetchone(self) -> Any:
        if self._rows:
            return self._rows.pop(0)
        return await super().fetchone() if self._more else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        wanted = size if size is not None else self._cursor.arraysize
        taken, self._rows = self._rows[:wanted], self._rows[wanted:]
        if len(taken) < wanted and self._more:
            rest = list(await super().fetchmany(wanted - len(taken)))
            self._more = bool(rest)
            taken += rest
        return taken

    async def fetchall(self) -> list[Any]:
        taken, self._rows = self._rows, []
        if self._more:
            taken += list(await super().fetchall())
            self._more = False
        return taken

    async def close(self) -> None:
        if self._more:  # rows left in SQLite: release the statement
            await super().close()


class OneHopConnection(aiosqlite.Connection):
    """aiosqlite's connection whose `execute` costs one trip to its thread — or none.

    With `snapshot` set, the first statement opens a (read) transaction in the same trip:
    the statements after it see the state it saw.

    With `inline` set (the store's writing connection), statements run right here on the
    event loop's thread, and only what waits on the disk — a commit that wrote something,
    its fsync — goes to the thread (`commit_durably`). Why: a write statement of ours takes tens of
    microseconds in SQLite, while a trip to the thread and back waits for a turn of a busy
    event loop — often a millisecond — and the one writer is held for the whole
    transaction: with a dozen statements a transaction, the trips, not SQLite, were what
    every other writer queued behind. Only the holder of the store's lock uses the
    connection, so the thread and the loop never use it at once."""

    snapshot = False
    inline = False

    async def execute(  # type: ignore[override]  # awaited only, never `async with`
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> aiosqlite.Cursor:
        if self.inline:
            cursor, rows = _run(self._conn, sql, parameters or (), self.snapshot)
        else:
            found = self._execute(_run, self._conn, sql, parameters or (), self.snapshot)  # type: ignore[no-untyped-call]
            cursor, rows = await found
        return PrefetchedCursor(self, cursor, rows)

    async def execute_fetchall(  # type: ignore[override]  # awaited only
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> Iterable[sqlite3.Row]:
        if self.inline:
            return self._conn.execute(sql, parameters or ()).fetchall()  # type: ignore[arg-type]
        return await super().execute_fetchall(sql, parameters)

    async def executemany(  # type: ignore[override]  # awaited only
        self, sql: str, parameters: Iterable[Iterable[Any]]
    ) -> aiosqlite.Cursor:
        if self.inline:
            return aiosqlite.Cursor(self, self._conn.executemany(sql, parameters))  # type: ignore[arg-type]
        return await super().executemany(sql, parameters)

    async def commit_durably(self) -> None:
        """COMMIT in the connection's thread: a commit that wrote waits on the disk."""
        await self._execute(self._conn.execute, "COMMIT")  # type: ignore[no-untyped-call]


def connect(path: str, **kwargs: Any) -> OneHopConnection:
    """`aiosqlite.connect`, with the one-hop `execute`."""
    # Not bound to the thread that opened it: an `inline` connection is also used from the
    # event loop's thread (never by both at once, see `OneHopConnection`).
    return OneHopConnection(
        lambda: sqlite3.connect(path, check_same_thread=False, **kwargs), iter_chunk_size=64
    )
