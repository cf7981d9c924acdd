"""InMail: /inmail @handle <subject> | <body>, /credits, the recipient's Interested /
Not interested / Reply buttons, and the profile card's InMail button (the next text is the
InMail: a question kept in the database, `bridge.core.prompts`)."""

from __future__ import annotations

from telegram import Update

from bridge.core.errors import NoCredits
from bridge.core.message_templates import Use
from bridge.core.prompts import Prompt
from bridge.handlers.button_handler import ButtonHandler, Toast, drop_buttons
from bridge.handlers.buttons import (
    InMailFromProfile,
    InMailInterested,
    InMailNotInterested,
    InMailReply,
    ShowOffers,
)
from bridge.handlers.commands import Command, Usage, handle_and_rest
from bridge.handlers.context import BridgeContext
from bridge.handlers.keyboards import keyboard
from bridge.handlers.message_templates import expand


def split_subject(text: str) -> tuple[str, str]:
    subject, bar, body = text.partition("|")
    if not bar:
        raise Usage("inmail")
    return subject.strip(), body.strip()


async def _send(
    update: Update,
    context: BridgeContext,
    target_id: int,
    text: str,
    typed_handle: bool,
    answering: Prompt | None = None,
) -> None:
    subject, body = split_subject(text)
    core, me = context.core, context.member.id
    delivery = await core.credits.send_inmail(me, target_id, subject, body, answering)
    account = await core.credits.account(me, entries=0)
    other = (
        context.addressed(delivery.recipient)
        if typed_handle
        else core.network.view(me, delivery.recipient)
    )
    await context.reply(update, "inmail", "sent", other=other, balance=account.balance)


async def inmail(update: Update, context: BridgeContext) -> None:
    handle, text = handle_and_rest(update, "inmail", need_rest=True)
    target = await context.core.members.resolve(handle)
    text = await expand(context, target, text, Use.INMAIL)
    await _send(update, context, target.id, text, typed_handle=True)


async def send_drafted(update: Update, context: BridgeContext, prompt: Prompt, text: str) -> None:
    """The text after the profile's InMail button, `subject | body`: the InMail goes, and
    the question ends with it (one transaction: sent and charged once)."""
    await _send(update, context, prompt.target_id, text, typed_handle=False, answering=prompt)


async def credits(update: Update, context: BridgeContext) -> None:
    """/credits: plan, balance, next renewal, pending refunds, last ledger entries."""
    account = await context.core.credits.account(context.member.id, entries=5)
    buy = keyboard([[(context.t("payments", "buy_button"), ShowOffers())]])
    await context.reply(update, "inmail", "credits", account=account, keyboard=buy)


async def on_compose(update: Update, context: BridgeContext, data: InMailFromProfile) -> Toast:
    """✉️ InMail on a profile card: "Write your InMail to … as Subject | Message" — or, with
    no credit left, when credits come back."""
    core, me = context.core, context.member.id
    try:  # before they write it, not after: no whole InMail written for nothing
        view = await core.prompts.ask_inmail(me, data.member_id)
    except NoCredits as refusal:
        account = await core.credits.account(me, entries=0)
        await context.reply(
            update, "inmail", "no_credits", account=account, renews_at=refusal.params["renews_at"]
        )
        return None
    await context.reply(update, "inmail", "compose", other=view)
    return None


async def _respond(
    update: Update, context: BridgeContext, inmail_id: int, interested: bool
) -> Toast:
    answered = await context.core.credits.respond(context.member.id, inmail_id, interested)
    await drop_buttons(update)
    await context.reply(update, "inmail", "answered", status=answered.status.value)
    return context.plain("inmail", "answered", status=answered.status.value)


async def on_interested(update: Update, context: BridgeContext, data: InMailInterested) -> Toast:
    """👍 Interested: the sender is told; the InMail loses its buttons."""
    return await _respond(update, context, data.inmail_id, interested=True)


async def on_not_interested(
    update: Update, context: BridgeContext, data: InMailNotInterested
) -> Toast:
    """👎 Not interested: declined politely; the InMail loses its buttons."""
    return await _respond(update, context, data.inmail_id, interested=False)


async def on_reply(update: Update, context: BridgeContext, data: InMailReply) -> Toast:
    """💬 Reply under an InMail: its thread is the open conversation."""
    view = await context.core.messaging.reply_to_inmail(context.member.id, data.inmail_id)
    await context.reply(update, "relay", "opened", view=view, me=context.member.id)
    return None


COMMANDS = [Command("inmail", inmail), Command("credits", credits)]


def handlers() -> list:
    return [
        ButtonHandler(InMailInterested, on_interested),
        ButtonHandler(InMailNotInterested, on_not_interested),
        ButtonHandler(InMailReply, on_reply),
        ButtonHandler(InMailFromProfile, on_compose),
    ]
