"""/delete_account: the member is erased in one transaction; others keep their threads, with
a "Former member"; nothing reaches the member afterwards; the Telegram account may join anew."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.inbox import CardAction
from bridge.core.models import InvitationStatus, NewMember, NotificationKind
from bridge.core.notify import PlanAction
from tests.conftest import MakeMember, connect


async def test_leaving_erases_the_member_and_keeps_others_threads(
    core: Core, member: MakeMember
) -> None:
    alice = await member("Alice", "Martin", username="alice_tg", telegram_id=4242)
    bob, carol, dave = await member("Bob"), await member("Carol"), await member("Dave")
    await core.members.edit_profile(alice.id, "headline", "Head of Talent")
    await connect(core, alice, bob)
    await core.messaging.send(alice.id, bob.id, "Hello Bob")
    sent = await core.invitations.invite(alice.id, carol.id, None)
    received = await core.invitations.invite(dave.id, alice.id, None)
    await core.messaging.send(bob.id, alice.id, "Owed to Alice")  # still in her outbox
    await core.undo.set_seconds(alice.id, 30)
    await core.undo.send(alice.id, bob.id, "Held in my undo window")

    assert await core.leaving.leave(alice.id) == 1

    gone = await core.members.get(alice.id)
    assert gone.left_at is not None
    assert (gone.first_name, gone.headline, gone.username) == ("", "", None)
    assert gone.telegram_id != 4242 and "alice" not in gone.handle
    with pytest.raises(errors.MemberNotFound):
        await core.members.resolve("@alice")
    assert (await core.network.find(bob.id, "alice")).results == []
    assert not core.deps.graph.distance(bob.id, alice.id) == 1
    assert (await core.invitations.get_for(carol.id, sent.invitation.id)).status == (
        InvitationStatus.WITHDRAWN
    )
    assert (await core.invitations.get_for(dave.id, received.invitation.id)).status == (
        InvitationStatus.EXPIRED
    )
    # Bob's thread keeps Alice's message, from a former member; he can't write there now
    conversation_id = await core.inbox.conversation_with(bob.id, alice.id)
    card = (await core.inbox.act(bob.id, conversation_id, CardAction.SHOW)).view
    assert [m.text for m in card.messages] == ["Hello Bob", "Owed to Alice"]
    assert card.other.former and not card.other.named and card.other.handle is None
    assert not card.can_send
    with pytest.raises(errors.MemberLeft):
        await core.messaging.open(bob.id, alice.id)
    with pytest.raises(errors.MemberLeft):
        await core.messaging.send(bob.id, alice.id, "Are you there?")
    with pytest.raises(errors.MemberLeft):
        await core.invitations.invite(carol.id, alice.id, None)
    # what the outbox still owed her is skipped, never sent
    owed = [n for n in await core.outbox.due(50) if n.member_id == alice.id]
    assert NotificationKind.MESSAGE in {n.kind for n in owed}
    plan = await core.outbox.plan(owed[0])
    assert (plan.action, plan.reason) == (PlanAction.SKIP, "member left")

    # what she held in her undo window never leaves
    core.deps.clock.advance(timedelta(seconds=31))  # type: ignore[attr-defined]
    assert await core.undo.release_due() == []

    # the same Telegram account may join again: a new member
    again, created = await core.members.register(
        NewMember(telegram_id=4242, first_name="Alice", last_name="Martin")
    )
    assert created and again.id != alice.id and again.handle == "alice"
