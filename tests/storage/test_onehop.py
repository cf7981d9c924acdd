"""The one-hop connection answers like aiosqlite's: rows beyond the prefetch stream, and a
statement's rowcount / lastrowid are there after the one trip."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bridge.storage.sqlite import onehop
from bridge.storage.sqlite.onehop import PREFETCH, OneHopConnection


@pytest.fixture
async def conn() -> AsyncIterator[OneHopConnection]:
    connection = onehop.connect(":memory:", isolation_level=None)
    await connection
    await connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
    try:
        yield connection
    finally:
        await connection.close()


async def _fill(conn: OneHopConnection, n: int) -> None:
    await conn.executemany("INSERT INTO t (v) VALUES (?)", [(i,) for i in range(n)])


@pytest.mark.parametrize("n", [0, 1, PREFETCH - 1, PREFETCH, PREFETCH + 1, 3 * PREFETCH + 7])
async def test_every_row_comes_whatever_the_count(conn: OneHopConnection, n: int) -> None:
    await _fill(conn, n)
    everything = await conn.execute("SELECT v FROM t ORDER BY id")
    assert [r[0] for r in await everything.fetchall()] == list(range(n))
    streamed, cursor = [], await conn.execute("SELECT v FROM t ORDER BY id")
    while rows := await cursor.fetchmany(100):
        streamed += [r[0] for r in rows]
    assert streamed == list(range(n))
    one = await conn.execute("SELECT v FROM t ORDER BY id")
    firsts = [await one.fetchone() for _ in range(n + 1)]
    assert [r[0] for r in firsts[:n] if r is not None] == list(range(n)) and firsts[n] is None


async def test_a_write_reports_its_rowcount_and_rowid(conn: OneHopConnection) -> None:
    inserted = await conn.execute("INSERT INTO t (v) VALUES (5)")
    assert inserted.lastrowid == 1 and inserted.rowcount == 1
    await _fill(conn, 9)
    updated = await conn.execute("UPDATE t SET v = v + 1 WHERE v < 3")
    assert updated.rowcount == 3
    returned = await conn.execute("INSERT INTO t (v) VALUES (42) RETURNING id, v")
    assert tuple(await returned.fetchone() or ()) == (11, 42)
