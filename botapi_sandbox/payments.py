"""Payments in Telegram Stars, as the Bot API defines them: `sendInvoice` (currency ``XTR``,
no provider token, one price) puts an invoice in the user's chat; a simulated user who pays
it makes Telegram's ``pre_checkout_query``, which the bot must answer within 10 seconds
(`answerPreCheckoutQuery`; no answer or ``ok=false``: the payment fails and the user is told
why); then the Stars leave the user's balance and the bot gets the ``successful_payment``
message with its ``telegram_payment_charge_id``, which `refundStarPayment` refunds once (the
Stars go back, and the bot gets the ``refunded_payment`` service message).

Only Stars: the sandbox has no payment providers (any other currency is refused)."""

from __future__ import annotations

import asyncio
import itertools
import secrets
from dataclasses import dataclass
from typing import Any

from botapi_sandbox.bots import SandboxBot
from botapi_sandbox.contract import bad
from botapi_sandbox.methods import deliver, new_message
from botapi_sandbox.registry import method
from botapi_sandbox.serving import Server
from botapi_sandbox.state import ChatMessage
from botapi_sandbox.users import SimUser

Params = dict[str, Any]
STARS = "XTR"
CHECKOUT_TIMEOUT = 10.0  # seconds Telegram gives a bot to answer a pre-checkout query
MAX_STARS = 10_000  # Telegram's limit on one invoice's price in Stars
TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
_query_numbers = itertools.count(1)


class PaymentFailed(Exception):
    """What the user's client shows when a payment does not go through."""


@dataclass
class Charge:
    """A successful payment: what `refundStarPayment` can give back once."""

    charge_id: str
    user_id: int
    amount: int
    payload: str
    refunded: bool = False


@dataclass
class _Checkout:
    user_id: int
    answer: asyncio.Future[tuple[bool, str]]


class Payments:
    """The server's payments: pending pre-checkout queries and the charges made."""

    def __init__(self) -> None:
        self.checkouts: dict[str, _Checkout] = {}
        self.charges: dict[str, Charge] = {}
        self.checkout_timeout = CHECKOUT_TIMEOUT

    async def pay(self, user: SimUser, message: ChatMessage) -> Charge:
        """`user` presses Pay under the invoice `message`: pre-checkout, then payment.
        PaymentFailed (nothing changed) carries what the client would show."""
        invoice = message.invoice
        if invoice is None or not message.from_bot or message.deleted:
            raise PaymentFailed("This message has no invoice to pay.")
        if message.paid:
            raise PaymentFailed("This invoice is already paid.")
        amount = int(invoice["total_amount"])
        if user.stars < amount:
            raise PaymentFailed(f"Not enough Stars: {amount} needed, {user.stars} available.")
        query_id = f"{user.id}{next(_query_numbers):07d}"
        future: asyncio.Future[tuple[bool, str]] = asyncio.get_running_loop().create_future()
        self.checkouts[query_id] = _Checkout(user.id, future)
        try:
            await user.server.push_update(
                "pre_checkout_query",
                {
                    "id": query_id,
                    "from": user.as_user(),
                    "currency": invoice["currency"],
                    "total_amount": amount,
                    "invoice_payload": message.invoice_payload,
                },
            )
            try:
                ok, error = await asyncio.wait_for(future, self.checkout_timeout)
            except TimeoutError:
                raise PaymentFailed("The bot didn't respond in time.") from None
        finally:
            self.checkouts.pop(query_id, None)
        if not ok:
            raise PaymentFailed(error)
        # Both checked again: the user may have paid elsewhere while the bot answered.
        if message.paid or user.stars < amount:
            raise PaymentFailed(
                "This invoice is already paid." if message.paid else "Not enough Stars."
            )
        user.stars -= amount
        message.paid = True
        charge = Charge(
            charge_id="stxsbx" + secrets.token_hex(12),
            user_id=user.id,
            amount=amount,
            payload=message.invoice_payload or "",
        )
        self.charges[charge.charge_id] = charge
        await user.touched(message, "edit")  # the invoice now shows it was paid
        await user.paid(
            message,
            {
                "currency": invoice["currency"],
                "total_amount": amount,
                "invoice_payload": charge.payload,
                "telegram_payment_charge_id": charge.charge_id,
                "provider_payment_charge_id": "",
            },
        )
        return charge


