"""Paying with Telegram Stars: /buy shows the offers, each button sends its invoice; the
pre-checkout query is answered at once (no database write); the successful payment is
recorded once (its receipt goes through the outbox); admins /refund a charge."""

from __future__ import annotations

import re

from telegram import LabeledPrice, Update
from telegram.error import BadRequest
from telegram.ext import MessageHandler, PreCheckoutQueryHandler, filters

from bridge.core.errors import BridgeError, NotAdmin
from bridge.core.payments import STARS, payload_of
from bridge.handlers.button_handler import ButtonHandler, Toast
from bridge.handlers.buttons import BuyOffer, ShowOffers
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext, chat_id_of, message_of
from bridge.handlers.keyboards import keyboard

_CHARGE = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
ALREADY_REFUNDED = "charge_already_refunded"  # Telegram's answer for a charge it refunded


async def buy(update: Update, context: BridgeContext) -> None:
    """/buy: the credit packs and plans on sale, one button each."""
    offers = context.core.payments.offers()
    rows = [
        [(context.t("payments", "offer_button", offer=o), BuyOffer(offer_id=o.id))] for o in offers
    ]
    await context.reply(update, "payments", "offers", offers=offers, keyboard=keyboard(rows))


async def on_show_offers(update: Update, context: BridgeContext, data: ShowOffers) -> Toast:
    """⭐ Buy with Stars (under /credits): the offers, as /buy shows them."""
    await buy(update, context)
    return None


async def on_buy(update: Update, context: BridgeContext, data: BuyOffer) -> Toast:
    """An offer's button: its invoice, in Stars (the Pay button is Telegram's)."""
    offer = context.core.payments.offer(data.offer_id)
    await context.bot.send_invoice(
        chat_id_of(update),
        title=context.plain("payments", "invoice_title", offer=offer),
        description=context.plain("payments", "invoice_description", offer=offer),
        payload=payload_of(offer),
        currency=STARS,
        prices=[LabeledPrice(context.plain("payments", "invoice_title", offer=offer), offer.stars)],
    )
    return None


async def on_checkout(update: Update, context: BridgeContext) -> None:
    """Telegram asks, within 10 seconds, whether to take the payment: only for an offer
    still on sale at its invoice's price; otherwise the member reads why, and nothing is
    charged."""
    query = update.pre_checkout_query
    assert query is not None  # PreCheckoutQueryHandler
    try:
        context.core.payments.check_checkout(
            query.invoice_payload, query.currency, query.total_amount
        )
    except BridgeError as refused:
        text = context.plain("errors", "error", code=refused.code, p=refused.params)
        await query.answer(ok=False, error_message=text)
        return
    await query.answer(ok=True)


async def on_paid(update: Update, context: BridgeContext) -> None:
    """Telegram took the Stars: recorded once by its charge id, with the receipt owed."""
    payment = message_of(update).successful_payment
    assert payment is not None  # filters.SUCCESSFUL_PAYMENT
    await context.core.payments.record(
        context.member.id,
        payment.telegram_payment_charge_id,
        payment.invoice_payload,
        payment.currency,
        payment.total_amount,
    )


async def refund(update: Update, context: BridgeContext) -> None:
    """/refund <charge id> (admins): Telegram gives the Stars back, then the credits they
    bought are taken back (what was already spent stays spent) and the member is told."""
    if not context.core.members.is_admin(context.member):
        raise NotAdmin()  # before its usage line: the command does not exist for them
    charge_id = argument_text(update)
    if not _CHARGE.match(charge_id):
        raise Usage("refund")
    payment, payer = await context.core.payments.refundable(context.member, charge_id)
    try:
        await context.bot.refund_star_payment(payer.telegram_id, payment.charge_id)
    except BadRequest as exc:
        # Refunded on Telegram's side already (this /refund was cut short before it was
        # recorded): record it now; any other refusal stands.
        if ALREADY_REFUNDED not in exc.message.lower():
            raise
    refunded = await context.core.payments.record_refund(context.member, charge_id)
    await context.reply(update, "payments", "refund_done", payment=refunded, payer=payer)


COMMANDS = [
    Command("buy", buy),
    Command("refund", refund, admin=True),
]


def handlers() -> list:
    return [
        ButtonHandler(BuyOffer, on_buy),
        ButtonHandler(ShowOffers, on_show_offers),
        PreCheckoutQueryHandler(on_checkout),
        MessageHandler(filters.SUCCESSFUL_PAYMENT & filters.ChatType.PRIVATE, on_paid),
    ]
