"""The undo window: a held message is seen by nobody until its window ends; Undo within it
and it never existed; the release posts it once; bad settings change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Delivery
from bridge.core.undo_window import Queued
from tests.conftest import MakeMember, connect


async def test_held_until_the_window_ends_then_posted_once(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await core.undo.set_seconds(alice.id, 10)
    held = await core.undo.send(alice.id, bob.id, "Hold on", origin=(1, 99))
    assert isinstance(held, Queued) and held.recipient.id == bob.id
    # nobody else sees it: no unread, nothing in Bob's search, nothing owed to him
    assert (await core.inbox.unread_summary(bob.id)).messages == 0
    assert (await core.message_search.search(bob.id, "hold")).hits == []
    assert await core.undo.release_due() == []  # not due yet

    clock.advance(timedelta(seconds=11))
    [released] = await core.undo.release_due()
    assert released.delivery is not None and released.delivery.message.text == "Hold on"
    assert await core.undo.release_due() == []  # once
    assert (await core.inbox.unread_summary(bob.id)).messages == 1
    # the sender's own Telegram message is mapped to it (replies, edits, reactions)
    assert await core.messaging.message_for_copy(alice.id, 1, 99) is not None
    with pytest.raises(errors.UndoTooLate):
        await core.undo.undo(alice.id, held.outgoing.id)


async def test_undo_within_the_window_leaves_nothing(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await core.undo.set_seconds(alice.id, 5)
    held = await core.undo.send(alice.id, bob.id, "Oops")
    assert isinstance(held, Queued)
    with pytest.raises(errors.UndoTooLate):  # only its sender may undo it
        await core.undo.undo(bob.id, held.outgoing.id)
    await core.undo.undo(alice.id, held.outgoing.id)
    clock.advance(timedelta(seconds=6))
    assert await core.undo.release_due() == []
    assert (await core.inbox.unread_summary(bob.id)).messages == 0


async def test_checks_come_first_and_what_changed_meanwhile_refuses(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await connect(core, alice, bob)
    await core.undo.set_seconds(alice.id, 5)
    with pytest.raises(errors.NotConnected):  # refused at once, nothing held
        await core.undo.send(alice.id, carol.id, "Hi")
    with pytest.raises(errors.EmptyMessage):
        await core.undo.send(alice.id, bob.id, "  ")
    await core.undo.send(alice.id, bob.id, "Before the block")
    await core.members.block(bob.id, alice.id)
    clock.advance(timedelta(seconds=6))
    [released] = await core.undo.release_due()
    assert released.delivery is None and released.refused == "they_blocked_you"
    assert await core.undo.release_due() == []


async def test_off_by_default_and_bounded(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    assert isinstance(await core.undo.send(alice.id, bob.id, "now"), Delivery)
    for bad in (-1, 31):
        with pytest.raises(errors.InvalidSetting):
            await core.undo.set_seconds(alice.id, bad)
    assert (await core.members.get(alice.id)).undo_seconds == 0
