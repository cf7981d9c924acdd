"""SQLite failing from outside — locked by another process, a full disk — surfaces as
StorageUnavailable and leaves nothing behind. (Once per update, on every backend:
tests/storage/contract/test_updates.py.)"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.core.models import NewMember
from bridge.storage.port import StorageUnavailable
from bridge.storage.sqlite import SqliteStore

NOW = datetime(2026, 5, 1, tzinfo=UTC)


async def _members(store: SqliteStore) -> int:
    async with store.read() as tx:
        return await tx.members.count()


async def _add(store: SqliteStore, telegram_id: int) -> None:
    async with store.transaction() as tx:
        await tx.members.add(
            NewMember(telegram_id=telegram_id, first_name="Ann"), f"ann{telegram_id}", NOW
        )


async def test_a_database_locked_by_another_process_is_unavailable_then_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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
                await tx.members.add(
                    NewMember(telegram_id=n, first_name="A" * 60), f"member{n}", NOW
                )
    assert await _members(store) == 0
    await conn.execute("PRAGMA max_page_count = 1073741823")
    await _add(store, 1)
    assert await _members(store) == 1
    await store.close()
