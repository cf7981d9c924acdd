"""Paying with Telegram Stars: the offers /buy shows, the pre-checkout answer, each payment
recorded exactly once, and refunds.

Exactly once: the payment's row is keyed by Telegram's charge id (a unique constraint) and
is written in the same transaction as the credits, the ledger entry and the buyer's receipt
(an outbox row), which is also the transaction that records the update as handled
(`bridge.storage.once`). A redelivered update is skipped; the same charge in another update
finds its row and changes nothing; a crash before COMMIT leaves nothing, and the update
comes again.

The invoice payload (``<offer id>:<price>``) comes back from Telegram with the payment: it is
a claim, parsed and checked here against the offers of now, never trusted."""

from __future__ import annotations

import re

from bridge.core import errors
from bridge.core.credits import apply_renewals, move_credits, switch_plan
from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member, require_admin
from bridge.core.models import (
    LedgerKind,
    Member,
    NotificationKind,
    StarOffer,
    StarPayment,
)
from bridge.core.owed import notify
from bridge.core.rules import Rules
from bridge.storage.port import UnitOfWork

STARS = "XTR"  # Telegram Stars' currency code
FREE_PLAN = "free"
_PAYLOAD = re.compile(r"^(c[0-9]{1,6}|p\.[a-z0-9_]{1,40}):([0-9]{1,6})$")


def offers(rules: Rules) -> list[StarOffer]:
    """What /buy shows: the credit packs, smallest first, then the plans, cheapest first."""
    packs = [
        StarOffer(id=f"c{credits}", stars=stars, credits=credits)
        for credits, stars in sorted(rules.star_packs.items())
        if credits > 0 and stars > 0
    ]
    plans = [
        StarOffer(id=f"p.{plan}", stars=stars, plan=plan, allowance=rules.allowance(plan))
        for plan, stars in sorted(rules.star_plans.items(), key=lambda item: item[1])
        if plan in rules.plans and stars > 0
    ]
    return packs + plans


def offer_by_id(rules: Rules, offer_id: str) -> StarOffer:
    """An offer on sale now; OfferUnavailable for a withdrawn (or forged) one."""
    found = next((o for o in offers(rules) if o.id == offer_id), None)
    if found is None:
        raise errors.OfferUnavailable()
    return found


def payload_of(offer: StarOffer) -> str:
    return f"{offer.id}:{offer.stars}"


def _claim(payload: str) -> tuple[str, int]:
    match = _PAYLOAD.match(payload)
    if match is None:
        raise errors.OfferUnavailable()
    return match.group(1), int(match.group(2))


def _bought(offer_id: str) -> tuple[int, str | None]:
    """What a paid offer id buys (credits, plan), whatever the offers are now."""
    if offer_id.startswith("p."):
        return 0, offer_id[2:]
    return int(offer_id[1:]), None


async def _not_refunded(tx: UnitOfWork, charge_id: str) -> StarPayment:
    payment = await tx.payments.get(charge_id)
    if payment is None:
        raise errors.UnknownCharge(charge_id=charge_id)
    if payment.refunded_at is not None:
        raise errors.AlreadyRefunded(charge_id=charge_id, at=payment.refunded_at)
    return payment


class Payments:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    def offers(self) -> list[StarOffer]:
        return offers(self._d.rules)

    def offer(self, offer_id: str) -> StarOffer:
        return offer_by_id(self._d.rules, offer_id)

    def check_checkout(self, payload: str, currency: str, total: int) -> StarOffer:
        """Telegram asks whether to take this payment: yes only for an offer still on sale
        at the price its invoice said (and that Telegram is charging). No database write:
        Telegram wants the answer within 10 seconds."""
        offer_id, price = _claim(payload)
        offer = offer_by_id(self._d.rules, offer_id)
        if currency != STARS or total != price or offer.stars != price:
            raise errors.OfferChanged(stars=offer.stars)
        return offer

    async def record(
        self, member_id: int, charge_id: str, payload: str, currency: str, total: int
    ) -> StarPayment | None:
        """Record a successful payment once and owe the buyer their receipt; None when this
        charge was recorded already (nothing changes). Telegram took the Stars: what the
        payload names is honoured even if its offer was withdrawn since the checkout."""
        offer_id, _ = _claim(payload)
        if currency != STARS or total < 1:
            raise errors.OfferUnavailable()
        credits, plan = _bought(offer_id)
        rules, now = self._d.rules, self._d.clock.now()
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, member_id)
            payment = StarPayment(
                charge_id=charge_id,
                member_id=member_id,
                offer_id=offer_id,
                stars=total,
                plan=plan,
                paid_at=now,
            )
            if not await tx.payments.add(payment):
                return None
            await apply_renewals(tx, member, rules, now)
            reason = f"stars:{charge_id}"
            if plan is not None:
                credits = await switch_plan(tx, member, plan, rules, reason, now)
            else:
                await move_credits(tx, member, LedgerKind.PURCHASE, credits, reason, now)
            await tx.payments.set_granted(charge_id, credits)
            payment = payment.model_copy(update={"credits": credits})
            await notify(
                tx,
                member_id,
                NotificationKind.STARS_RECEIPT,
                None,
                now,
                {
                    "charge_id": charge_id,
                    "stars": total,
                    "credits": credits,
                    "plan": plan,
                    "balance": member.credits,
                },
            )
        return payment

    async def refundable(self, admin: Member, charge_id: str) -> tuple[StarPayment, Member]:
        """Admins only: the payment `charge_id` and its payer, if it can still be refunded
        (checked before Telegram is asked to give the Stars back)."""
        require_admin(self._d, admin)
        async with self._d.store.read() as tx:
            payment = await _not_refunded(tx, charge_id)
            payer = await existing_member(tx, payment.member_id)
        return payment, payer

    async def record_refund(self, admin: Member, charge_id: str) -> StarPayment:
        """Admins only, once Telegram gave the Stars back: the payment's credits are taken
        back — never more than the balance, so what the payer already spent stays spent —
        a plan it bought ends, and the payer is told. Returns the refunded payment
        (`credits_taken_back`)."""
        require_admin(self._d, admin)
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            payment = await _not_refunded(tx, charge_id)
            member = await existing_member(tx, payment.member_id)
            await apply_renewals(tx, member, self._d.rules, now)
            taken = await tx.payments.mark_refunded(charge_id, now)
            assert taken is not None  # not refunded, and write transactions are serialized
            ended = payment.plan is not None and member.plan == payment.plan
            if ended:
                member.plan, member.plan_started_at, member.renewals_done = FREE_PLAN, now, 0
            if taken:
                await move_credits(
                    tx, member, LedgerKind.TAKEN_BACK, -taken, f"stars_refund:{charge_id}", now
                )
            elif ended:
                await tx.members.save(member)
            await notify(
                tx,
                member.id,
                NotificationKind.STARS_REFUNDED,
                None,
                now,
                {
                    "charge_id": charge_id,
                    "stars": payment.stars,
                    "taken": taken,
                    "spent": payment.credits - taken,
                    "plan": payment.plan if ended else None,
                    "balance": member.credits,
                },
            )
        return payment.model_copy(update={"refunded_at": now, "credits_taken_back": taken})
