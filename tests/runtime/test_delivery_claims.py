"""The delivery worker's claims: a notification claimed while its member's previous send is
still finishing in this worker waits in the worker, still claimed, and starts as soon as
that send ends (neither given back and claimed again — two more commits — nor left
claimed until its lease ends, which held it back a minute); the worker gives back
everything when it stops."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest

from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import NotificationKind, NotificationStatus
from bridge.core.outbox import Completion
from bridge.runtime.delivery import DeliveryWorker
from bridge.runtime.notifications import Notifier
from tests.conftest import MakeMember


async def test_a_claim_for_a_member_still_sending_waits_for_that_send(
    core: Core, member: MakeMember
) -> None:
    ann = await member("Ann")
    async with core.deps.store.transaction() as tx:
        first = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 1, {}, core.now())
        second = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 2, {}, core.now())
    worker = DeliveryWorker(core, cast(Notifier, None), name="w1")
    claimed = await core.outbox.claim("w1", 8, timedelta(seconds=60))
    assert [n.id for n in claimed] == [first]
    async with core.deps.store.transaction() as tx:  # the first was sent; its task is ending
        await tx.outbox.set_status(first, NotificationStatus.SENT, core.now())
    worker._sending_ids[ann.id] = first
    worker._sending[ann.id] = cast(Any, None)
    again = await core.outbox.claim("w1", 8, timedelta(seconds=60))
    assert [n.id for n in again] == [second]
    assert await worker._dispatch(again) == 0  # not started: it waits here, still ours
    assert await core.outbox.claim("w2", 8, timedelta(seconds=60)) == []
    assert worker._unpark() == []  # the first's task is still ending
    del worker._sending[ann.id], worker._sending_ids[ann.id]  # it ended
    assert [n.id for n in worker._unpark()] == [second]  # started at the loop's next turn
    assert worker._unpark() == []
    assert await core.outbox.release_worker("w1") == 1  # a stop gives it back


async def test_recording_a_send_claims_the_members_next_or_makes_it_wait_for_the_chat(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    """The commit recording Ann's send also claims her next notification for the worker
    (no claim of its own between two of her sends); when her chat must wait, her next one
    is due only then, so that Bob's, due earlier, is claimed first."""
    ann, bob = await member("Ann"), await member("Bob")
    async with core.deps.store.transaction() as tx:
        first = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 1, {}, core.now())
        second = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 2, {}, core.now())
        third = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 3, {}, core.now())
        bobs = await tx.outbox.add(bob.id, NotificationKind.MESSAGE, 4, {}, core.now())
    lease = timedelta(seconds=60)
    assert [n.id for n in await core.outbox.claim("w1", 1, lease)] == [first]
    sent = Completion(first, [], member_id=ann.id)
    following = await core.outbox.complete_many([sent], "w1", lease)
    assert [n.id for n in following] == [second]  # claimed for w1 with the record
    assert [n.id for n in await core.outbox.claim("w2", 8, lease)] == [bobs]  # not Ann's
    paced = Completion(second, [], member_id=ann.id, pace=timedelta(seconds=1))
    assert await core.outbox.complete_many([paced], "w1", lease) == []
    assert await core.outbox.claim("w3", 8, lease) == []  # her third: in a second
    assert await core.outbox.release_worker("w2") == 1
    clock.advance(timedelta(seconds=2))
    # Bob's (due since the start) before Ann's third (due a second after her last send)
    assert [n.id for n in await core.outbox.claim("w3", 1, lease)] == [bobs]
    assert [n.id for n in await core.outbox.claim("w3", 1, lease)] == [third]


async def test_unstarted_claims_are_given_back_in_one_transaction(
    core: Core, member: MakeMember, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker stopping (or the database in trouble) with several claims in hand gives them
    all back with one statement, not one transaction per claim."""
    members = [await member(name) for name in ("Ann", "Bob", "Cleo")]
    async with core.deps.store.transaction() as tx:
        ids = [
            await tx.outbox.add(m.id, NotificationKind.MESSAGE, i, {}, core.now())
            for i, m in enumerate(members)
        ]
    worker = DeliveryWorker(core, cast(Notifier, None), name="w1")
    claimed = await core.outbox.claim("w1", 8, timedelta(seconds=60))
    assert sorted(n.id for n in claimed) == sorted(ids)
    store = core.deps.store
    opened = 0
    claiming = store.claiming

    def counted() -> Any:
        nonlocal opened
        opened += 1
        return claiming()

    monkeypatch.setattr(store, "claiming", counted)
    worker._stopping = True
    assert await worker._dispatch(claimed) == 0
    assert opened == 1
    again = await core.outbox.claim("w2", 8, timedelta(seconds=60))
    assert sorted(n.id for n in again) == sorted(ids)


async def test_giving_back_touches_only_this_workers_claims(core: Core, member: MakeMember) -> None:
    ann, bob = await member("Ann"), await member("Bob")
    async with core.deps.store.transaction() as tx:
        a = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 1, {}, core.now())
        b = await tx.outbox.add(bob.id, NotificationKind.MESSAGE, 2, {}, core.now())
    assert [n.id for n in await core.outbox.claim("w1", 1, timedelta(seconds=60))] == [a]
    assert [n.id for n in await core.outbox.claim("w2", 1, timedelta(seconds=60))] == [b]
    await core.outbox.release([a, b], "w1")  # b is w2's: it stays claimed
    assert [n.id for n in await core.outbox.claim("w3", 8, timedelta(seconds=60))] == [a]
    await core.outbox.release([], "w3")  # nothing to give back: nothing happens
