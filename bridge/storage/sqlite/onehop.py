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
    """aiosqlite's connection whose `execute` costs one trip to its thread.

    With `snapshot` set, the first statement opens a (read) transaction in the same trip:
    the statements after it see the state it saw."""

    snapshot = False

    async def execute(  # type: ignore[override]  # awaited only, never `async with`
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> aiosqlite.Cursor:
        found = self._execute(_run, self._conn, sql, parameters or (), self.snapshot)  # type: ignore[no-untyped-call]
        cursor, rows = await found
        return PrefetchedCursor(self, cursor, rows)


def connect(path: str, **kwargs: Any) -> OneHopConnection:
    """`aiosqlite.connect`, with the one-hop `execute`."""
    return OneHopConnection(lambda: sqlite3.connect(path, **kwargs), iter_chunk_size=64)
