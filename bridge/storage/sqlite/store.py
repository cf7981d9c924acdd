"""Opening the SQLite database, applying migrations, and handing out transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bridge.storage import once
from bridge.storage.migrations import (
    SCHEMA_VERSION_DDL,
    Migration,
    load_migrations,
    pending,
)
from bridge.storage.port import AlreadyApplied, ConstraintViolation, StorageUnavailable
from bridge.storage.sql.db import OneStatement
from bridge.storage.sql.unit import SqlUnitOfWork
from bridge.storage.sql.updates import SqlUpdates
from bridge.storage.sqlite import onehop
from bridge.storage.sqlite.bulk import SqliteBulk
from bridge.storage.sqlite.db import SqliteDb


class SqliteStore:
    """One writing connection, one transaction at a time; reads on a second connection.

    SQLite has a single writer anyway; serializing in-process with a lock turns what would be
    SQLITE_BUSY retries into an orderly queue, and keeps each use case's reads consistent.
    What can still fail from outside — another process holding the file past the busy
    timeout, a full disk — is rolled back and raised as `StorageUnavailable`.

    `read()` runs on a reading connection of its own (a file database in WAL mode: readers
    never wait for the writer), in a read transaction, so it sees one committed state
    throughout; the delivery worker's reads then never queue behind the intake's writes and
    their commits. `READERS` of them, so that concurrent updates' reads don't queue behind
    each other either. An in-memory database is one connection's own: there, reads share
    the writer's.
    """

    busy_timeout_ms = 5000  # how long to wait for another process's lock
    READERS = 4

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._db = SqliteDb(conn)
        self._lock = asyncio.Lock()
        self._readers: list[aiosqlite.Connection] = []
        # Last in, first out: without concurrent reads one connection (its page cache warm)
        # serves them all; the others only when reads overlap.
        self._idle_readers: asyncio.LifoQueue[aiosqlite.Connection] = asyncio.LifoQueue()

    @classmethod
    async def open(cls, path: str) -> SqliteStore:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await cls._connect(path)
        if path != ":memory:":
            await conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk before we tell anyone about it (power loss included).
        await conn.execute("PRAGMA synchronous = FULL")
        store = cls(conn)
        try:
            await store.migrate()
            # From here on the writer's statements run on the event loop's thread (each
            # costs microseconds), its durable commits in its own (see OneHopConnection).
            if isinstance(conn, onehop.OneHopConnection):
                conn.inline = True
            if path != ":memory:":
                for _ in range(cls.READERS):
                    reader = await cls._connect(path)
                    store._readers.append(reader)
                    await reader.execute("PRAGMA query_only = ON")
                    store._idle_readers.put_nowait(reader)
        except BaseException:
            await store.close()
            raise
        return store

    @classmethod
    async def _connect(cls, path: str) -> aiosqlite.Connection:
        conn = await onehop.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute(f"PRAGMA busy_timeout = {int(cls.busy_timeout_ms)}")
        return conn

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> int:
        """Apply pending migrations (every one the code has, unless given), each in its own
        transaction with its `schema_version` row; return the schema version."""
        await self._conn.execute(SCHEMA_VERSION_DDL)
        cursor = await self._conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        row = await cursor.fetchone()
        current = int(row[0]) if row else 0
        for migration in pending(load_migrations() if migrations is None else migrations, current):
            await self._apply(migration)
            current = migration.version
        return current

    async def _apply(self, migration: Migration) -> None:
        """SQLite's own script execution reads the file as SQLite parses SQL (trigger bodies,
        literals, comments), where splitting the text on semicolons could not. A script
        first commits any open transaction, so the script opens its own: BEGIN, then the
        migration; its version row and the COMMIT follow in that same transaction."""
        try:
            await self._conn.executescript(f"BEGIN IMMEDIATE;\n{migration.sql}\n")
            if not self._conn.in_transaction:
                raise RuntimeError(
                    f"migration {migration.version} ends its own transaction: remove its"
                    " BEGIN/COMMIT (each migration is applied in one, with its version row)"
                )
            await self._conn.execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.description, datetime.now(UTC).isoformat()),
            )
            await self._conn.execute("COMMIT")
        except BaseException:
            await self._rollback()
            raise

    @asynccontextmanager
    async def transaction(self, *, snapshot: bool = False) -> AsyncIterator[SqlUnitOfWork]:
        """`snapshot` changes nothing here: one writer at a time is already serial."""
        async with self._lock:
            scope = once.recording()
            await self._begin()
            before = self._conn.total_changes
            recorded = False
            try:
                yield SqlUnitOfWork(self._db)
                if scope is not None and self._conn.total_changes != before:
                    if not await SqlUpdates(self._db).record(
                        scope.key, scope.update_id, scope.received_at
                    ):
                        raise AlreadyApplied(scope.update_id)
                    recorded = True
                await self._commit(changed=self._conn.total_changes != before)
            except BaseException as exc:
                await self._rollback()
                if isinstance(exc, sqlite3.OperationalError):
                    raise _unavailable(exc) from exc
                if isinstance(exc, sqlite3.IntegrityError):
                    raise ConstraintViolation(str(exc)) from exc
                raise
            if recorded and scope is not None:
                scope.recorded = True

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection | None]:
        """An idle reading connection for the block (None in memory: there the writer's,
        under its lock), given back after it; SQLite's failures as `StorageUnavailable`."""
        if not self._readers:
            async with self._lock:
                try:
                    yield None
                except sqlite3.OperationalError as exc:
                    raise _unavailable(exc) from exc
            return
        reader = await self._idle_readers.get()
        try:
            yield reader
        except sqlite3.OperationalError as exc:
            raise _unavailable(exc) from exc
        finally:
            self._idle_readers.put_nowait(reader)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[SqlUnitOfWork]:
        """Reads in one read transaction on a reading connection: one committed state
        throughout, while the writer goes on. In memory, without BEGIN/COMMIT on the one
        connection: every change goes through it under the same lock, so nothing can change
        between the statements of a reader holding it."""
        async with self._reading() as reader:
            if reader is None:
                yield SqlUnitOfWork(self._db)
                return
            if isinstance(reader, onehop.OneHopConnection):
                reader.snapshot = True  # BEGIN with the first read, in its trip
            else:
                await reader.execute("BEGIN")
            try:
                yield SqlUnitOfWork(SqliteDb(reader))
            finally:
                if isinstance(reader, onehop.OneHopConnection):
                    reader.snapshot = False
                if reader.in_transaction:
                    try:
                        await reader.execute("COMMIT")  # ends the snapshot; nothing written
                    except sqlite3.OperationalError:
                        pass

    @asynccontextmanager
    async def read_statement(self) -> AsyncIterator[SqlUnitOfWork]:
        """One statement on a reading connection without BEGIN and COMMIT: in autocommit a
        statement is its own read transaction, one committed state throughout."""
        async with self._reading() as reader:
            yield SqlUnitOfWork(OneStatement(self._db if reader is None else SqliteDb(reader)))

    def claiming(self) -> AbstractAsyncContextManager[SqlUnitOfWork]:
        """One writer at a time already: an ordinary transaction."""
        return self.transaction()

    def bulk(self) -> SqliteBulk:
        """The bulk path (seeding, benchmarks): never while the bot serves members."""
        return SqliteBulk(self)

    async def pragma(self, sql: str) -> None:
        """A PRAGMA on the bare connection (`synchronous` can't change inside a
        transaction), under the lock so that no transaction is open at that moment."""
        async with self._lock:
            await self._conn.execute(sql)

    @asynccontextmanager
    async def raw(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection inside one transaction, for the bulk path (`bulk.py`) only."""
        async with self._lock:
            await self._begin()
            try:
                yield self._conn
                await self._commit(changed=True)
            except BaseException as exc:
                await self._rollback()
                if isinstance(exc, sqlite3.OperationalError):
                    raise _unavailable(exc) from exc
                raise

    async def _commit(self, changed: bool) -> None:
        """A commit that wrote waits for the disk in the connection's thread, not on the
        event loop; one that wrote nothing just ends the transaction."""
        if changed and isinstance(self._conn, onehop.OneHopConnection):
            await self._conn.commit_durably()
        else:
            await self._conn.execute("COMMIT")

    async def _begin(self) -> None:
        try:
            await self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _unavailable(exc) from exc

    async def _rollback(self) -> None:
        """Roll back what is open; SQLite may already have (a full disk does)."""
        if not self._conn.in_transaction:
            return
        try:
            await self._conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # the connection rolls back by itself when it can't

    async def close(self) -> None:
        try:
            readers, self._readers = self._readers, []
            for reader in readers:
                await reader.close()
        finally:
            await self._conn.close()


def _unavailable(exc: BaseException) -> StorageUnavailable:
    return StorageUnavailable(f"database unavailable: {exc}")
