"""The storage port on PostgreSQL: an asyncpg pool, the shared repositories
(`bridge/storage/sql/`), SERIALIZABLE write transactions.

Why SERIALIZABLE: the core's use cases read, decide and write (a balance checked before an
InMail is charged, the week's invitations counted before one more is sent, a conversation's
state read and saved). The port promises that what a use case read is still true when it
commits (`Store.transaction`). SQLite keeps it by running one writer at a time; on
PostgreSQL one worker's write transactions still take turns (a lock per store, as on SQLite:
within a worker nothing ever conflicts), and between workers SERIALIZABLE keeps it: when two
workers' transactions' reads and writes cross, one of them fails at once
(`TransactionConflict`, a `StorageUnavailable`: nothing of it remains) and its caller — the
intake, the delivery worker — runs it again. READ COMMITTED would need every use case to name
its row locks, and any it forgot would overspend. Reads (`read()`) run concurrently in a
REPEATABLE READ, READ ONLY snapshot: consistent, and never a conflict.

A relay asks for less (`transaction(snapshot=True)`: REPEATABLE READ): SERIALIZABLE's
predicate locks cover whole index pages, and the few hundred conversation states of the
members writing right now share a handful of pages, so two workers' relays for different
members refused each other (a quarter to two thirds of a rollback per message, measured by
`bench.worker_scaling`). Under REPEATABLE READ only a row both change conflicts (the second
to update it is refused: the same conversation from both sides), and a unique key another
worker just took refuses it too (`INSERT … ON CONFLICT` on a row this snapshot cannot see).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

import asyncpg

from bridge.storage import once
from bridge.storage.migrations import SCHEMA_VERSION_DDL, Migration, pending
from bridge.storage.port import (
    AlreadyApplied,
    ConstraintViolation,
    StorageUnavailable,
    TransactionConflict,
)
from bridge.storage.postgres.bulk import PgBulk
from bridge.storage.postgres.db import PgDb
from bridge.storage.postgres.follow import Apply, ConnectionFollower, Reload
from bridge.storage.postgres.schema import has_statements, postgres_migrations
from bridge.storage.sql.db import OneStatement
from bridge.storage.sql.unit import SqlUnitOfWork
from bridge.storage.sql.updates import SqlUpdates

# Held while migrating, so that workers starting together apply each migration once.
MIGRATION_LOCK = 0x6272_6964_6765_0001  # "bridge" + 1


def storage_error(exc: BaseException) -> BaseException | None:
    """The port's error for an asyncpg or connection failure (None: not a storage one)."""
    if isinstance(exc, asyncpg.SerializationError | asyncpg.DeadlockDetectedError):
        return TransactionConflict(f"concurrent change, try again: {exc}")
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return ConstraintViolation(str(exc))
    if isinstance(
        exc,
        asyncpg.PostgresConnectionError
        | asyncpg.InsufficientResourcesError
        | asyncpg.CannotConnectNowError
        | asyncpg.OperatorInterventionError
        | asyncpg.InterfaceError
        # A query on a connection whose server end just went (terminated, restarted) while
        # asyncpg was still closing it: "another operation is in progress".
        | asyncpg.InternalClientError
        | ConnectionError
        | OSError
        | TimeoutError,
    ):
        return StorageUnavailable(f"database unavailable: {exc}")
    return None


def _raise_storage(exc: BaseException) -> None:
    mapped = storage_error(exc)
    if mapped is not None:
        raise mapped from exc


async def _prepare_connection(conn: asyncpg.Connection) -> None:
    """SUM over BIGINT columns is `numeric`: read it as the int it is (SQLite's SUM of
    integers is an integer), so the shared SQL returns the same types on both."""
    await conn.set_type_codec(
        "numeric", schema="pg_catalog", encoder=str, decoder=_number, format="text"
    )


async def _nothing_to_reset(conn: asyncpg.Connection) -> None:
    """What a connection going back to the pool needs beyond asyncpg's own release (which
    still rolls back a transaction left open): nothing. The store leaves no session state on
    pooled connections — no SET, no LISTEN (the graph follower has a connection of its
    own), no cursor; the migrations' advisory lock is released in a `finally` — so asyncpg's
    default reset query (`RESET ALL; UNLISTEN *; CLOSE ALL; pg_advisory_unlock_all()`) would
    only cost one more round trip on every use of the pool."""


def _number(text: str) -> int | Decimal:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else value


def _has_statement(sql: str) -> bool:
    """Whether a migration holds more than comments (a renumbering placeholder does not)."""
    return any(line.strip() and not line.lstrip().startswith("--") for line in sql.splitlines())


