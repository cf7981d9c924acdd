"""Digests and notification preferences: /digest, /notify, /quiet, /tz, /digest_at, and
the JobQueue tick that owes each member their scheduled digest (kept in the database)."""

from __future__ import annotations

from telegram import Update

from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import DigestInvitations, DigestPage
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.digest_message import PAGE, render_digest
from bridge.handlers.invitations import list_invitations


async def digest(update: Update, context: BridgeContext) -> None:
    """/digest: what is unread, one line per person."""
    result = await context.core.inbox.digest(context.member.id, None, PAGE)
    if result.empty:
        await context.reply(update, "digest", "nothing")
        return
    text, markup = render_digest(context.renderer, context.member, result, context.core.now(), True)
    await context.send_html(chat_id_of(update), text, markup)


async def on_more(update: Update, context: BridgeContext, data: DigestPage) -> Toast:
    """More ▶️ under a digest: its next page, in place."""
    result = await context.core.inbox.digest(context.member.id, data.cursor or None, PAGE)
    await edit_in_place(
        update, *render_digest(context.renderer, context.member, result, context.core.now(), False)
    )
    return None


def _preference(name: str, method: str):
    async def command(update: Update, context: BridgeContext) -> None:
        value = argument_text(update)
        if not value:
            raise Usage(name)
        member = await getattr(context.core.preferences, method)(context.member.id, value)
        await context.reply(update, "digest", "preferences", member=member)

    command.__doc__ = f"/{name}"
    return command


async def on_invitations(update: Update, context: BridgeContext, data: DigestInvitations) -> Toast:
    """The digest's invitations button: the received invitations, each with its answers."""
    await list_invitations(update, context)
    return None


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
    return [ButtonHandler(DigestPage, on_more), ButtonHandler(DigestInvitations, on_invitations)]
