"""The outbox: every change a member must hear about is owed in the same transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import ChatCopy, NotificationKind
from bridge.core.notify import Plan, PlanAction
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
    await core.outbox.complete(
        row.id,
        [
            ChatCopy(
                message_id=sent.message.id,
                member_id=bob.id,
                chat_id=bob.telegram_id,
                telegram_message_id=77,
            )
        ],
    )
    assert row.id not in [n.id for n in await core.outbox.due()]
    found = await core.messaging.message_for_copy(bob.id, bob.telegram_id, 77)
    assert found is not None and found.id == sent.message.id


async def _plan_of(core: Core, member_id: int, kind: NotificationKind) -> Plan:
    [owed] = [n for n in await core.outbox.due(500) if n.member_id == member_id and n.kind == kind][
        -1:
    ]
    return await core.outbox.plan(owed)


async def _deliver_all(core: Core) -> None:
    for row in await core.outbox.due(500):
        await core.outbox.complete(row.id, [])


async def test_a_message_from_a_member_reported_as_spam_is_planned_skipped(
    core: Core, member: MakeMember
) -> None:
    """The core, not the renderer, decides: it waits in the inbox's spam, never pushed."""
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    first = await core.messaging.send(alice.id, bob.id, "buy now")
    await core.inbox.report_spam(bob.id, first.conversation.id)
    await core.messaging.send(alice.id, bob.id, "buy now, really")
    plan = await _plan_of(core, bob.id, NotificationKind.MESSAGE)
    assert (plan.action, plan.reason) == (PlanAction.SKIP, "spam")


async def test_a_message_in_history_the_recipient_deleted_is_planned_skipped(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    sent = await core.messaging.send(alice.id, bob.id, "hello")
    await core.inbox.delete(bob.id, sent.conversation.id)
    plan = await _plan_of(core, bob.id, NotificationKind.MESSAGE)
    assert (plan.action, plan.reason) == (PlanAction.SKIP, "deleted")


async def test_an_edit_or_a_reaction_with_nothing_in_the_chat_is_planned_skipped(
    core: Core, member: MakeMember
) -> None:
    """Nothing of the message was ever shown in the recipient's chat: nothing to change."""
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    sent = await core.messaging.send(alice.id, bob.id, "hello")
    await core.messaging.edit(alice.id, sent.message.id, "hello!")
    plan = await _plan_of(core, bob.id, NotificationKind.EDIT)
    assert (plan.action, plan.reason) == (PlanAction.SKIP, "nothing to edit")
    await core.messaging.react(bob.id, sent.message.id, "👍")
    plan = await _plan_of(core, alice.id, NotificationKind.REACTION)
    assert (plan.action, plan.reason) == (PlanAction.SKIP, "no copy to react on")

    await core.messaging.record_copies(
        [
            ChatCopy(
                message_id=sent.message.id,
                member_id=bob.id,
                chat_id=bob.telegram_id,
                telegram_message_id=5,
            )
        ]
    )
    await core.messaging.record_copies(
        [
            ChatCopy(
                message_id=sent.message.id,
                member_id=alice.id,
                chat_id=alice.telegram_id,
                telegram_message_id=4,
                is_original=True,
            )
        ]
    )
    assert (await _plan_of(core, bob.id, NotificationKind.EDIT)).action == PlanAction.SEND
    # A reaction shows on the author's own message.
    assert (await _plan_of(core, alice.id, NotificationKind.REACTION)).action == PlanAction.SEND


async def test_a_digest_read_before_it_goes_is_planned_skipped(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    sent = await core.messaging.send(alice.id, bob.id, "hello")
    await _deliver_all(core)
    await core.preferences.set_digest_time(bob.id, "00:00")
    assert await core.preferences.schedule_digests() == 1
    assert (await _plan_of(core, bob.id, NotificationKind.DIGEST)).action == PlanAction.SEND
    await core.inbox.mark_read(bob.id, sent.conversation.id)
    plan = await _plan_of(core, bob.id, NotificationKind.DIGEST)
    assert (plan.action, plan.reason) == (PlanAction.SKIP, "nothing unread")


async def test_inmail_news_shows_the_answer_and_the_balance_as_the_sender_may_see_them(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob", "Durand")
    await core.credits.purchase(alice.id, 2, "test")
    delivery = await core.credits.send_inmail(alice.id, bob.id, "Role", "A role for you")
    assert delivery.inmail is not None
    await core.credits.respond(bob.id, delivery.inmail.id, interested=True)
    [answered] = [
        n for n in await core.outbox.due(500) if n.kind == NotificationKind.INMAIL_ANSWERED
    ]
    news = await core.credits.news_for_sender(answered)
    assert news.sender.id == alice.id and news.status == "interested" and news.interested
    assert news.other.name == "Bob Durand"  # answering with interest shows who one is
    assert news.balance == 1 and news.answered
    with pytest.raises(errors.InMailNotFound):  # told to its sender only
        await core.credits.news_for_sender(answered.model_copy(update={"member_id": bob.id}))
