"""Invitations without a note, on every storage backend: an automatic reply from the invitee
asking why (the invitation stays pending, the inviter can answer in its thread), and members
who accept invitations with a note only (refused before anything is sent)."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.members import AUTO_REPLY_MAX
from bridge.core.models import InvitationStatus, NotificationKind
from tests.conftest import MakeMember

WHY = "Thanks! Why would you like to connect?"


async def test_an_invitation_without_a_note_gets_the_automatic_reply(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await core.members.set_auto_reply(bob.id, True, WHY)
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    assert outcome.invitation.status == InvitationStatus.PENDING
    thread = await core.messaging.conversation(alice.id, bob.id)
    assert [(m.sender_id, m.text) for m in thread.messages] == [(bob.id, WHY)]
    owed = [(n.member_id, n.kind) for n in await core.outbox.due(100)]
    assert (alice.id, NotificationKind.MESSAGE) in owed
    assert (bob.id, NotificationKind.INVITATION) in owed
    # The inviter answers in the thread; it reaches Bob, the invitation still pending.
    delivery = await core.messaging.send(alice.id, bob.id, "We met at VivaTech!")
    assert delivery.recipient.id == bob.id
    assert [i.invitation.status for i in await core.invitations.received(bob.id)] == [
        InvitationStatus.PENDING
    ]


async def test_no_automatic_reply_to_a_note_or_when_off(core: Core, member: MakeMember) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await core.members.set_auto_reply(bob.id, True, WHY)
    await core.invitations.invite(alice.id, bob.id, "We met at VivaTech")
    thread = await core.messaging.conversation(alice.id, bob.id)
    assert [m.sender_id for m in thread.messages] == [alice.id]  # the note only
    await core.members.set_auto_reply(bob.id, False)
    await core.invitations.invite(carol.id, bob.id, None)
    assert (await core.messaging.conversation(carol.id, bob.id)).messages == []
    on_again = await core.members.set_auto_reply(bob.id, True)
    assert (on_again.auto_reply_on, on_again.auto_reply) == (True, WHY)  # the text was kept


async def test_the_automatic_reply_text_is_checked(core: Core, member: MakeMember) -> None:
    bob = await member("Bob")
    with pytest.raises(errors.EmptyMessage):
        await core.members.set_auto_reply(bob.id, True, "  ")
    with pytest.raises(errors.MessageTooLong):
        await core.members.set_auto_reply(bob.id, True, "x" * (AUTO_REPLY_MAX + 1))
    assert not (await core.members.get(bob.id)).auto_reply_on


async def test_a_member_can_require_a_note(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await core.members.set_require_note(bob.id, True)
    assert await core.invitations.note_required(bob.id)
    with pytest.raises(errors.NoteRequired):
        await core.invitations.invite(alice.id, bob.id, None)
    with pytest.raises(errors.NoteRequired):
        await core.invitations.invite(alice.id, bob.id, "   ")
    assert await core.invitations.received(bob.id) == []
    assert [n for n in await core.outbox.due(100) if n.member_id == bob.id] == []
    await core.invitations.invite(alice.id, bob.id, "Hi Bob, we met at VivaTech")
    assert len(await core.invitations.received(bob.id)) == 1


async def test_inviting_back_needs_no_note(core: Core, member: MakeMember) -> None:
    """Who requires a note can still accept by inviting back, note or not."""
    alice, bob = await member("Alice"), await member("Bob")
    await core.members.set_require_note(alice.id, True)
    await core.invitations.invite(alice.id, bob.id, "Hello Bob")
    outcome = await core.invitations.invite(bob.id, alice.id, None)
    assert outcome.accepted_theirs
