"""PostgreSQL schema upgrades: a database at every earlier version, with the same
representative rows as SQLite's upgrade test (tests/storage/test_migrations.py), upgrades to
the latest with its rows and reads back through the port; workers starting together apply
each migration once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest

from bridge.storage.postgres import PostgresStore
from bridge.storage.postgres.schema import postgres_migrations
from tests.storage import postgres_server
from tests.storage.backends import postgres_database
from tests.storage.test_migrations import DROPPED, LATEST, ROWS, rows_read_back

# SQLite numbers the change log itself (AUTOINCREMENT); PostgreSQL's trigger does, so the
# row written at version 9 gives its position.
PG_ROWS = {
    **ROWS,
    9: ["INSERT INTO connection_changes (seq, member_a, member_b, added) VALUES (1000, 1, 2, 1)"],
}


@asynccontextmanager
async def empty_database() -> AsyncIterator[str]:
    """A database with no schema at all (not from the migrated template)."""
    async with postgres_database():  # skips, or fails under REQUIRE_POSTGRES, without one
        pass
    name = "bridge_test_upgrade"
    admin = await asyncpg.connect(postgres_server.server_url())
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    try:
        yield postgres_server.database_url(name)
    finally:
        admin = await asyncpg.connect(postgres_server.server_url())
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await admin.close()


async def counts(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        names = [
            row[0]
            for row in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename NOT IN ('schema_version', 'connection_log_head')"
            )
        ]
        return {name: int(await conn.fetchval(f"SELECT COUNT(*) FROM {name}")) for name in names}
    finally:
        await conn.close()


@pytest.mark.parametrize("version", range(1, LATEST))
async def test_a_database_with_rows_upgrades_to_the_latest_intact(version: int) -> None:
    async with empty_database() as url:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
        try:
            await PostgresStore(pool, url).migrate(postgres_migrations()[:version])
            async with pool.acquire() as conn, conn.transaction():
                for step in range(1, version + 1):
                    for statement in PG_ROWS.get(step, []):
                        words = statement.split()
                        table = words[2] if statement.startswith("INSERT INTO") else ""
                        if step < DROPPED.get(table, 0) <= version:
                            continue
                        await conn.execute(statement)
        finally:
            await pool.close()
        before = await counts(url)
        store = await PostgresStore.open(url)
        try:
            after = await counts(url)
            for table, count in before.items():
                expected = 0 if DROPPED.get(table, 0) > version else count
                assert after[table] == expected, table
            async with store.read() as tx:
                await rows_read_back(tx)
        finally:
            await store.close()


async def test_workers_starting_together_migrate_once() -> None:
    async with empty_database() as url:
        stores = await asyncio.gather(*(PostgresStore.open(url) for _ in range(3)))
        try:
            conn = await asyncpg.connect(url)
            try:
                versions = [r[0] for r in await conn.fetch("SELECT version FROM schema_version")]
            finally:
                await conn.close()
            assert sorted(versions) == list(range(1, LATEST + 1))
        finally:
            for store in stores:
                await store.close()