def _invoice(params: Params) -> tuple[dict[str, Any], str]:
    """The invoice a sendInvoice describes, checked as Telegram checks a Stars invoice."""
    if params["currency"] != STARS:
        raise bad("CURRENCY_INVALID: the sandbox takes payments in Telegram Stars (XTR) only")
    if params.get("provider_token"):
        raise bad("PAYMENT_PROVIDER_INVALID: a Stars invoice has an empty provider_token")
    prices = params["prices"]
    if len(prices) != 1:
        raise bad("STARS_INVOICE_INVALID: a Stars invoice has exactly one price")
    amount = prices[0].get("amount")
    if not isinstance(amount, int) or not 1 <= amount <= MAX_STARS:
        raise bad("CURRENCY_TOTAL_AMOUNT_INVALID")
    if not 1 <= len(params["title"]) <= 32:
        raise bad("INVOICE_TITLE_INVALID" if params["title"] else "title is empty")
    if not 1 <= len(params["description"]) <= 255:
        raise bad("INVOICE_DESCRIPTION_INVALID")
    payload = params["payload"]
    if not 1 <= len(payload.encode()) <= 128:
        raise bad("INVOICE_PAYLOAD_INVALID")
    if any(params.get(k) for k in ("max_tip_amount", "suggested_tip_amounts", "is_flexible")):
        raise bad("tips and shipping are not available for payments in Telegram Stars")
    invoice = {
        "title": params["title"],
        "description": params["description"],
        "start_parameter": params.get("start_parameter") or "",
        "currency": STARS,
        "total_amount": amount,
    }
    return invoice, payload


def _pay_button(params: Params) -> None:
    """Telegram's rule: a custom keyboard under an invoice starts with its Pay button."""
    rows = (params.get("reply_markup") or {}).get("inline_keyboard")
    if rows and not (rows[0] and rows[0][0].get("pay")):
        raise bad("the first button of an invoice's keyboard must be a Pay button")


@method("sendInvoice")
async def send_invoice(server: Server, bot: SandboxBot, params: Params) -> Any:
    server.chat_user(bot, params["chat_id"])
    invoice, payload = _invoice(params)
    _pay_button(params)
    message = new_message(params, kind="invoice", invoice=invoice, invoice_payload=payload)
    return (await deliver(server, bot, params, message))[1]


@method("answerPreCheckoutQuery")
async def answer_pre_checkout(server: Server, bot: SandboxBot, params: Params) -> Any:
    checkout = server.payments.checkouts.get(params["pre_checkout_query_id"])
    if checkout is None or checkout.answer.done():
        raise bad(TOO_OLD)
    ok = bool(params["ok"])
    error = params.get("error_message") or ""
    if not ok and not error:
        raise bad("error_message is required when ok is False")
    checkout.answer.set_result((ok, error))
    return True


@method("refundStarPayment")
async def refund_star_payment(server: Server, bot: SandboxBot, params: Params) -> Any:
    charge = server.payments.charges.get(params["telegram_payment_charge_id"])
    if charge is None or charge.user_id != params["user_id"]:
        raise bad("CHARGE_NOT_FOUND")
    if charge.refunded:
        raise bad("CHARGE_ALREADY_REFUNDED")
    user = server.users.get(charge.user_id)
    if user is None:
        raise bad("USER_ID_INVALID")
    charge.refunded = True
    user.stars += charge.amount
    await user.refunded(
        {
            "currency": STARS,
            "total_amount": charge.amount,
            "invoice_payload": charge.payload,
            "telegram_payment_charge_id": charge.charge_id,
        }
    )
    return True
