"""Pending invitations expire after `Rules.invitation_expiry` (six months by default), once,
whoever asks; the recipient can no longer accept; the sender reads it in their digest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import InvitationStatus
from tests.conftest import MakeMember


async def test_old_pending_invitations_expire_once_and_the_sender_is_told(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob, carol, dave = [await member(n) for n in ("Alice", "Bob", "Carol", "Dave")]
    old = await core.invitations.invite(alice.id, bob.id, "Hi Bob")
    answered = await core.invitations.invite(alice.id, carol.id, None)
    await core.invitations.accept(carol.id, answered.invitation.id)
    clock.advance(timedelta(days=100))
    recent = await core.invitations.invite(alice.id, dave.id, None)
    clock.advance(timedelta(days=84))  # the first one is 184 days old, the last 84

    assert await core.invitations.expire_due() == 1
    assert await core.invitations.expire_due() == 0  # once
    assert (await core.invitations.get_for(alice.id, old.invitation.id)).status == (
        InvitationStatus.EXPIRED
    )
    assert (await core.invitations.get_for(alice.id, recent.invitation.id)).status == (
        InvitationStatus.PENDING
    )
    with pytest.raises(errors.InvitationNotPending) as refused:
        await core.invitations.accept(bob.id, old.invitation.id)
    assert refused.value.params == {"status": "expired"}

    digest = await core.inbox.digest(alice.id)
    assert digest.expired == 1 and not digest.empty
    clock.advance(timedelta(days=8))  # told for a week
    assert (await core.inbox.digest(alice.id)).expired == 0
    # and Alice may invite Bob again
    again = await core.invitations.invite(alice.id, bob.id, None)
    assert again.invitation.status == InvitationStatus.PENDING


async def test_expiry_works_in_batches(core: Core, member: MakeMember, clock: FakeClock) -> None:
    alice = await member("Alice")
    for n in range(5):
        await core.invitations.invite(alice.id, (await member(f"M{n}x")).id, None)
    clock.advance(timedelta(days=200))
    assert await core.invitations.expire_due(batch=2) == 5
