"""Digests and notification preferences: /digest, /notify, /quiet, /tz, /digest_at, and
the JobQueue tick that owes each member their scheduled digest (kept in the database)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler

from bridge.handlers.callbacks import Callback, Op
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext
from bridge.handlers.digest_message import PAGE, render_digest
from bridge.handlers.invitations import list_invitations


async def digest(update: Update, context: BridgeContext) -> None:
    """/digest: what is unread, one line per person."""
    result = await context.core.inbox.digest(context.member.id, None, PAGE)
    if result.empty:
        await context.reply(update, "digest", "nothing")
        return
    text, markup = render_digest(context.renderer, context.member, result,
                                 context.core.deps.clock.now(), True)
    await context.send_html(update.effective_chat.id, text, markup)


async def on_more(update: Update, context: BridgeContext) -> None:
    """The digest's next page, edited in place."""
    query = update.callback_query
    data = Callback.parse(query.data)
    assert data is not None
    result = await context.core.inbox.digest(context.member.id, data.extra or None, PAGE)
    text, markup = render_digest(context.renderer, context.member, result,
                                 context.core.deps.clock.now(), False)
    await query.answer()
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


def _preference(name: str, method: str):
    async def command(update: Update, context: BridgeContext) -> None:
        value = argument_text(update)
        if not value:
            raise Usage(name)
        member = await getattr(context.core.preferences, method)(context.member.id, value)
        await context.reply(update, "digest", "preferences", member=member)

    command.__doc__ = f"/{name}"
    return command


async def on_invitations(update: Update, context: BridgeContext) -> None:
    """The digest's invitations button: the received invitations, each with its answers."""
    await update.callback_query.answer()
    await list_invitations(update, context)


async def schedule_digests(context: BridgeContext) -> None:
    """JobQueue tick: the due digests are owed through the outbox, then the worker sends."""
    if await context.core.preferences.schedule_digests():
        worker = context.bot_data.get("worker")
        if worker is not None:
            worker.poke()


COMMANDS = [
    Command("digest", digest),
    Command("notify", _preference("notify", "set_mode")),
    Command("quiet", _preference("quiet", "set_quiet_hours")),
    Command("tz", _preference("tz", "set_timezone")),
    Command("digest_at", _preference("digest_at", "set_digest_time")),
]


def handlers() -> list:
    return [CallbackQueryHandler(on_more, pattern=rf"^{Op.DIGEST_PAGE}:"),
            CallbackQueryHandler(on_invitations, pattern=rf"^{Op.INVITATIONS_LIST}:")]
