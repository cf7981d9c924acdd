"""Re-planning: what quiet hours or an unreachable member held is planned again as soon as
the member changes their settings or shows up; what is no longer true is not sent; an
InMail's sender is owed the news of its answer and of a refund."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import NotificationKind
from bridge.core.notify import PlanAction
from bridge.core.rules import RefundPolicy
from tests.conftest import MakeMember, connect


async def _deliver_all(core: Core) -> list[tuple[int, NotificationKind, PlanAction]]:
    """What the worker would do with everything due now (sending = completing)."""
    done = []
    for n in await core.outbox.due(500):
        plan = await core.outbox.plan(n)
        done.append((n.member_id, n.kind, plan.action))
        if plan.action == PlanAction.SEND:
            await core.outbox.complete(n.id, [], silent=plan.silent)
        elif plan.action == PlanAction.SKIP:
            await core.outbox.skip(n.id, plan.reason)
        elif plan.until is not None:
            await core.outbox.hold_for_quiet_hours(n.id, plan.until)
    return done


async def test_settings_changes_release_what_quiet_hours_held(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    clock.advance(datetime(2026, 3, 10, 9, 0, tzinfo=UTC) - clock.now())
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await _deliver_all(core)
    await core.preferences.set_quiet_hours(bob.id, "08:00-10:00")
    await core.messaging.send(alice.id, bob.id, "held")
    assert await _deliver_all(core) == [(bob.id, NotificationKind.MESSAGE, PlanAction.LATER)]
    await core.messaging.send(alice.id, bob.id, "behind it")
    assert await core.outbox.due() == []  # the held one keeps Bob's order
    await core.preferences.set_quiet_hours(bob.id, "off")
    assert [k for _, k, a in await _deliver_all(core) if a == PlanAction.SEND] == [
        NotificationKind.MESSAGE,
        NotificationKind.MESSAGE,
    ]


async def test_a_back_off_is_not_cut_short_by_a_sign_of_life(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await _deliver_all(core)
    await core.messaging.send(alice.id, bob.id, "rate limited")
    row = (await core.outbox.due())[0]
    await core.outbox.retry_later(row.id, timedelta(seconds=30), "429 retry_after")
    assert await core.outbox.member_active(await core.members.get(bob.id)) == 0
    assert await core.outbox.due() == []


async def test_a_sign_of_life_makes_an_unreachable_member_reachable(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await _deliver_all(core)
    await core.messaging.send(alice.id, bob.id, "while away")
    await core.outbox.member_unreachable(bob.id)
    assert await core.outbox.due() == []
    assert await core.outbox.member_active(await core.members.get(bob.id)) == 1
    assert (await core.members.get(bob.id)).reachable
    assert [n.kind for n in await core.outbox.due()] == [NotificationKind.MESSAGE]


async def test_quiet_hours_hold_everything_that_rings(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    clock.advance(datetime(2026, 3, 10, 9, 0, tzinfo=UTC) - clock.now())
    alice, bob = await member("Alice"), await member("Bob")
    await core.preferences.set_quiet_hours(alice.id, "08:00-10:00")
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    await core.invitations.accept(bob.id, outcome.invitation.id)
    done = await _deliver_all(core)
    assert (alice.id, NotificationKind.ACCEPTED, PlanAction.LATER) in done
    assert (bob.id, NotificationKind.INVITATION, PlanAction.SKIP) in done  # answered already


async def test_an_accepted_notice_is_dropped_once_the_connection_is_gone(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    outcome = await core.invitations.invite(alice.id, bob.id, None)
    await core.invitations.accept(bob.id, outcome.invitation.id)
    await core.network.remove_connection(bob.id, alice.id)
    done = await _deliver_all(core)
    assert (alice.id, NotificationKind.ACCEPTED, PlanAction.SKIP) in done


async def test_inmail_answers_and_refunds_are_owed_to_the_sender(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await core.credits.purchase(alice.id, 3, "test")
    answered = await core.credits.send_inmail(alice.id, bob.id, "Role", "Hello")
    await core.credits.send_inmail(alice.id, carol.id, "Other role", "Hello")
    await core.credits.respond(bob.id, answered.inmail.id, interested=False)
    owed = [(n.kind, n.payload) for n in await core.outbox.due() if n.member_id == alice.id]
    assert owed == [(NotificationKind.INMAIL_ANSWERED, {"status": "not_interested"})]
    clock.advance(timedelta(days=8))
    await core.credits.settle_expired()
    owed = [n.kind for n in await core.outbox.due() if n.member_id == alice.id]
    assert owed == [NotificationKind.INMAIL_ANSWERED, NotificationKind.CREDIT_REFUNDED]


async def test_a_refund_on_response_is_owed_too(core: Core, member: MakeMember) -> None:
    core.deps.rules.refund_policy = RefundPolicy.RESPONSE
    alice, bob = await member("Alice"), await member("Bob")
    await core.credits.purchase(alice.id, 1, "test")
    sent = await core.credits.send_inmail(alice.id, bob.id, "Role", "Hello")
    await core.credits.respond(bob.id, sent.inmail.id, interested=True)
    owed = [n.kind for n in await core.outbox.due() if n.member_id == alice.id]
    assert owed == [NotificationKind.INMAIL_ANSWERED, NotificationKind.CREDIT_REFUNDED]
    assert (await core.credits.account(alice.id)).balance == 1


async def test_a_row_read_in_the_same_batch_never_overtakes_one_put_off(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await _deliver_all(core)
    await core.messaging.send(alice.id, bob.id, "first")
    await core.messaging.send(alice.id, bob.id, "second")
    first, second = await core.outbox.due()
    await core.outbox.retry_later(first.id, timedelta(seconds=1), "chat busy")
    assert (await core.outbox.plan(second)).action == PlanAction.WAIT
