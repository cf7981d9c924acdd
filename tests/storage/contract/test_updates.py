"""Telegram updates handled once, through the port: records keyed by id and content, the
effect and its record committed together (`bridge/storage/once.py`), unreadable updates
kept for the admins."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core.models import NewMember, NotificationKind
from bridge.storage import once
from bridge.storage.port import AlreadyApplied, Store
from tests.storage.contract.population import LATER, NOW


async def _members(store: Store) -> int:
    async with store.read() as tx:
        return await tx.members.count()


async def _add(store: Store, telegram_id: int) -> None:
    async with store.transaction() as tx:
        await tx.members.add(
            NewMember(telegram_id=telegram_id, first_name="Ann"), f"ann{telegram_id}", NOW
        )


async def test_an_update_is_recorded_once_by_id_and_content(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.updates.seen("bot:7:abc") is False
        assert await tx.updates.mark("bot:7:abc", 7, NOW) is True
        assert await tx.updates.mark("bot:7:abc", 7, NOW) is False
        assert await tx.updates.mark("bot:7:other", 7, LATER) is True  # same id, new content
        assert await tx.updates.seen("bot:7:abc") is True


async def test_old_records_are_pruned(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.updates.mark("old", 1, NOW)
        await tx.updates.mark("new", 2, LATER)
        assert await tx.updates.prune(NOW + timedelta(seconds=1)) == 1
        assert (await tx.updates.seen("old"), await tx.updates.seen("new")) == (False, True)


async def test_an_unreadable_update_is_kept_once_newest_first(store: Store) -> None:
    async with store.transaction() as tx:
        assert await tx.updates.add_unreadable("k1", 1, '{"update_id": 1}', "bad", NOW)
        assert not await tx.updates.add_unreadable("k1", 1, '{"update_id": 1}', "bad", LATER)
        assert await tx.updates.add_unreadable("k2", 2, '{"update_id": 2}', "worse", LATER)
        kept = await tx.updates.unreadable(10)
        assert [(u.update_id, u.payload, u.error, u.received_at) for u in kept] == [
            (2, '{"update_id": 2}', "worse", LATER),
            (1, '{"update_id": 1}', "bad", NOW),
        ]
        assert len(await tx.updates.unreadable(1)) == 1


async def test_an_updates_effect_commits_with_its_record_and_never_twice(store: Store) -> None:
    with once.processing("bot:7:abc", 7, NOW) as scope:
        await _add(store, 1)
        assert scope.recorded
        await _add(store, 2)  # a later write of the same attempt just commits
    async with store.read() as tx:
        assert await tx.updates.seen("bot:7:abc")
    with once.processing("bot:7:abc", 7, NOW), pytest.raises(AlreadyApplied):
        await _add(store, 3)  # the update redelivered after a crash: rolled back
    assert await _members(store) == 2


async def test_reads_and_idempotent_writes_do_not_take_an_updates_record(store: Store) -> None:
    with once.processing("bot:8:abc", 8, NOW) as scope:
        async with store.transaction() as tx:  # a transaction that changes nothing
            await tx.members.count()
        async with store.read() as tx:
            await tx.members.count()
        with once.unrecorded():
            await _add(store, 1)
        assert not scope.recorded
        async with store.read() as tx:
            assert not await tx.updates.seen("bot:8:abc")
        await _add(store, 2)  # the handler's effect
        assert scope.recorded
    assert await _members(store) == 2


async def test_an_arrival_reads_the_record_the_member_and_what_waits_for_them(
    store: Store,
) -> None:
    await _add(store, 501)
    async with store.read() as tx:
        unknown = await tx.updates.arrival("bot:9:abc", 999, NOW, "quiet hours")
        assert tuple(unknown) == (False, None, False)
        anonymous = await tx.updates.arrival("bot:9:abc", None, NOW, "quiet hours")
        assert tuple(anonymous) == (False, None, False)
        known = await tx.updates.arrival("bot:9:abc", 501, NOW, "quiet hours")
        assert known.member == await tx.members.by_telegram_id(501)
        assert (known.seen, known.waiting) == (False, False)
    assert known.member is not None
    async with store.transaction() as tx:
        await tx.updates.mark("bot:9:abc", 9, NOW)
        await tx.outbox.add(known.member.id, NotificationKind.MESSAGE, 1, {}, NOW)
    async with store.read() as tx:  # pending now: not waiting (nothing held)
        again = await tx.updates.arrival("bot:9:abc", 501, NOW, "quiet hours")
        assert (again.seen, again.waiting) == (True, False)
    async with store.transaction() as tx:
        await tx.outbox.hold_member(known.member.id)
    async with store.read() as tx:
        held = await tx.updates.arrival("bot:9:other", 501, NOW, "quiet hours")
        assert (held.seen, held.waiting) == (False, True)
        assert held.waiting == await tx.outbox.waiting(known.member.id, NOW, "quiet hours")
