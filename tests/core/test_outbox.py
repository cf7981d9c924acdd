"""The outbox: every change a member must hear about is owed in the same transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import ChatCopy, NotificationKind
from tests.conftest import MakeMember, connect


async def _owed(core: Core, member_id: int) -> list[tuple[NotificationKind, int | None]]:
    return [(n.kind, n.ref_id) for n in await core.outbox.due(500) if n.member_id == member_id]


async def test_invitation_acceptance_and_messages_are_owed_in_order(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, "Hello from Alice")
    invitation_id = outcome.invitation.id
    # The note travels with the invitation: no separate message notification.
    assert await _owed(core, bob.id) == [(NotificationKind.INVITATION, invitation_id)]
    await core.invitations.accept(bob.id, invitation_id)
    assert await _owed(core, alice.id) == [(NotificationKind.ACCEPTED, invitation_id)]
    first = await core.messaging.send(alice.id, bob.id, "one")
    second = await core.messaging.send(alice.id, bob.id, "two")
    await core.messaging.edit(alice.id, first.message.id, "one (edited)")
    await core.messaging.react(bob.id, second.message.id, "👍")
    assert await _owed(core, bob.id) == [
        (NotificationKind.INVITATION, invitation_id),
        (NotificationKind.MESSAGE, first.message.id),
        (NotificationKind.MESSAGE, second.message.id),
        (NotificationKind.EDIT, first.message.id),
    ]
    assert (NotificationKind.REACTION, second.message.id) in await _owed(core, alice.id)


async def test_a_refused_change_owes_nothing(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    with pytest.raises(errors.NotConnected):
        await core.messaging.send(alice.id, bob.id, "hi")
    assert await core.outbox.due() == []


async def test_a_postponed_row_holds_back_later_rows_of_the_same_member_only(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await connect(core, alice, bob)
    await connect(core, alice, carol)
    for row in await core.outbox.due():
        await core.outbox.complete(row.id, [])
    m1 = await core.messaging.send(alice.id, bob.id, "first")
    await core.messaging.send(alice.id, bob.id, "second")
    m3 = await core.messaging.send(alice.id, carol.id, "to carol")
    first_row = (await core.outbox.due())[0]
    assert first_row.ref_id == m1.message.id
    await core.outbox.retry_later(first_row.id, timedelta(seconds=5), "429")
    # Bob's second message must not overtake his first; Carol is not held back.
    assert [n.ref_id for n in await core.outbox.due()] == [m3.message.id]
    clock.advance(timedelta(seconds=6))
    assert [n.ref_id for n in await core.outbox.due()][:2] == [m1.message.id, m1.message.id + 1]


async def test_unreachable_member_is_held_then_resumed(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await core.messaging.send(alice.id, bob.id, "while you're away")
    assert await core.outbox.member_unreachable(bob.id) >= 1
    assert not (await core.members.get(bob.id)).reachable
    assert await _owed(core, bob.id) == []
    await core.outbox.member_back(bob.id)
    assert (await core.members.get(bob.id)).reachable
    kinds = [k for k, _ in await _owed(core, bob.id)]
    assert kinds == [NotificationKind.INVITATION, NotificationKind.MESSAGE]


async def test_what_an_unreachable_member_is_owed_later_is_planned_as_held(
    core: Core, member: MakeMember
) -> None:
    """A member with no chat (a seeded demo member) or who blocked the bot: new rows are held,
    not sent to fail."""
    from bridge.core.notify import PlanAction

    alice, bob = await member("Alice"), await member("Bob")
    await core.members.set_reachable(bob.id, False)
    await core.invitations.invite(alice.id, bob.id, None)
    [owed] = [n for n in await core.outbox.due(10) if n.member_id == bob.id]
    assert (await core.outbox.plan(owed)).action == PlanAction.HOLD


async def test_completing_records_the_copy_map(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    sent = await core.messaging.send(alice.id, bob.id, "hi")
    row = [n for n in await core.outbox.due() if n.ref_id == sent.message.id][0]
    await core.outbox.complete(row.id, [ChatCopy(message_id=sent.message.id, member_id=bob.id,
                                                 chat_id=bob.telegram_id, telegram_message_id=77)])
    assert row.id not in [n.id for n in await core.outbox.due()]
    found = await core.messaging.message_for_copy(bob.id, bob.telegram_id, 77)
    assert found is not None and found.id == sent.message.id
