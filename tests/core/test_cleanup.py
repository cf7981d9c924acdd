"""Bulk actions: counted first (the question), then done in one transaction on what is due
when confirmed; a second confirmation finds nothing left; bad days change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.cleanup import BulkAction
from bridge.core.clock import FakeClock
from bridge.core.models import InboxFilter, InvitationStatus
from tests.conftest import MakeMember, connect


async def test_archive_quiet_conversations_only(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob, carol, dave = [await member(n) for n in ("Alice", "Bob", "Carol", "Dave")]
    for other in (bob, carol, dave):
        await connect(core, alice, other)
    await core.messaging.send(bob.id, alice.id, "old news")
    await core.messaging.send(alice.id, carol.id, "old too")
    clock.advance(timedelta(days=40))
    await core.messaging.send(dave.id, alice.id, "fresh")

    asked = await core.cleanup.preview(alice.id, BulkAction.ARCHIVE_QUIET, 30)
    assert asked.count == 2
    done = await core.cleanup.apply(alice.id, BulkAction.ARCHIVE_QUIET, 30)
    assert done.count == 2
    archived = await core.inbox.page(alice.id, InboxFilter.ARCHIVED, None, 10)
    assert {e.other.id for e in archived.entries} == {bob.id, carol.id}
    assert (await core.cleanup.apply(alice.id, BulkAction.ARCHIVE_QUIET, 30)).count == 0
    # Bob's side is his own: nothing archived for him
    assert (await core.cleanup.preview(bob.id, BulkAction.ARCHIVE_QUIET, 30)).count == 1
    # a new message brings an archived conversation back
    await core.messaging.send(bob.id, alice.id, "still there?")
    inbox = await core.inbox.page(alice.id, InboxFilter.ALL, None, 10)
    assert bob.id in {e.other.id for e in inbox.entries}


async def test_withdraw_old_invitations_pending_to_their_sender(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob, carol, dave = [await member(n) for n in ("Alice", "Bob", "Carol", "Dave")]
    old = await core.invitations.invite(alice.id, bob.id, None)
    declined = await core.invitations.invite(alice.id, carol.id, None)
    await core.invitations.decline(carol.id, declined.invitation.id)  # still "pending" to Alice
    clock.advance(timedelta(days=45))
    recent = await core.invitations.invite(alice.id, dave.id, None)
    assert (await core.cleanup.preview(alice.id, BulkAction.WITHDRAW_OLD, 30)).count == 2
    assert (await core.cleanup.apply(alice.id, BulkAction.WITHDRAW_OLD, 30)).count == 2
    assert (await core.invitations.get_for(alice.id, old.invitation.id)).status == (
        InvitationStatus.WITHDRAWN
    )
    assert (await core.invitations.get_for(alice.id, recent.invitation.id)).status == (
        InvitationStatus.PENDING
    )
    assert (await core.cleanup.apply(alice.id, BulkAction.WITHDRAW_OLD, 30)).count == 0
    # Bob can't accept a withdrawn invitation
    with pytest.raises(errors.InvitationNotPending):
        await core.invitations.accept(bob.id, old.invitation.id)


async def test_read_everything(core: Core, member: MakeMember) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await connect(core, alice, bob)
    await connect(core, alice, carol)
    for sender, text in ((bob, "one"), (bob, "two"), (carol, "three")):
        await core.messaging.send(sender.id, alice.id, text)
    asked = await core.cleanup.preview(alice.id, BulkAction.READ_ALL)
    assert (asked.count, asked.people) == (3, 2)
    assert (await core.cleanup.apply(alice.id, BulkAction.READ_ALL)).count == 2
    assert (await core.inbox.unread_summary(alice.id)).messages == 0


@pytest.mark.parametrize("days", [0, -1, 3651])
async def test_days_out_of_range_change_nothing(core: Core, member: MakeMember, days: int) -> None:
    alice = await member("Alice")
    for action in BulkAction:
        with pytest.raises(errors.InvalidDays):
            await core.cleanup.apply(alice.id, action, days)
