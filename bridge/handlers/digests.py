"""Digests and notification preferences: /digest, /notify, /quiet, /tz, /digest_at, and
the JobQueue tick that owes each member their scheduled digest (kept in the database)."""

from __future__ import annotations

from telegram import Update

from bridge.core.models import Digest, InboxFilter, Member
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import DigestInvitations, DigestPage, OpenConversation, ReadAll
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext
from bridge.handlers.keyboards import Row, keyboard
from bridge.handlers.render import Renderer

PAGE = 10


def render_digest(renderer: Renderer, member: Member, digest: Digest, now, first: bool):
    lang = renderer.lang(member.language)
    text = renderer.text(lang, "digest", "digest", d=digest, now=now, first=first)
    rows: list[Row] = [[(renderer.text(lang, "digest", "open_button", entry=e),
              OpenConversation(conversation_id=e.conversation.id))] for e in digest.entries]
    nav: Row = []
    if digest.next_cursor:
        nav.append((renderer.text(lang, "digest", "more_button"),
                    DigestPage(cursor=digest.next_cursor)))
    if digest.summary.messages:
        nav.append((renderer.text(lang, "inbox", "read_all"), ReadAll(filter=InboxFilter.ALL)))
    rows.append(nav)
    if digest.invitations:  # invitations to answer, with or without a note: act on them
        rows.append([(renderer.text(lang, "digest", "invitations_button", n=digest.invitations),
                      DigestInvitations())])
    return text, keyboard(rows)


async def digest(update: Update, context: BridgeContext) -> None:
    """/digest: what is unread, one line per person."""
    result = await context.core.inbox.digest(context.member.id, None, PAGE)
    if result.empty:
        await context.reply(update, "digest", "nothing")
        return
    text, markup = render_digest(context.renderer, context.member, result,
                                 context.core.now(), True)
    await context.send_html(update.effective_chat.id, text, markup)


async def on_more(update: Update, context: BridgeContext, data: DigestPage) -> Toast:
    """More ▶️ under a digest: its next page, in place."""
    result = await context.core.inbox.digest(context.member.id, data.cursor or None, PAGE)
    await edit_in_place(update, *render_digest(
        context.renderer, context.member, result, context.core.now(), False))
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


async def on_invitations(update: Update, context: BridgeContext,
                         data: DigestInvitations) -> Toast:
    """The digest's invitations button: the received invitations, each with its answers."""
    from bridge.handlers.invitations import list_invitations

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
    return [ButtonHandler(DigestPage, on_more),
            ButtonHandler(DigestInvitations, on_invitations)]