class PostgresStore:
    """A pool of connections; each transaction on one of them."""

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self._pool = pool
        self.url = url
        self._lock = asyncio.Lock()  # this worker's write transactions, one at a time
        # One connection kept out of the pool for one-statement reads (inbox pages, digest
        # batches): the pool's acquire and release cost an inbox page more than its
        # statement's round trip. Busy, or broken: the pool serves as for any read.
        self._held: Any = None
        self._held_lock = asyncio.Lock()

    @classmethod
    async def open(cls, url: str, *, min_size: int = 1, max_size: int = 10) -> PostgresStore:
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=min_size,
                max_size=max_size,
                init=_prepare_connection,
                reset=_nothing_to_reset,
            )
        except BaseException as exc:
            _raise_storage(exc)
            raise
        store = cls(pool, url)
        try:
            await store.migrate()
        except BaseException:
            await pool.close()
            raise
        return store

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> int:
        """Apply pending migrations under an advisory lock (workers starting together wait
        for the first), each in its own transaction with its `schema_version` row."""
        if migrations is None:
            migrations = postgres_migrations()
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                await conn.execute(SCHEMA_VERSION_DDL)
                current = int(
                    await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version")
                )
                for migration in pending(migrations, current):
                    async with conn.transaction():
                        if has_statements(migration.sql):
                            await conn.execute(migration.sql)
                        await conn.execute(
                            "INSERT INTO schema_version (version, description, applied_at)"
                            " VALUES ($1, $2, $3)",
                            migration.version,
                            migration.description,
                            datetime.now(UTC).isoformat(),
                        )
                    current = migration.version
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
        return current

    @asynccontextmanager
    async def transaction(self, *, snapshot: bool = False) -> AsyncIterator[SqlUnitOfWork]:
        scope = once.recording()
        recorded = False
        isolation: Literal["repeatable_read", "serializable"] = (
            "repeatable_read" if snapshot else "serializable"
        )
        try:
            async with self._lock, self._pool.acquire() as conn:
                db = PgDb(conn)
                async with conn.transaction(isolation=isolation):
                    yield SqlUnitOfWork(db)
                    if scope is not None and db.changes:
                        if not await SqlUpdates(db).record(
                            scope.key, scope.update_id, scope.received_at
                        ):
                            raise AlreadyApplied(scope.update_id)
                        recorded = True
        except BaseException as exc:
            _raise_storage(exc)
            raise
        if recorded and scope is not None:
            scope.recorded = True

    @asynccontextmanager
    async def read(self) -> AsyncIterator[SqlUnitOfWork]:
        try:
            async with self._pool.acquire() as conn:
                async with conn.transaction(isolation="repeatable_read", readonly=True):
                    yield SqlUnitOfWork(PgDb(conn))
        except BaseException as exc:
            _raise_storage(exc)
            raise

    @asynccontextmanager
    async def read_statement(self) -> AsyncIterator[SqlUnitOfWork]:
        if self._held_lock.locked():  # another page is being read on it: the pool's
            try:
                async with self._pool.acquire() as conn:
                    yield SqlUnitOfWork(OneStatement(PgDb(conn)))
            except BaseException as exc:
                _raise_storage(exc)
                raise
            return
        async with self._held_lock:
            try:
                if self._held is None or self._held.is_closed():
                    await self._give_held_back()
                    self._held = await self._pool.acquire()
                yield SqlUnitOfWork(OneStatement(PgDb(self._held)))
            except BaseException as exc:
                # Whatever happened (a lost connection, a cancel mid-statement), the pool
                # resets or replaces it; the next read takes a fresh one.
                await self._give_held_back()
                _raise_storage(exc)
                raise

    async def _give_held_back(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            with contextlib.suppress(Exception):
                await self._pool.release(held)

    @asynccontextmanager
    async def claiming(self) -> AsyncIterator[SqlUnitOfWork]:
        try:
            async with self._pool.acquire() as conn:
                async with conn.transaction():  # READ COMMITTED; SKIP LOCKED isolates
                    yield SqlUnitOfWork(PgDb(conn))
        except BaseException as exc:
            _raise_storage(exc)
            raise

    @asynccontextmanager
    async def raw(self) -> AsyncIterator[Any]:
        """One connection inside one transaction, for the bulk path (`bulk.py`) only."""
        try:
            async with self._pool.acquire() as conn:
                async with conn.transaction():
                    yield conn
        except BaseException as exc:
            _raise_storage(exc)
            raise

    def bulk(self) -> PgBulk:
        """The bulk path (seeding, benchmarks): never while the bot serves members."""
        return PgBulk(self)

    async def follow_connections(
        self, position: int, apply: Apply, reload: Reload, poll_seconds: float = 1.0
    ) -> ConnectionFollower:
        """Keep an in-memory graph index in step with every worker's changes: `apply` gets
        each batch of committed changes after `position` (in log order) and the position
        they reach; `reload` rebuilds the index when the log no longer holds what it missed,
        and returns the position it includes. `stop()` the follower before closing."""
        follower = ConnectionFollower(self.url, position, apply, reload, poll_seconds)
        await follower.start()
        return follower

    async def close(self) -> None:
        await self._give_held_back()
        await self._pool.close()
