"""Payments in Telegram Stars through the sandbox, as python-telegram-bot sees them: an
invoice, the pre-checkout query the bot must answer within the time allowed, the
successful_payment message, refunds, and Telegram's refusals."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Bot, LabeledPrice, Update
from telegram.error import BadRequest

from botapi_sandbox.payments import PaymentFailed

from .conftest import Raw, Sandbox


async def _invoice(bot: Bot, chat_id: int, amount: int = 50, payload: str = "o:pack10:1") -> Any:
    return await bot.send_invoice(
        chat_id,
        title="10 InMail credits",
        description="Reach members outside your network",
        payload=payload,
        currency="XTR",
        prices=[LabeledPrice("10 credits", amount)],
    )


async def _next_update(bot: Bot, offset: int = 0) -> Update:
    updates = await bot.get_updates(offset=offset, timeout=5)
    assert updates, "no update came"
    return updates[0]


async def _answer_checkouts(bot: Bot, ok: bool, error: str | None = None) -> list[Update]:
    """The bot's side: answer the pre-checkout query, then read the payment message."""
    seen: list[Update] = []
    offset = 0
    while len(seen) < (2 if ok else 1):
        for update in await bot.get_updates(offset=offset, timeout=5):
            offset = update.update_id + 1
            seen.append(update)
            if update.pre_checkout_query is not None:
                await update.pre_checkout_query.answer(ok=ok, error_message=error)
    return seen


async def test_invoice_paid_after_the_bot_accepts_the_pre_checkout(
    sandbox: Sandbox, bot: Bot
) -> None:
    alice = sandbox.alice
    sent = await _invoice(bot, alice.id)
    assert sent.invoice.total_amount == 50 and sent.invoice.currency == "XTR"
    shown = alice.chat[-1]
    assert shown.kind == "invoice" and "10 InMail credits" in shown.content
    before = alice.stars
    bot_side = asyncio.create_task(_answer_checkouts(bot, ok=True))
    charge = await alice.pay(sent.message_id)
    checkout, paid = await bot_side
    query = checkout.pre_checkout_query
    assert query is not None
    assert (query.from_user.id, query.total_amount, query.invoice_payload) == (
        alice.id,
        50,
        "o:pack10:1",
    )
    payment = paid.message.successful_payment if paid.message else None
    assert payment is not None
    assert payment.telegram_payment_charge_id == charge.charge_id
    assert (payment.currency, payment.total_amount, payment.invoice_payload) == (
        "XTR",
        50,
        "o:pack10:1",
    )
    assert alice.stars == before - 50
    assert alice.chat[-1].kind == "successful_payment"
    with pytest.raises(PaymentFailed, match="already paid"):
        await alice.pay(sent.message_id)


async def test_refused_pre_checkout_fails_the_payment_and_tells_the_user(
    sandbox: Sandbox, bot: Bot
) -> None:
    alice = sandbox.alice
    sent = await _invoice(bot, alice.id)
    before = alice.stars
    bot_side = asyncio.create_task(_answer_checkouts(bot, ok=False, error="Offer changed"))
    with pytest.raises(PaymentFailed, match="Offer changed"):
        await alice.pay(sent.message_id)
    (checkout,) = await bot_side
    assert checkout.pre_checkout_query is not None
    assert alice.stars == before and not sandbox.server.payments.charges


async def test_unanswered_pre_checkout_fails_in_time(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.server.payments.checkout_timeout = 0.2
    alice = sandbox.alice
    sent = await _invoice(bot, alice.id)
    with pytest.raises(PaymentFailed, match="didn't respond in time"):
        await alice.pay(sent.message_id)
    update = await _next_update(bot)
    assert update.pre_checkout_query is not None
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await update.pre_checkout_query.answer(ok=True)


async def test_not_enough_stars(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.alice
    alice.stars = 10
    sent = await _invoice(bot, alice.id, amount=50)
    with pytest.raises(PaymentFailed, match="Not enough Stars"):
        await alice.pay(sent.message_id)


async def test_refund_once_and_only_the_payers_charge(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.alice
    sent = await _invoice(bot, alice.id)
    bot_side = asyncio.create_task(_answer_checkouts(bot, ok=True))
    charge = await alice.pay(sent.message_id)
    await bot_side
    with pytest.raises(BadRequest, match="(?i)charge_not_found"):
        await bot.refund_star_payment(sandbox.bob.id, charge.charge_id)
    with pytest.raises(BadRequest, match="(?i)charge_not_found"):
        await bot.refund_star_payment(alice.id, "stxnope")
    before = alice.stars
    assert await bot.refund_star_payment(alice.id, charge.charge_id)
    assert alice.stars == before + 50
    notice = await _next_update(bot, offset=-1)
    refunded = notice.message.refunded_payment if notice.message else None
    assert refunded is not None and refunded.telegram_payment_charge_id == charge.charge_id
    assert alice.chat[-1].content == "⭐ 50 refunded"
    with pytest.raises(BadRequest, match="(?i)charge_already_refunded"):
        await bot.refund_star_payment(alice.id, charge.charge_id)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"currency": "EUR"}, "CURRENCY_INVALID"),
        ({"provider_token": "123:TEST"}, "PAYMENT_PROVIDER_INVALID"),
        (
            {"prices": [{"label": "a", "amount": 1}, {"label": "b", "amount": 2}]},
            "STARS_INVOICE_INVALID",
        ),
        ({"prices": [{"label": "a", "amount": 0}]}, "CURRENCY_TOTAL_AMOUNT_INVALID"),
        ({"payload": "x" * 129}, "INVOICE_PAYLOAD_INVALID"),
        ({"title": "t" * 33}, "INVOICE_TITLE_INVALID"),
    ],
)
async def test_invoices_telegram_refuses(
    sandbox: Sandbox, raw: Raw, change: dict[str, Any], error: str
) -> None:
    params: dict[str, Any] = {
        "chat_id": sandbox.alice.id,
        "title": "Credits",
        "description": "10 credits",
        "payload": "o:pack10:1",
        "currency": "XTR",
        "prices": [{"label": "10 credits", "amount": 50}],
        **change,
    }
    status, body = await raw("sendInvoice", **params)
    assert status == 400 and error in body["description"]
    assert sandbox.alice.chat == []


async def test_control_api_pays_and_sets_stars(sandbox: Sandbox, bot: Bot) -> None:
    import aiohttp

    alice = sandbox.alice
    sent = await _invoice(bot, alice.id)
    bot_side = asyncio.create_task(_answer_checkouts(bot, ok=True))
    async with aiohttp.ClientSession() as session:
        url = f"{sandbox.server.url}/sandbox/users/{alice.id}"
        async with session.post(f"{url}/stars", json={"stars": 120}) as response:
            assert (await response.json())["stars"] == 120
        async with session.post(f"{url}/pay", json={"message_id": sent.message_id}) as response:
            body = await response.json()
    await bot_side
    assert body["ok"] and body["stars"] == 70 and body["charge_id"].startswith("stx")
