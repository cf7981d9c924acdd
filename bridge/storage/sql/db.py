"""One SQL text for every backend: the repositories (`bridge/storage/sql/*`) write SQLite's
SQL — `?` or `:name` placeholders, `ON CONFLICT`, `RETURNING` — to a `Db`, and each backend's
`Db` adapts it in one place (`bridge.storage.sqlite.db`, `bridge.storage.postgres.db`), as
mautrix-python's async_db does. The few statements whose SQL really differs between dialects
(full-text search, the change log's position, id lists) ask the `Dialect` for their text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Params = Sequence[Any] | Mapping[str, Any]


class Row(Protocol):
    """A result row, by position or by column name (sqlite3.Row, asyncpg.Record)."""

    def __getitem__(self, key: Any, /) -> Any: ...
    def keys(self) -> Any: ...


class Result(Protocol):
    """What `Db.execute` returns: the rows of a query, or how many rows a change touched."""

    @property
    def rowcount(self) -> int: ...
    async def fetchone(self) -> Any: ...
    async def fetchall(self) -> Iterable[Any]: ...
    async def fetchmany(self, size: int) -> Iterable[Any]: ...


@dataclass(frozen=True)
class Dialect:
    """The statements that differ between dialects, by backend."""

    name: str
    # /find: (FROM clause joining `m` (members) to the index, WHERE condition with one
    # placeholder for `match`'s text); see `bridge.storage.sql.members.SqlMembers.search`.
    search_from: str
    search_where: str
    # The connection change log's latest position (None: changes are not being logged).
    log_position: str
    # A table of ids `id` from one JSON array parameter (`:ids`).
    id_table: str
    # /search: (FROM clause joining `m` (messages) to the index, WHERE condition with one
    # placeholder for `message_match`'s text); see `SqlMessages.search`.
    message_search_from: str
    message_search_where: str
    # Appended to a claim's inner SELECT: rows another worker is claiming are skipped, not
    # waited for (PostgreSQL); SQLite has one writer, nothing to skip.
    skip_locked: str = ""

    def match(self, terms: Sequence[str]) -> str:
        """The search index query for words starting with every term."""
        if self.name == "postgresql":
            return " & ".join("'" + t.replace("\\", "").replace("'", "''") + "':*" for t in terms)
        return " ".join('"' + t.replace('"', '""') + '"*' for t in terms)

    def message_match(self, member_id: int, terms: Sequence[str]) -> str:
        """The message index query for words starting with every term. SQLite's index holds
        each message's two members as tokens (migration 0012): the member's own messages are
        matched inside it; PostgreSQL's holds the words only, and the query's join on the
        member's conversation states narrows them."""
        if self.name == "postgresql":
            return self.match(terms)
        words = " AND ".join(
            '{body subject file_name} : "' + t.replace('"', '""') + '"*' for t in terms
        )
        return f'members : "m{int(member_id)}" AND {words}'


class Db(Protocol):
    """A connection inside a transaction, speaking the shared SQL."""

    dialect: Dialect

    async def execute(self, sql: str, params: Params = ()) -> Result: ...
    async def execute_fetchall(self, sql: str, params: Params = ()) -> Iterable[Any]: ...
    async def executemany(self, sql: str, params: Iterable[Params]) -> None: ...


class OneStatement:
    """A `Db` for one statement (`Store.read_statement`): outside a transaction each
    statement sees its own snapshot, so a second one is refused rather than mixing two."""

    def __init__(self, db: Db) -> None:
        self.dialect = db.dialect
        self._db: Db | None = db

    def _take(self, sql: str) -> Db:
        db, self._db = self._db, None
        if db is None:
            raise RuntimeError(f"a second statement in a one-statement read: {sql[:80]!r}")
        return db

    async def execute(self, sql: str, params: Params = ()) -> Result:
        return await self._take(sql).execute(sql, params)

    async def execute_fetchall(self, sql: str, params: Params = ()) -> Iterable[Any]:
        return await self._take(sql).execute_fetchall(sql, params)

    async def executemany(self, sql: str, params: Iterable[Params]) -> None:
        await self._take(sql).executemany(sql, params)
