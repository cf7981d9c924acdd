"""InMail: /inmail @handle <subject> | <body>, /credits, the recipient's Interested /
Not interested / Reply buttons, and the profile card's InMail button (the next text is the
InMail: a question kept in the database, `bridge.core.prompts`)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bridge.core.errors import NoCredits
from bridge.core.prompts import Prompt
from bridge.handlers.callbacks import Callback, Op
from bridge.handlers.commands import Command, Usage, handle_and_rest
from bridge.handlers.context import BridgeContext


def split_subject(text: str) -> tuple[str, str]:
    subject, bar, body = text.partition("|")
    if not bar:
        raise Usage("inmail")
    return subject.strip(), body.strip()


async def _send(update: Update, context: BridgeContext, target_id: int, text: str,
                typed_handle: bool, answering: Prompt | None = None) -> None:
    subject, body = split_subject(text)
    core, me = context.core, context.member.id
    delivery = await core.credits.send_inmail(me, target_id, subject, body, answering)
    account = await core.credits.account(me, entries=0)
    other = (context.addressed(delivery.recipient) if typed_handle
             else core.network.view(me, delivery.recipient))
    await context.reply(update, "inmail", "sent", other=other, balance=account.balance)


async def inmail(update: Update, context: BridgeContext) -> None:
    handle, text = handle_and_rest(update, "inmail", need_rest=True)
    target = await context.core.members.resolve(handle)
    await _send(update, context, target.id, text, typed_handle=True)


async def send_drafted(update: Update, context: BridgeContext, prompt: Prompt,
                       text: str) -> None:
    """The text after the profile's InMail button, `subject | body`: the InMail goes, and
    the question ends with it (one transaction: sent and charged once)."""
    await _send(update, context, prompt.target_id, text, typed_handle=False, answering=prompt)


async def credits(update: Update, context: BridgeContext) -> None:
    """/credits: plan, balance, next renewal, pending refunds, last ledger entries."""
    account = await context.core.credits.account(context.member.id, entries=5)
    await context.reply(update, "inmail", "credits", account=account)


async def on_button(update: Update, context: BridgeContext) -> None:
    query = update.callback_query
    data = Callback.parse(query.data)
    assert data is not None
    core, me = context.core, context.member.id
    if data.op == Op.PROFILE_INMAIL:
        try:  # before they write it, not after: no whole InMail written for nothing
            view = await core.prompts.ask_inmail(me, data.arg)
        except NoCredits as refusal:
            await query.answer()
            account = await core.credits.account(me, entries=0)
            await context.reply(update, "inmail", "no_credits", account=account,
                                renews_at=refusal.params["renews_at"])
            return
        await query.answer()
        await context.reply(update, "inmail", "compose", other=view)
        return
    inmail = await core.credits.get_inmail(me, data.arg)
    if data.op == Op.INMAIL_REPLY:
        if inmail.recipient_id != me:
            await query.answer()
            return
        view = await core.messaging.open(me, inmail.sender_id)
        await query.answer()
        await context.reply(update, "relay", "opened", view=view, me=me)
        return
    answered = await core.credits.respond(me, data.arg, interested=data.op == Op.INMAIL_YES)
    await query.answer(context.plain("inmail", "answered", status=answered.status.value))
    await query.edit_message_reply_markup(None)
    await context.reply(update, "inmail", "answered", status=answered.status.value)


COMMANDS = [Command("inmail", inmail), Command("credits", credits)]

_OPS = "|".join([Op.INMAIL_YES, Op.INMAIL_NO, Op.INMAIL_REPLY, Op.PROFILE_INMAIL])


def handlers() -> list:
    return [CallbackQueryHandler(on_button, pattern=rf"^({_OPS}):")]
