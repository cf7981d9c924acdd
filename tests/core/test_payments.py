"""Paying with Telegram Stars, on every storage backend: the offers, the pre-checkout check
(withdrawn or re-priced offers refused), each charge recorded exactly once with its ledger
entry and receipt, plans bought renewing like any plan, and refunds that never take back
what was already spent."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import LedgerKind, Member, NotificationKind
from bridge.core.payments import payload_of
from tests.conftest import ADMIN_TELEGRAM_ID, MakeMember


async def _admin(member: MakeMember) -> Member:
    return await member("Admin", telegram_id=ADMIN_TELEGRAM_ID)


async def _ledger_sum(core: Core, member_id: int) -> int:
    async with core.deps.store.transaction() as tx:
        return await tx.ledger.balance_sum(member_id)


async def _owed(core: Core, member_id: int, kind: NotificationKind) -> list[dict[str, object]]:
    return [
        n.payload for n in await core.outbox.due(100) if n.member_id == member_id and n.kind == kind
    ]


async def test_offers_are_the_configured_packs_then_plans(core: Core) -> None:
    offers = core.payments.offers()
    assert [(o.id, o.stars, o.credits, o.plan) for o in offers] == [
        ("c10", 50, 10, None),
        ("c25", 110, 25, None),
        ("c60", 240, 60, None),
        ("p.premium_career", 300, 0, "premium_career"),
        ("p.premium_business", 750, 0, "premium_business"),
    ]
    assert offers[3].allowance == 5


async def test_checkout_refuses_withdrawn_repriced_or_forged_offers(core: Core) -> None:
    pack = core.payments.offer("c10")
    assert core.payments.check_checkout(payload_of(pack), "XTR", 50) == pack
    for payload in ("c10:49", "c10;50", "zz:50", "", "c10:50:1"):
        with pytest.raises((errors.OfferChanged, errors.OfferUnavailable)):
            core.payments.check_checkout(payload, "XTR", 49 if payload == "c10:49" else 50)
    with pytest.raises(errors.OfferChanged):
        core.payments.check_checkout("c10:50", "XTR", 1)  # Telegram charging another price
    with pytest.raises(errors.OfferChanged):
        core.payments.check_checkout("c10:50", "EUR", 50)
    core.deps.rules = core.deps.rules.model_copy(update={"star_packs": {10: 60}})
    with pytest.raises(errors.OfferChanged) as changed:
        core.payments.check_checkout("c10:50", "XTR", 50)
    assert changed.value.params == {"stars": 60}
    core.deps.rules = core.deps.rules.model_copy(update={"star_packs": {}})
    with pytest.raises(errors.OfferUnavailable):
        core.payments.check_checkout("c10:50", "XTR", 50)
    with pytest.raises(errors.OfferUnavailable):
        core.payments.offer("c10")


async def test_a_charge_is_recorded_once_with_its_ledger_entry_and_receipt(
    core: Core, member: MakeMember
) -> None:
    alice = await member("Alice")
    first = await core.payments.record(alice.id, "stx-1", "c10:50", "XTR", 50)
    assert first is not None and first.credits == 10
    # Telegram delivering the same payment again (another update), even concurrently.
    again = await asyncio.gather(
        *(core.payments.record(alice.id, "stx-1", "c10:50", "XTR", 50) for _ in range(3))
    )
    assert again == [None, None, None]
    account = await core.credits.account(alice.id)
    assert account.balance == 10 == await _ledger_sum(core, alice.id)
    assert [(e.kind, e.delta, e.reason) for e in account.entries] == [
        (LedgerKind.PURCHASE, 10, "stars:stx-1")
    ]
    receipts = await _owed(core, alice.id, NotificationKind.STARS_RECEIPT)
    assert receipts == [
        {"charge_id": "stx-1", "stars": 50, "credits": 10, "plan": None, "balance": 10}
    ]


async def test_a_paid_offer_is_honoured_after_it_was_withdrawn(
    core: Core, member: MakeMember
) -> None:
    alice = await member("Alice")
    core.deps.rules = core.deps.rules.model_copy(update={"star_packs": {}})
    paid = await core.payments.record(alice.id, "stx-2", "c25:110", "XTR", 110)
    assert paid is not None and (await core.credits.account(alice.id)).balance == 25


async def test_a_plan_bought_with_stars_renews_like_any_plan(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice = await member("Alice")
    paid = await core.payments.record(alice.id, "stx-3", "p.premium_career:300", "XTR", 300)
    assert paid is not None and (paid.plan, paid.credits) == ("premium_career", 5)
    account = await core.credits.account(alice.id)
    assert (account.plan, account.balance, account.allowance) == ("premium_career", 5, 5)
    clock.advance(timedelta(days=31))
    assert (await core.credits.account(alice.id)).balance == 10
    assert (await core.credits.account(alice.id)).balance == await _ledger_sum(core, alice.id)


async def test_refund_takes_back_credits_but_never_what_was_spent(
    core: Core, member: MakeMember
) -> None:
    admin, alice, bob = await _admin(member), await member("Alice"), await member("Bob")
    await core.payments.record(alice.id, "stx-4", "c10:50", "XTR", 50)
    for n in range(3):
        await core.credits.send_inmail(alice.id, bob.id, f"s{n}", "b")
    payment, payer = await core.payments.refundable(admin, "stx-4")
    assert (payment.stars, payer.id) == (50, alice.id)
    refunded = await core.payments.record_refund(admin, "stx-4")
    assert refunded.credits_taken_back == 7
    account = await core.credits.account(alice.id)
    assert account.balance == 0 == await _ledger_sum(core, alice.id)
    assert (account.entries[0].kind, account.entries[0].delta) == (LedgerKind.TAKEN_BACK, -7)
    told = await _owed(core, alice.id, NotificationKind.STARS_REFUNDED)
    assert told == [
        {"charge_id": "stx-4", "stars": 50, "taken": 7, "spent": 3, "plan": None, "balance": 0}
    ]
    with pytest.raises(errors.AlreadyRefunded):
        await core.payments.refundable(admin, "stx-4")
    with pytest.raises(errors.AlreadyRefunded):
        await core.payments.record_refund(admin, "stx-4")
    assert (await core.credits.account(alice.id)).balance == 0


async def test_refunding_a_plan_ends_it(core: Core, member: MakeMember) -> None:
    admin, alice = await _admin(member), await member("Alice")
    await core.payments.record(alice.id, "stx-5", "p.premium_career:300", "XTR", 300)
    refunded = await core.payments.record_refund(admin, "stx-5")
    assert refunded.credits_taken_back == 5
    account = await core.credits.account(alice.id)
    assert (account.plan, account.balance, account.renews_at) == ("free", 0, None)


async def test_refunds_are_for_admins_and_known_charges(core: Core, member: MakeMember) -> None:
    admin, alice = await _admin(member), await member("Alice")
    await core.payments.record(alice.id, "stx-6", "c10:50", "XTR", 50)
    with pytest.raises(errors.NotAdmin):
        await core.payments.refundable(alice, "stx-6")
    with pytest.raises(errors.NotAdmin):
        await core.payments.record_refund(alice, "stx-6")
    with pytest.raises(errors.UnknownCharge):
        await core.payments.refundable(admin, "stx-nope")
    with pytest.raises(errors.UnknownCharge):
        await core.payments.record_refund(admin, "stx-nope")
    assert (await core.credits.account(alice.id)).balance == 10
