"""Paying with Telegram Stars end to end, through the local Bot API server: /buy, the
invoice, Telegram's pre-checkout (a re-priced or withdrawn offer refused, nothing charged),
the receipt, the payment recorded once however often Telegram delivers it, and an admin's
refund — in English and French, each user's chat checked."""

from __future__ import annotations

import pytest

from botapi_sandbox.payments import PaymentFailed
from botapi_sandbox.state import ChatMessage
from botapi_sandbox.users import SimUser
from bridge.core.app import Core
from tests.e2e.conftest import World, start_all


def _core(world: World) -> Core:
    assert world.bot.core is not None
    return world.bot.core


async def _invoice(user: SimUser, offer_label: str) -> ChatMessage:
    await user.send_text("/buy")
    offers = await user.wait_for_text("Telegram Stars")
    await user.press_button(offers, offer_label)
    invoice: ChatMessage = await user.wait_for_kind("invoice")
    return invoice


async def _buy(user: SimUser, offer_label: str) -> tuple[str, ChatMessage]:
    invoice = await _invoice(user, offer_label)
    charge = await user.pay(invoice.message_id)
    receipt = await user.wait_for_text("Payment received")
    return charge.charge_id, receipt


async def test_buying_credits_with_stars_is_recorded_once(world: World) -> None:
    alice, server = world.alice, world.server
    await start_all(alice)
    stars = alice.stars
    await alice.send_text("/buy")
    offers = await alice.wait_for_text("Pay with Telegram Stars")
    assert "10 InMail credits — ⭐ 50" in offers.content
    assert "Premium Career — ⭐ 300" in offers.content
    invoice = await _invoice(alice, "10 InMail credits")
    assert invoice.invoice is not None
    assert (invoice.invoice["currency"], invoice.invoice["total_amount"]) == ("XTR", 50)
    assert invoice.invoice["title"] == "10 InMail credits"
    charge = await alice.pay(invoice.message_id)
    receipt = await alice.wait_for_text("Payment received")
    assert "You paid ⭐ 50 for 10 InMail credits" in receipt.content
    assert "Balance: 10" in receipt.content and charge.charge_id in receipt.content
    assert alice.stars == stars - 50

    # Telegram delivers the payment again: the same update (a crash before it was
    # confirmed), and the same payment in a new update. Nothing is credited twice.
    bot = server.default_bot
    paid = next(u for u in bot.updates.recent if "successful_payment" in u.get("message", {}))
    await bot.updates.redeliver(paid["update_id"])
    await server.push_update("message", dict(paid["message"]))
    await server.wait_until_confirmed()
    await alice.send_text("/credits")
    account = await alice.wait_for_text("Balance")
    assert "Balance: 10" in account.content and "purchase" in account.content
    assert sum("Payment received" in text for text in alice.texts()) == 1
    assert server.rejected == []


async def test_a_plan_bought_with_stars(world: World) -> None:
    alice = world.alice
    await start_all(alice)
    await alice.send_text("/credits")
    credits = await alice.wait_for_text("Balance: 0")
    await alice.press_button(credits, "Buy with Telegram Stars")
    await alice.wait_for_text("Pay with Telegram Stars")
    _, receipt = await _buy(alice, "Premium Career")
    assert "You paid ⭐ 300 for Premium Career" in receipt.content
    await alice.send_text("/credits")
    account = await alice.wait_for_text("Balance")
    assert "Premium Career" in account.content and "Next renewal" in account.content


@pytest.mark.parametrize("change", ["price", "withdrawn"])
async def test_an_invoice_for_a_changed_offer_is_refused_at_checkout(
    world: World, change: str
) -> None:
    alice, core = world.alice, _core(world)
    await start_all(alice)
    invoice = await _invoice(alice, "10 InMail credits")
    packs = {10: 60} if change == "price" else {}
    core.deps.rules = core.deps.rules.model_copy(update={"star_packs": packs})
    stars = alice.stars
    with pytest.raises(PaymentFailed) as refused:
        await alice.pay(invoice.message_id)
    expected = "price has changed (now ⭐ 60)" if change == "price" else "no longer available"
    assert expected in str(refused.value) and "Nothing was charged" in str(refused.value)
    assert alice.stars == stars
    await alice.send_text("/credits")
    assert "Balance: 0" in (await alice.wait_for_text("Balance")).content
    assert world.server.rejected == []


async def test_admin_refund_takes_back_what_is_left_and_tells_the_member(world: World) -> None:
    alice, bob, admin, server = world.alice, world.bob, world.admin, world.server
    await start_all(alice, bob, admin)
    charge_id, _ = await _buy(alice, "10 InMail credits")
    stars = alice.stars
    await alice.send_text("/inmail @bob Role at Acme | Would you talk?")
    await alice.wait_for_text("InMail sent")

    await bob.send_text(f"/refund {charge_id}")
    await bob.wait_for_text("I don't know that command")
    await admin.send_text(f"/refund {charge_id}")
    done = await admin.wait_for_text("Refunded ⭐ 50 to @alice")
    assert "9 credits taken back" in done.content and "1 already spent" in done.content
    told = await alice.wait_for_text("was refunded")
    assert "9 InMail credits it bought were taken back" in told.content
    assert "You keep the 1 credit you already spent" in told.content
    assert "Balance: 0" in told.content
    assert alice.stars == stars + 50

    await admin.send_text(f"/refund {charge_id}")
    await admin.wait_for_text("was already refunded")
    await admin.send_text("/refund stxnothing")
    await admin.wait_for_text("No payment has the charge id")
    await admin.send_text("/refund")
    await admin.wait_for_text("Usage")
    assert server.rejected == []


async def test_paying_in_french(world: World) -> None:
    server = world.server
    chloe = server.add_user("Chloé", "Dubois", username="chloe_tg", language_code="fr")
    await chloe.send_text("/start")
    await chloe.wait_for_text("Bienvenue")
    await chloe.send_text("/buy")
    offers = await chloe.wait_for_text("étoiles Telegram")
    await chloe.press_button(offers, "10 crédits InMail")
    invoice = await chloe.wait_for_kind("invoice")
    assert invoice.invoice is not None and invoice.invoice["title"] == "10 crédits InMail"
    await chloe.pay(invoice.message_id)
    receipt = await chloe.wait_for_text("Paiement reçu")
    assert "Solde : 10" in receipt.content
