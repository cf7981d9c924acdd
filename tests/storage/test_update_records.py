"""Once per update (storage.once): an update's effect and its record commit together; the
database failing from outside surfaces as StorageUnavailable and leaves nothing behind."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.core.models import NewMember
from bridge.storage import once
from bridge.storage.port import AlreadyApplied, StorageUnavailable
from bridge.storage.sqlite import SqliteStore

NOW = datetime(2026, 5, 1, tzinfo=UTC)


async def _members(store: SqliteStore) -> int:
    async with store.read() as tx:
        return await tx.members.count()


async def _add(store: SqliteStore, telegram_id: int) -> None:
    async with store.transaction() as tx:
        await tx.members.add(NewMember(telegram_id=telegram_id, first_name="Ann"),
                             f"ann{telegram_id}", NOW)


async def test_an_update_applied_before_is_rolled_back_not_repeated() -> None:
    store = await SqliteStore.open(":memory:")
    with once.processing("bot:7:abc", 7, NOW) as scope:
        await _add(store, 1)
        assert scope.recorded
        await _add(store, 2)  # a later write of the same attempt just commits
    async with store.read() as tx:
        assert await tx.updates.seen("bot:7:abc")
    with once.processing("bot:7:abc", 7, NOW), pytest.raises(AlreadyApplied):
        await _add(store, 3)  # a second attempt (the update redelivered after a crash)
    assert await _members(store) == 2
    with once.processing("bot:7:other-content", 7, NOW):
        await _add(store, 4)  # the same id with other content is another update
    assert await _members(store) == 3
    await store.close()


async def test_reads_and_idempotent_writes_do_not_take_the_record() -> None:
    store = await SqliteStore.open(":memory:")
    with once.processing("bot:8:abc", 8, NOW) as scope:
        async with store.transaction() as tx:  # a transaction that changes nothing
            await tx.members.count()
        async with store.read() as tx:
            await tx.members.count()
        with once.unrecorded():
            await _add(store, 1)
        assert not scope.recorded
        await _add(store, 2)  # the handler's effect
        assert scope.recorded
    await _add(store, 3)  # outside any update: nothing to record
    async with store.read() as tx:
        assert await tx.updates.seen("bot:8:abc")
    assert await _members(store) == 3
    await store.close()


async def test_a_database_locked_by_another_process_is_unavailable_then_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SqliteStore, "busy_timeout_ms", 100)
    path = tmp_path / "bridge.db"
    store = await SqliteStore.open(str(path))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StorageUnavailable, match="locked"):
        await _add(store, 1)
    other.execute("ROLLBACK")
    other.close()
    await _add(store, 2)
    assert await _members(store) == 1
    await store.close()


async def test_a_full_disk_is_unavailable_leaves_nothing_then_back(tmp_path: Path) -> None:
    store = await SqliteStore.open(str(tmp_path / "bridge.db"))
    conn = store._conn
    await conn.execute("VACUUM")
    pages = (await (await conn.execute("PRAGMA page_count")).fetchone())[0]
    await conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageUnavailable, match="full"):
        async with store.transaction() as tx:
            for n in range(200):
                await tx.members.add(NewMember(telegram_id=n, first_name="A" * 60),
                                     f"member{n}", NOW)
    assert await _members(store) == 0
    await conn.execute("PRAGMA max_page_count = 1073741823")
    await _add(store, 1)
    assert await _members(store) == 1
    await store.close()
