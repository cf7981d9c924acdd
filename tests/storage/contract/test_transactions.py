"""What every backend's transactions promise the core: all or nothing, refused changes
named as such, committed changes visible to readers, and write transactions serialized so
that a counter read, changed and saved back is never lost to a concurrent one."""

from __future__ import annotations

import asyncio

import pytest

from bridge.core.models import NewMember
from bridge.storage.port import ConstraintViolation, Store
from tests.storage.contract.population import NOW, add_members, conversation


async def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.members.add(NewMember(telegram_id=1, first_name="Ann"), "ann", NOW)
            raise RuntimeError("the use case failed after writing")
    async with store.read() as tx:
        assert await tx.members.count() == 0


async def test_a_refused_change_is_a_constraint_violation_and_undoes_the_whole_transaction(
    store: Store,
) -> None:
    await add_members(store, "Ann")
    with pytest.raises(ConstraintViolation):
        async with store.transaction() as tx:
            await tx.members.add(NewMember(telegram_id=900, first_name="Bob"), "bob", NOW)
            await tx.members.add(NewMember(telegram_id=901, first_name="Ann"), "ann", NOW)
    async with store.read() as tx:
        assert await tx.members.count() == 1
        assert await tx.members.by_handle("bob") is None


async def test_readers_see_what_was_committed(store: Store) -> None:
    (ann,) = await add_members(store, "Ann")
    async with store.transaction() as tx:
        ann.headline = "Engineer"
        await tx.members.save(ann)
    async with store.read() as tx:
        found = await tx.members.get(ann.id)
    assert found is not None and found.headline == "Engineer"


async def test_concurrent_read_modify_write_transactions_lose_no_update(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)

    async def one_more_unread() -> None:
        async with store.transaction() as tx:
            state = await tx.conversations.state(chat.id, bob.id)
            await asyncio.sleep(0)  # where another transaction would interleave, if it could
            state.unread_count += 1
            await tx.conversations.save_state(state)

    async def one_more_renewal() -> None:
        async with store.transaction() as tx:
            member = await tx.members.get(ann.id)
            assert member is not None
            await asyncio.sleep(0)
            member.renewals_done += 1
            await tx.members.save(member)

    await asyncio.gather(
        *(one_more_unread() for _ in range(20)), *(one_more_renewal() for _ in range(20))
    )
    async with store.read() as tx:
        assert (await tx.conversations.state(chat.id, bob.id)).unread_count == 20
        member = await tx.members.get(ann.id)
        assert member is not None and member.renewals_done == 20


async def test_an_unread_increment_counts_what_another_transaction_counted(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    async with store.read() as tx:
        stale = await tx.conversations.state(chat.id, bob.id)  # read by two workers at once
    for _ in range(2):
        async with store.transaction() as tx:
            await tx.conversations.save_state(stale.model_copy(), unread_delta=1)
    async with store.transaction() as tx:
        mine = stale.model_copy()
        await tx.conversations.save_state(mine, unread_delta=1)
    assert mine.unread_count == 3
    async with store.read() as tx:
        assert (await tx.conversations.state(chat.id, bob.id)).unread_count == 3


async def test_a_one_statement_read_sees_what_was_committed_and_refuses_a_second(
    store: Store,
) -> None:
    (ann,) = await add_members(store, "Ann")
    async with store.transaction() as tx:
        ann.headline = "Engineer"
        await tx.members.save(ann)
    async with store.read_statement() as tx:
        found = await tx.members.get(ann.id)
    assert found is not None and found.headline == "Engineer"
    # A second statement would see another snapshot: a programming error, said at once.
    with pytest.raises(RuntimeError, match="second statement"):
        async with store.read_statement() as tx:
            await tx.members.get(ann.id)
            await tx.members.count()
    async with store.read_statement() as tx:  # the connection is back, usable
        assert await tx.members.count() == 1
