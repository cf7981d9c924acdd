"""One-statement reads on PostgreSQL use a connection kept out of the pool (an inbox page
then pays its statement, not the pool's acquire and release): reads overlapping it use the
pool, and a held connection that broke is replaced, with the read that met it refused as
the database being unavailable."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.core.models import NewMember
from bridge.storage import open_store
from bridge.storage.port import StorageUnavailable
from bridge.storage.postgres.store import PostgresStore
from tests.storage.backends import postgres_database

NOW = datetime(2026, 5, 1, tzinfo=UTC)


async def test_one_statement_reads_overlap_and_survive_a_lost_connection(tmp_path: Path) -> None:
    async with postgres_database() as url:
        store = await open_store(url)
        assert isinstance(store, PostgresStore)
        try:
            async with store.transaction() as tx:
                await tx.members.add(NewMember(telegram_id=1, first_name="Ann"), "ann", NOW)
            inside = asyncio.Event()

            async def slow() -> int:
                async with store.read_statement() as tx:  # takes the held connection
                    inside.set()
                    await asyncio.sleep(0.2)
                    return await tx.members.count()

            async def meanwhile() -> int:
                await inside.wait()
                async with store.read_statement() as tx:  # the pool's, not waiting
                    return await tx.members.count()

            assert await asyncio.wait_for(asyncio.gather(slow(), meanwhile()), 30) == [1, 1]
            held = store._held
            assert held is not None
            async with store.transaction() as tx:  # the held connection dies
                await tx.members.count()
            async with store._pool.acquire() as admin:
                await admin.execute("SELECT pg_terminate_backend($1)", held.get_server_pid())
            with pytest.raises(StorageUnavailable):
                async with store.read_statement() as tx:
                    await tx.members.count()
            async with store.read_statement() as tx:  # a fresh one
                assert await tx.members.count() == 1
        finally:
            await store.close()
