"""The shared SQL on PostgreSQL through asyncpg: placeholders (`?`, `:name`) become `$n`,
and SQLite's few functions the repositories use get their PostgreSQL form — in this one
place, so the repositories keep one text (as mautrix-python's async_db does)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bridge.storage.sql.db import Dialect, Params, Result

POSTGRES = Dialect(
    name="postgresql",
    # migrations/postgres/0006: a GIN index over the folded words (the 'simple' config: no
    # stemming, no stop words), queried with prefix terms (`'ing':* & 'paris':*`).
    search_from="members m",
    search_where="m.search_words @@ to_tsquery('simple', ?)",
    # migrations/postgres/0009: the position row the logging trigger advances.
    log_position=(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'connections_log'"
        " AND tgrelid = 'connections'::regclass AND tgenabled <> 'D')"
        " THEN (SELECT seq FROM connection_log_head WHERE id = 1) END"
    ),
    id_table=(
        "SELECT DISTINCT CAST(value AS INTEGER) AS id"
        " FROM json_array_elements_text(CAST(:ids AS json))"
    ),
    # migrations/postgres/0012: a stored tsvector of each message's folded words, GIN-indexed.
    message_search_from="messages m",
    message_search_where="m.search_words @@ to_tsquery('simple', ?)",
    skip_locked=" FOR UPDATE SKIP LOCKED",
)

# String literals and quoted names pass through; placeholders are rewritten.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|\?|:[A-Za-z_]\w*")
_WRITES = ("INSERT", "UPDATE", "DELETE")
# SQLite's `a CROSS JOIN b ON …` (a join order it keeps) is PostgreSQL's `a JOIN b ON …`.
_CROSS_JOIN_ON = re.compile(r"\bCROSS JOIN (\w+(?: \w+)?) ON\b")


@lru_cache(maxsize=2048)
def translate(sql: str) -> tuple[str, tuple[str, ...] | None]:
    """`sql` with `$n` placeholders, and the names of `:name` ones in order (None: `?`)."""
    names: list[str] = []
    positional = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal positional
        token = match.group(0)
        if token == "?":
            positional += 1
            return f"${positional}"
        if token.startswith(":") and token != "::":
            name = token[1:]
            if name not in names:
                names.append(name)
            return f"${names.index(name) + 1}"
        return token

    text = _TOKENS.sub(replace, _CROSS_JOIN_ON.sub(r"JOIN \1 ON", sql))
    if names and positional:
        raise ValueError(f"mixed placeholders in {sql!r}")
    return text, tuple(names) if names else None


def _arguments(names: tuple[str, ...] | None, params: Params) -> Sequence[Any]:
    if names is None:
        assert not isinstance(params, Mapping), "named parameters for a ? statement"
        return [bytes(p) if isinstance(p, memoryview) else p for p in params]
    assert isinstance(params, Mapping), "positional parameters for a :name statement"
    return [params[name] for name in names]


class PgResult:
    """The rows of one statement (fetched at once), or how many rows a change touched."""

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self._next = 0
        self._rowcount = rowcount

    @property
    def rowcount(self) -> int:
        return self._rowcount

    async def fetchone(self) -> Any:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> Iterable[Any]:
        rows, self._next = self._rows[self._next :], len(self._rows)
        return rows

    async def fetchmany(self, size: int) -> Iterable[Any]:
        rows = self._rows[self._next : self._next + size]
        self._next += len(rows)
        return rows


def _status_count(status: str) -> int:
    """`INSERT 0 3`, `UPDATE 2`, `DELETE 0` → the rows touched."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PgDb:
    """One pooled asyncpg connection inside a transaction, as the repositories' `Db`;
    `changes` counts the rows written (the once-per-update record needs to know)."""

    dialect = POSTGRES

    def __init__(self, conn: asyncpg.Connection | PoolConnectionProxy) -> None:
        self.conn = conn
        self.changes = 0

    async def execute(self, sql: str, params: Params = ()) -> Result:
        text, names = translate(sql)
        arguments = _arguments(names, params)
        head = text.lstrip()[:6].upper()
        if head in _WRITES and " RETURNING " not in text.upper():
            status = await self.conn.execute(text, *arguments)
            count = _status_count(status)
            self.changes += count
            return PgResult([], count)
        rows = await self.conn.fetch(text, *arguments)
        if head in _WRITES:
            self.changes += len(rows)
        return PgResult(rows, len(rows))

    async def execute_fetchall(self, sql: str, params: Params = ()) -> Iterable[Any]:
        return await (await self.execute(sql, params)).fetchall()

    async def executemany(self, sql: str, params: Iterable[Params]) -> None:
        text, names = translate(sql)
        batch = [_arguments(names, p) for p in params]
        if batch:
            await self.conn.executemany(text, batch)
            self.changes += len(batch)
