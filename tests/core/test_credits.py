from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import (
    InboxFilter,
    InMailStatus,
    LedgerKind,
    Member,
    MessageKind,
    RefundState,
)
from bridge.core.rules import RefundPolicy, Rules
from tests.conftest import ADMIN_TELEGRAM_ID, MakeMember, connect


async def _admin(member: MakeMember) -> Member:
    return await member("Admin", telegram_id=ADMIN_TELEGRAM_ID)


async def _ledger_sum(core: Core, member_id: int) -> int:
    async with core.deps.store.transaction() as tx:
        return await tx.ledger.balance_sum(member_id)


async def test_plan_grants_allowance_and_renews_monthly_with_rollover_cap(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    admin, alice = await _admin(member), await member("Alice")
    await core.credits.set_plan(admin, alice.id, "premium_career")
    account = await core.credits.account(alice.id)
    assert (account.plan, account.balance, account.allowance, account.cap) == (
        "premium_career",
        5,
        5,
        15,
    )
    assert account.renews_at == clock.now().replace(month=clock.now().month + 1)
    clock.advance(timedelta(days=31))
    assert (await core.credits.account(alice.id)).balance == 10
    clock.advance(timedelta(days=31 * 5))
    account = await core.credits.account(alice.id)
    assert account.balance == 15  # three months' allowance at most
    assert account.balance == await _ledger_sum(core, alice.id)


async def test_free_plan_has_no_renewal(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    account = await core.credits.account(alice.id)
    assert (account.balance, account.renews_at) == (0, None)


async def test_only_admins_change_plans_or_grant(core: Core, member: MakeMember) -> None:
    admin, alice = await _admin(member), await member("Alice")
    with pytest.raises(errors.NotAdmin):
        await core.credits.set_plan(alice, alice.id, "recruiter_lite")
    with pytest.raises(errors.NotAdmin):
        await core.credits.grant(alice, alice.id, 10)
    with pytest.raises(errors.UnknownPlan) as raised:
        await core.credits.set_plan(admin, alice.id, "platinum")
    assert "sales_navigator" in raised.value.params["plans"]
    for amount in (0, -3, 1001):
        with pytest.raises(errors.InvalidAmount):
            await core.credits.grant(admin, alice.id, amount)


async def test_inmail_costs_a_credit_and_is_marked_for_recipient(
    core: Core, member: MakeMember
) -> None:
    admin, alice, bob = await _admin(member), await member("Alice"), await member("Bob")
    await core.credits.grant(admin, alice.id, 2)
    delivery = await core.credits.send_inmail(alice.id, bob.id, "Role at Acme", "Interested?")
    assert delivery.message.kind == MessageKind.INMAIL
    assert delivery.message.subject == "Role at Acme"
    assert delivery.inmail is not None
    assert (await core.credits.account(alice.id)).balance == 1
    page = await core.inbox.page(bob.id, InboxFilter.INMAIL)
    assert [e.other.id for e in page.entries] == [alice.id]
    assert page.entries[0].inmail is not None
    entries = (await core.credits.account(alice.id)).entries
    assert [(e.kind, e.delta) for e in entries] == [(LedgerKind.SPEND, -1), (LedgerKind.GRANT, 2)]


async def test_inmail_errors(core: Core, member: MakeMember, clock: FakeClock) -> None:
    admin, alice, bob = await _admin(member), await member("Alice"), await member("Bob")
    with pytest.raises(errors.NoCredits) as raised:
        await core.credits.send_inmail(alice.id, bob.id, "s", "b")
    assert raised.value.params == {"renews_at": None, "allowance": 0}
    await core.credits.set_plan(admin, alice.id, "premium_career")
    with pytest.raises(errors.SubjectTooLong):
        await core.credits.send_inmail(alice.id, bob.id, "s" * 201, "b")
    with pytest.raises(errors.EmptySubject):
        await core.credits.send_inmail(alice.id, bob.id, " ", "b")
    with pytest.raises(errors.MessageTooLong):
        await core.credits.send_inmail(alice.id, bob.id, "s", "b" * 1901)
    with pytest.raises(errors.EmptyMessage):
        await core.credits.send_inmail(alice.id, bob.id, "s", "")
    await core.members.set_inmail_opt_out(bob.id, True)
    with pytest.raises(errors.InMailOptedOut):
        await core.credits.send_inmail(alice.id, bob.id, "s", "b")
    carol = await member("Carol")
    await connect(core, alice, carol)
    with pytest.raises(errors.InMailToConnection):
        await core.credits.send_inmail(alice.id, carol.id, "s", "b")
    await core.members.block(member_id := (await member("Dan")).id, alice.id)
    with pytest.raises(errors.TheyBlockedYou):
        await core.credits.send_inmail(alice.id, member_id, "s", "b")
    for n in range(5):
        target = await member(f"T{n}")
        await core.credits.send_inmail(alice.id, target.id, "s", "b")
    with pytest.raises(errors.NoCredits) as raised:
        await core.credits.send_inmail(alice.id, (await member("Fresh")).id, "s", "b")
    assert raised.value.params["renews_at"] == (await core.credits.account(alice.id)).renews_at
    assert raised.value.params["renews_at"] > clock.now()


async def test_no_response_policy_refunds_after_seven_days(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    admin, alice, bob, carol = (
        await _admin(member),
        await member("Alice"),
        await member("Bob"),
        await member("Carol"),
    )
    await core.credits.grant(admin, alice.id, 2)
    ignored = (await core.credits.send_inmail(alice.id, bob.id, "s", "b")).inmail
    answered = (await core.credits.send_inmail(alice.id, carol.id, "s", "b")).inmail
    assert ignored and answered
    await core.credits.respond(carol.id, answered.id, interested=False)
    assert (await core.credits.account(alice.id)).pending_refunds == 1
    clock.advance(timedelta(days=6))
    assert await core.credits.settle_expired() == []
    clock.advance(timedelta(days=1))
    refunded = await core.credits.settle_expired()
    assert [i.id for i in refunded] == [ignored.id]
    account = await core.credits.account(alice.id)
    assert account.balance == 1 and account.pending_refunds == 0
    assert account.balance == await _ledger_sum(core, alice.id)
    assert await core.credits.settle_expired() == []  # never twice


@pytest.mark.parametrize("rules", [Rules(refund_policy=RefundPolicy.RESPONSE)])
async def test_response_policy_refunds_when_answered_within_90_days(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    admin, alice, bob, carol = (
        await _admin(member),
        await member("Alice"),
        await member("Bob"),
        await member("Carol"),
    )
    await core.credits.grant(admin, alice.id, 2)
    to_bob = (await core.credits.send_inmail(alice.id, bob.id, "s", "b")).inmail
    to_carol = (await core.credits.send_inmail(alice.id, carol.id, "s", "b")).inmail
    assert to_bob and to_carol
    clock.advance(timedelta(days=30))
    delivery = await core.messaging.send(bob.id, alice.id, "Tell me more")
    assert delivery.answered_inmail is not None
    assert delivery.answered_inmail.status == InMailStatus.REPLIED
    assert delivery.answered_inmail.refund_state == RefundState.REFUNDED
    assert (await core.credits.account(alice.id)).balance == 1
    clock.advance(timedelta(days=61))
    assert await core.credits.settle_expired() == []
    assert (await core.credits.get_inmail(alice.id, to_carol.id)).refund_state == (
        RefundState.FORFEITED
    )
    assert (await core.credits.account(alice.id)).balance == 1


async def test_inmail_thread_rules(core: Core, member: MakeMember) -> None:
    admin, alice, bob = await _admin(member), await member("Alice"), await member("Bob")
    await core.credits.grant(admin, alice.id, 1)
    inmail = (await core.credits.send_inmail(alice.id, bob.id, "Job", "Hi")).inmail
    assert inmail
    with pytest.raises(errors.InMailThreadClosed):
        await core.messaging.send(alice.id, bob.id, "follow-up")
    with pytest.raises(errors.InMailNotFound):
        await core.credits.respond(alice.id, inmail.id, interested=True)
    answered = await core.credits.respond(bob.id, inmail.id, interested=True)
    assert answered.status == InMailStatus.INTERESTED
    with pytest.raises(errors.InMailAlreadyAnswered):
        await core.credits.respond(bob.id, inmail.id, interested=False)
    await core.messaging.send(alice.id, bob.id, "Great, when can we talk?")
    await core.messaging.send(bob.id, alice.id, "Tomorrow")


async def test_not_interested_closes_the_thread_for_the_sender(
    core: Core, member: MakeMember
) -> None:
    admin, alice, bob = await _admin(member), await member("Alice"), await member("Bob")
    await core.credits.grant(admin, alice.id, 1)
    inmail = (await core.credits.send_inmail(alice.id, bob.id, "Job", "Hi")).inmail
    assert inmail
    await core.credits.respond(bob.id, inmail.id, interested=False)
    with pytest.raises(errors.InMailThreadClosed):
        await core.messaging.send(alice.id, bob.id, "Are you sure?")


async def test_purchase_is_recorded_in_the_ledger(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    await core.credits.purchase(alice.id, 10, "order-1")
    account = await core.credits.account(alice.id)
    assert account.balance == 10
    assert [(e.kind, e.reason) for e in account.entries] == [
        (LedgerKind.PURCHASE, "purchase:order-1")
    ]


async def test_an_inmail_is_checked_before_it_is_written(core: Core, member: MakeMember) -> None:
    admin, alice, bob = await _admin(member), await member("Alice"), await member("Bob")
    with pytest.raises(errors.NoCredits):
        await core.credits.check_inmail(alice.id, bob.id)
    account = await core.credits.account(alice.id)
    assert account.plans["premium_career"] == 5  # /credits can say how to get some
    await core.credits.grant(admin, alice.id, 1)
    await core.credits.check_inmail(alice.id, bob.id)  # nothing spent by checking
    assert (await core.credits.account(alice.id)).balance == 1
    await connect(core, alice, bob)
    with pytest.raises(errors.InMailToConnection):
        await core.credits.check_inmail(alice.id, bob.id)


async def test_a_lower_cap_keeps_the_credits_above_it(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    admin, alice = await _admin(member), await member("Alice")
    await core.credits.set_plan(admin, alice.id, "sales_navigator")
    await core.credits.set_plan(admin, alice.id, "premium_career")
    account = await core.credits.account(alice.id)
    assert (account.balance, account.cap) == (60, 15)  # kept, as the answers say
    clock.advance(timedelta(days=31))
    assert (await core.credits.account(alice.id)).balance == 60  # no renewal above the cap
