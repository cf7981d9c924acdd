from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.core.models import NewMember
from bridge.storage import open_store
from bridge.storage.migrations import DatabaseTooNew, load_migrations
from bridge.storage.port import StorageUnavailable
from bridge.storage.sqlite import SqliteStore

NOW = datetime(2026, 5, 1, tzinfo=UTC)


async def test_file_database_is_wal_with_foreign_keys_and_versioned(tmp_path: Path) -> None:
    store = await open_store(f"sqlite:///{tmp_path}/sub/bridge.db")
    assert isinstance(store, SqliteStore)
    conn = store._conn
    assert (await (await conn.execute("PRAGMA journal_mode")).fetchone())[0] == "wal"
    assert (await (await conn.execute("PRAGMA foreign_keys")).fetchone())[0] == 1
    rows = await (await conn.execute("SELECT version, description FROM schema_version")).fetchall()
    assert [tuple(r) for r in rows] == [(m.version, m.description) for m in load_migrations()]
    await store.close()


async def test_reopening_applies_nothing_twice_and_keeps_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bridge.db"
    store = await open_store(url)
    async with store.transaction() as tx:
        await tx.members.add(NewMember(telegram_id=1, first_name="Ann"), "ann", NOW)
    await store.close()
    again = await open_store(url)
    async with again.transaction() as tx:
        assert (await tx.members.by_handle("ann")) is not None
    await again.close()


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bridge.db"
    store = await open_store(url)
    assert isinstance(store, SqliteStore)
    await store._conn.execute(
        "INSERT INTO schema_version VALUES (999, 'from the future', '2030-01-01')"
    )
    await store.close()
    with pytest.raises(DatabaseTooNew):
        await open_store(url)


async def test_unknown_database_scheme_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="DATABASE_URL"):
        await open_store("mysql://localhost/x")


async def test_reads_of_a_file_database_go_on_while_a_write_is_open(tmp_path: Path) -> None:
    """`read()` has its own connection: it does not wait for the writer's lock, sees only
    what is committed, one state throughout, and cannot write."""
    store = await open_store(f"sqlite:///{tmp_path}/bridge.db")
    assert isinstance(store, SqliteStore)
    async with store.transaction() as tx:
        await tx.members.add(NewMember(telegram_id=1, first_name="Ann"), "ann", NOW)
    writing = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with store.transaction() as tx:
            await tx.members.add(NewMember(telegram_id=2, first_name="Bob"), "bob", NOW)
            writing.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await writing.wait()
    async with store.read() as tx:  # would wait for ever on the writer's lock before
        assert await tx.members.by_handle("ann") is not None
        assert await tx.members.by_handle("bob") is None  # not committed yet
        release.set()
        await task  # Bob committed meanwhile: this read keeps its snapshot
        assert await tx.members.by_handle("bob") is None
    async with store.read() as tx:
        assert await tx.members.by_handle("bob") is not None
    with pytest.raises(StorageUnavailable):
        async with store.read() as tx:
            await tx.members.add(NewMember(telegram_id=3, first_name="Cid"), "cid", NOW)
    await store.close()


async def test_a_write_transaction_goes_to_the_thread_only_to_commit(tmp_path: Path) -> None:
    """The writer's statements run on the event loop's thread (microseconds each); only the
    commit that wrote — its fsync — goes to the connection's thread: one trip a transaction,
    not one a statement (a trip waits for a turn of a busy loop, holding the one writer)."""
    store = await open_store(f"sqlite:///{tmp_path}/bridge.db")
    assert isinstance(store, SqliteStore)
    trips: list[object] = []
    original = store._conn._execute

    async def counted(fn: object, *args: object, **kwargs: object) -> object:
        trips.append(fn)
        return await original(fn, *args, **kwargs)  # type: ignore[arg-type]

    store._conn._execute = counted  # type: ignore[method-assign]
    try:
        async with store.transaction() as tx:
            for i in range(5):
                await tx.members.add(NewMember(telegram_id=i, first_name="Ann"), f"ann{i}", NOW)
            assert await tx.members.by_handle("ann3") is not None
        assert len(trips) == 1  # the COMMIT
        async with store.transaction() as tx:  # wrote nothing: no trip at all
            assert await tx.members.by_handle("ann1") is not None
        assert len(trips) == 1
    finally:
        await store.close()


async def test_reads_do_not_wait_for_each_other(tmp_path: Path) -> None:
    """Several reading connections: a read snapshot held open (a slow use case) does not
    hold up another member's read; each still sees one committed state throughout."""
    store = await open_store(f"sqlite:///{tmp_path}/bridge.db")
    try:
        async with store.transaction() as tx:
            await tx.members.add(NewMember(telegram_id=1, first_name="Ann"), "ann", NOW)
        async with store.read() as slow:
            assert await slow.members.by_handle("ann") is not None
            async with store.transaction() as tx:
                await tx.members.add(NewMember(telegram_id=2, first_name="Bob"), "bob", NOW)

            async def other_read() -> bool:
                async with store.read() as quick:
                    return await quick.members.by_handle("bob") is not None

            assert await asyncio.wait_for(other_read(), timeout=30)  # not behind `slow`
            assert await slow.members.by_handle("bob") is None  # its snapshot: before Bob
    finally:
        await store.close()


async def test_a_one_statement_read_of_a_file_database_needs_no_transaction(
    tmp_path: Path,
) -> None:
    """`read_statement()` reads on the reading connection in autocommit: no BEGIN, no
    COMMIT, nothing left open; it does not wait for a write in progress either."""
    store = await open_store(f"sqlite:///{tmp_path}/bridge.db")
    assert isinstance(store, SqliteStore) and store._readers
    async with store.transaction() as tx:
        await tx.members.add(NewMember(telegram_id=1, first_name="Ann"), "ann", NOW)
    sent: list[str] = []
    for reader in store._readers:
        await reader.set_trace_callback(sent.append)
    async with store.transaction() as tx:  # a write open meanwhile does not hold it up
        await tx.members.add(NewMember(telegram_id=2, first_name="Bob"), "bob", NOW)
        async with store.read_statement() as reading:
            assert await reading.members.count() == 1  # Bob not committed yet
    for reader in store._readers:
        await reader.set_trace_callback(None)  # type: ignore[arg-type]
    assert len(sent) == 1 and "BEGIN" not in sent[0]
    assert not any(reader.in_transaction for reader in store._readers)
    await store.close()
