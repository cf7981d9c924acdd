"""Payments in Telegram Stars through the port: one row per charge id, and a refund that
takes back at most the balance, once (balances themselves: test_members.py)."""

from __future__ import annotations

import pytest

from bridge.core.models import StarPayment
from bridge.storage.port import Store
from tests.storage.contract.population import LATER, NOW, add_members


def _payment(member_id: int, charge_id: str = "stx-1", credits: int = 10) -> StarPayment:
    return StarPayment(
        charge_id=charge_id,
        member_id=member_id,
        offer_id="c10",
        stars=50,
        credits=credits,
        paid_at=NOW,
    )


async def test_a_charge_is_recorded_once(store: Store) -> None:
    (ann,) = await add_members(store, "Ann")
    async with store.transaction() as tx:
        assert await tx.payments.add(_payment(ann.id)) is True
        assert await tx.payments.add(_payment(ann.id, credits=99)) is False
        await tx.payments.set_granted("stx-1", 12)
    async with store.read() as tx:
        assert await tx.payments.get("stx-1") == _payment(ann.id, credits=12)
        assert await tx.payments.get("stx-2") is None


@pytest.mark.parametrize(("balance", "taken"), [(25, 10), (4, 4), (0, 0)])
async def test_a_refund_takes_back_at_most_the_balance_once(
    store: Store, balance: int, taken: int
) -> None:
    (ann,) = await add_members(store, "Ann")
    async with store.transaction() as tx:
        await tx.payments.add(_payment(ann.id))
        if balance:
            await tx.members.add_credits(ann.id, balance)
        assert await tx.payments.mark_refunded("stx-1", LATER) == taken
        assert await tx.payments.mark_refunded("stx-1", LATER) is None
        assert await tx.payments.mark_refunded("stx-nope", LATER) is None
    async with store.read() as tx:
        refunded = await tx.payments.get("stx-1")
    assert refunded is not None
    assert (refunded.refunded_at, refunded.credits_taken_back) == (LATER, taken)
