"""Opening the SQLite database, applying migrations, and handing out transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bridge.storage.migrations import DatabaseTooNew, load_migrations
from bridge.storage.sqlite.conversations import (
    SqliteConversations,
    SqliteCopies,
    SqliteMessages,
)
from bridge.storage.sqlite.credits import SqliteInMails, SqliteLedger, SqliteSpam
from bridge.storage.sqlite.graph_snapshot import SqliteGraphSnapshots
from bridge.storage.sqlite.members import SqliteBlocks, SqliteMembers
from bridge.storage.sqlite.network import SqliteConnections, SqliteInvitations
from bridge.storage.sqlite.outbox import SqliteOutbox, SqliteUpdates


class SqliteUnitOfWork:
    """The repositories of one transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.members = SqliteMembers(conn)
        self.blocks = SqliteBlocks(conn)
        self.connections = SqliteConnections(conn)
        self.invitations = SqliteInvitations(conn)
        self.conversations = SqliteConversations(conn)
        self.messages = SqliteMessages(conn)
        self.inmails = SqliteInMails(conn)
        self.ledger = SqliteLedger(conn)
        self.spam = SqliteSpam(conn)
        self.copies = SqliteCopies(conn)
        self.outbox = SqliteOutbox(conn)
        self.updates = SqliteUpdates(conn)
        self.graph_snapshots = SqliteGraphSnapshots(conn)


class SqliteStore:
    """One connection, one transaction at a time.

    SQLite has a single writer anyway; serializing in-process with a lock turns what would be
    SQLITE_BUSY retries into an orderly queue, and keeps each use case's reads consistent.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str) -> SqliteStore:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA busy_timeout = 5000")
        if path != ":memory:":
            await conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk before we tell anyone about it (power loss included).
        await conn.execute("PRAGMA synchronous = FULL")
        store = cls(conn)
        try:
            await store.migrate()
        except BaseException:
            await conn.close()
            raise
        return store

    async def migrate(self) -> int:
        """Apply pending migrations, each in its own transaction; return the schema version."""
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
            " description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        cursor = await self._conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        row = await cursor.fetchone()
        current = int(row[0]) if row else 0
        migrations = load_migrations()
        known = migrations[-1].version if migrations else 0
        if current > known:
            raise DatabaseTooNew(
                f"database schema is version {current}, this code knows up to {known}:"
                " refusing to start (upgrade the code)"
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(migration.sql):
                    await self._conn.execute(statement)
                await self._conn.execute(
                    "INSERT INTO schema_version (version, description, applied_at)"
                    " VALUES (?, ?, ?)",
                    (migration.version, migration.description, datetime.now(UTC).isoformat()),
                )
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")
            current = migration.version
        return current

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteUnitOfWork]:
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteUnitOfWork(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[SqliteUnitOfWork]:
        """Reads without BEGIN/COMMIT: every change goes through this connection under the
        same lock, so nothing can change between the statements of a reader holding it."""
        async with self._lock:
            yield SqliteUnitOfWork(self._conn)

    @asynccontextmanager
    async def raw(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection inside one transaction, for the bulk path (`bulk.py`) only."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    async def close(self) -> None:
        await self._conn.close()


def _statements(sql: str) -> list[str]:
    """Split a migration on semicolons at line ends (our migrations keep one per line end)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    text = "\n".join(lines)
    return [part.strip() for part in text.split(";\n") if part.strip().rstrip(";")]
