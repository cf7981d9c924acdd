"""Answering an invitation is one use case: by its id (its buttons) or by its other member
(the profile card, /accept @x), authorized against the actor, returning what their chat
shows — the outcome, the other member as they may see them, the messages to settle."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.models import Degree, InvitationStatus
from tests.conftest import MakeMember

ACCEPTED, DECLINED, WITHDRAWN = (
    InvitationStatus.ACCEPTED,
    InvitationStatus.DECLINED,
    InvitationStatus.WITHDRAWN,
)


async def test_accepting_by_id_connects_and_returns_the_messages_to_settle(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice", "Martin"), await member("Bob", "Durand")
    sent = (await core.invitations.invite(alice.id, bob.id, "Hello")).invitation
    await core.invitations.record_copies(sent.id, bob.id, [(bob.telegram_id, 11)])
    await core.invitations.record_copies(sent.id, alice.id, [(alice.telegram_id, 12)])
    answer = await core.invitations.answer(bob.id, ACCEPTED, sent.id)
    assert answer.result == ACCEPTED
    assert answer.item.invitation.status == ACCEPTED
    assert (answer.item.other.id, answer.item.other.name) == (alice.id, "Alice Martin")
    assert answer.item.other.degree == Degree.FIRST
    assert answer.copies == [(bob.telegram_id, 11)]  # Bob's messages, not Alice's
    assert core.network.degree(alice.id, bob.id) == Degree.FIRST
    # Accepting is acting in its thread: Bob's next unaddressed message goes to Alice.
    held = await core.messaging.hold_unaddressed(bob.id, "Thanks!")
    assert held is not None and held[1].id == alice.id


async def test_an_answer_is_authorized_against_the_actor(core: Core, member: MakeMember) -> None:
    alice, bob, eve = await member("Alice"), await member("Bob"), await member("Eve")
    sent = (await core.invitations.invite(alice.id, bob.id, None)).invitation
    with pytest.raises(errors.InvitationNotFound):  # not hers: it doesn't exist for her
        await core.invitations.answer(eve.id, ACCEPTED, sent.id)
    with pytest.raises(errors.InvitationNotFound):
        await core.invitations.answer(eve.id, WITHDRAWN, sent.id)
    with pytest.raises(errors.NotInvitationRecipient):  # the sender can't accept her own
        await core.invitations.answer(alice.id, ACCEPTED, sent.id)
    with pytest.raises(errors.InvitationNotFound):  # nor the recipient withdraw it
        await core.invitations.answer(bob.id, WITHDRAWN, sent.id)
    await core.invitations.answer(bob.id, DECLINED, sent.id)
    with pytest.raises(errors.InvitationNotPending):  # a second tap
        await core.invitations.answer(bob.id, ACCEPTED, sent.id)
    assert core.network.degree(alice.id, bob.id) != Degree.FIRST


async def test_answering_by_member_finds_the_invitation_each_way(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    sent = (await core.invitations.invite(alice.id, bob.id, None)).invitation
    with pytest.raises(errors.OwnInvitation):  # Alice's own: Bob has to answer it
        await core.invitations.answer(alice.id, ACCEPTED, other_id=bob.id)
    with pytest.raises(errors.InvitationNotFound):  # Bob sent none to withdraw
        await core.invitations.answer(bob.id, WITHDRAWN, other_id=alice.id)
    declined = await core.invitations.answer(bob.id, DECLINED, other_id=alice.id)
    assert declined.item.invitation.id == sent.id and declined.result == DECLINED
    # Declining is silent: to Alice it still looks pending, and she can withdraw it.
    withdrawn = await core.invitations.answer(alice.id, WITHDRAWN, other_id=bob.id)
    assert withdrawn.item.invitation.status == WITHDRAWN
    with pytest.raises(errors.InvitationNotFound):
        await core.invitations.answer(alice.id, WITHDRAWN, other_id=bob.id)


async def test_answer_takes_an_answer_and_one_way_to_name_the_invitation(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    sent = (await core.invitations.invite(alice.id, bob.id, None)).invitation
    with pytest.raises(ValueError):
        await core.invitations.answer(bob.id, InvitationStatus.PENDING, sent.id)
    with pytest.raises(ValueError):
        await core.invitations.answer(bob.id, ACCEPTED, sent.id, other_id=alice.id)
    with pytest.raises(ValueError):
        await core.invitations.answer(bob.id, ACCEPTED)


async def test_inviting_back_accepts_theirs_and_says_what_to_settle(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice", "Martin"), await member("Bob", "Durand")
    theirs = (await core.invitations.invite(bob.id, alice.id, None)).invitation
    await core.invitations.record_copies(theirs.id, alice.id, [(alice.telegram_id, 5)])
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    assert outcome.accepted_theirs and outcome.settled is not None
    assert outcome.settled.result == ACCEPTED and outcome.settled.copies == [(alice.telegram_id, 5)]
    assert outcome.settled.item.invitation.id == theirs.id
    assert (outcome.target.name, outcome.target.degree) == ("Bob Durand", Degree.FIRST)
    carol = await member("Carol", "Nguyen")
    fresh = await core.invitations.invite(alice.id, carol.id, None)
    assert fresh.settled is None and not fresh.accepted_theirs
    # Whom one invites stays masked by degree: Carol is out of Alice's network.
    assert not fresh.target.named and fresh.target.handle is None


async def test_checking_an_invitation_returns_the_target_as_seen(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob", "Durand")
    target = await core.invitations.check(alice.id, bob.id)
    assert target.id == bob.id and not target.named  # out of network: masked
    await core.invitations.invite(alice.id, bob.id, None)
    with pytest.raises(errors.InvitationAlreadyPending):
        await core.invitations.check(alice.id, bob.id)
    assert (await core.invitations.check(bob.id, alice.id)).id == alice.id  # accepting works
