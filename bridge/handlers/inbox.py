"""The inbox: /inbox with filters and cursor pages (edited in place), a conversation card
with its actions as buttons, and the same actions as commands (/read, /archive, ...)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bridge.core.models import InboxFilter
from bridge.handlers.callbacks import Callback, Op, cb
from bridge.handlers.commands import Command, Usage, argument_text, only_handle
from bridge.handlers.context import BridgeContext
from bridge.handlers.keyboards import keyboard

PAGE = 8


async def inbox(update: Update, context: BridgeContext) -> None:
    """/inbox [all|unread|archived|inmail|spam|invitations]"""
    word = argument_text(update).lower() or "all"
    try:
        chosen = InboxFilter(word)
    except ValueError:
        raise Usage("inbox") from None
    text, markup = await _page(context, chosen, None)
    await context.send_html(update.effective_chat.id, text, markup)


def _filter(word: str) -> InboxFilter:
    """The filter a button carries; anything else (forged, older) means "all"."""
    try:
        return InboxFilter(word or "all")
    except ValueError:
        return InboxFilter.ALL


async def _page(context: BridgeContext, chosen: InboxFilter, cursor: str | None):
    page = await context.core.inbox.page(context.member.id, chosen, cursor, PAGE)
    now = context.core.deps.clock.now()
    text = context.t("inbox", "page", page=page, now=now, first=cursor is None)
    filters_row = [(context.t("inbox", "filter_button", f=f, current=f == chosen),
                    cb(Op.INBOX_PAGE, 0, f.value)) for f in InboxFilter]
    rows = [filters_row[:3], filters_row[3:]]
    for entry in page.entries:
        rows.append([(context.t("inbox", "entry_button", entry=entry),
                      cb(Op.CONV_SHOW, entry.conversation.id, chosen.value))])
    nav = []
    if page.prev_cursor:
        nav.append((context.t("inbox", "previous_page"),
                    cb(Op.INBOX_PAGE, 0, f"{chosen.value}.{page.prev_cursor}")))
    if page.next_cursor:
        nav.append((context.t("inbox", "next_page"),
                    cb(Op.INBOX_PAGE, 0, f"{chosen.value}.{page.next_cursor}")))
    rows.append(nav)
    more = []
    if page.prev_cursor:
        more.append((context.t("inbox", "first_page"), cb(Op.INBOX_PAGE, 0, chosen.value)))
    if page.summary.messages and chosen != InboxFilter.SPAM:
        more.append((context.t("inbox", "read_all"), cb(Op.READ_ALL, 0, chosen.value)))
    rows.append(more)
    return text, keyboard(rows)


async def _conversation_card(context: BridgeContext, conversation_id: int,
                             chosen: InboxFilter):
    """The conversation's last messages and its actions; every button remembers the filter
    it was opened under, so "⬅️ Inbox" goes back there."""
    core, me = context.core, context.member.id
    state = await core.inbox.state(me, conversation_id)
    conversation = await core.messaging.conversation_by_id(me, conversation_id)
    view = await core.messaging.conversation(me, conversation.other(me), limit=5)
    t = context.t
    c, f = conversation_id, chosen.value
    rows = []
    waiting = await core.inbox.invitation_waiting(me, conversation_id)
    if waiting is not None:  # an invitation to answer, note or not
        rows.append([(t("invitations", "button", action=a), cb(op, waiting.id))
                     for a, op in (("accept", Op.INV_ACCEPT), ("decline", Op.INV_DECLINE))])
    rows += [
        [(t("inbox", "action", a="open"), cb(Op.CONV_OPEN, c, f)),
         (t("inbox", "action", a="unread" if state.unread_count == 0 else "read"),
          cb(Op.CONV_UNREAD if state.unread_count == 0 else Op.CONV_READ, c, f))],
        [(t("inbox", "action", a="unarchive" if state.archived else "archive"),
          cb(Op.CONV_UNARCHIVE if state.archived else Op.CONV_ARCHIVE, c, f)),
         (t("inbox", "action", a="not_spam" if state.spam else "spam"),
          cb(Op.CONV_NOT_SPAM if state.spam else Op.CONV_SPAM, c, f)),
         (t("inbox", "action", a="delete"), cb(Op.CONV_DELETE, c, f))],
        [(t("inbox", "action", a="back"), cb(Op.INBOX_PAGE, 0, f))],
    ]
    return t("inbox", "conversation", view=view, me=me, state=state), keyboard(rows)


async def on_button(update: Update, context: BridgeContext) -> None:
    query = update.callback_query
    data = Callback.parse(query.data)
    assert data is not None
    core, me = context.core, context.member.id
    note = None
    if data.op == Op.INBOX_PAGE:
        name, _, cursor = data.extra.partition(".")
        text, markup = await _page(context, _filter(name), cursor or None)
    elif data.op == Op.READ_ALL:
        count = await core.inbox.mark_all_read(me)
        note = context.t("inbox", "done", a="read_all", n=count)
        text, markup = await _page(context, _filter(data.extra), None)
    else:
        c, chosen = data.arg, _filter(data.extra)
        if data.op == Op.CONV_OPEN:
            conversation = await core.messaging.conversation_by_id(me, c)
            view = await core.messaging.open(me, conversation.other(me))
            await core.inbox.mark_read(me, c)  # opening a conversation reads it
            await query.answer()
            await context.reply(update, "relay", "opened", view=view, me=me)
            return
        if data.op == Op.CONV_SHOW:
            await core.inbox.mark_read(me, c)  # its messages are on the screen now
        action = {
            Op.CONV_READ: ("read", core.inbox.mark_read),
            Op.CONV_UNREAD: ("unread", core.inbox.mark_unread),
            Op.CONV_ARCHIVE: ("archive", core.inbox.archive),
            Op.CONV_UNARCHIVE: ("unarchive", lambda a, b: core.inbox.archive(a, b, False)),
            Op.CONV_DELETE: ("delete", core.inbox.delete),
            Op.CONV_SPAM: ("spam", core.inbox.report_spam),
            Op.CONV_NOT_SPAM: ("not_spam", core.inbox.not_spam),
        }.get(data.op)
        if action is not None:
            await action[1](me, c)
            note = context.t("inbox", "done", a=action[0], n=1)
        if data.op == Op.CONV_DELETE:
            text, markup = await _page(context, chosen, None)
        else:
            text, markup = await _conversation_card(context, c, chosen)
    await query.answer(note)
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup,
                                      disable_web_page_preview=True)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise


async def _target_conversation(update: Update, context: BridgeContext, action: str):
    """The conversation a command is about: ``@handle``'s, or — sent as a reply to a
    relayed message with no handle — that message's (as /forward does)."""
    core, me = context.core, context.member.id
    message = update.effective_message
    if not argument_text(update) and message.reply_to_message is not None:
        stored = await core.messaging.message_for_copy(
            me, message.chat_id, message.reply_to_message.message_id)
        if stored is None:
            raise Usage(action)
        conversation = await core.messaging.conversation_of(me, stored.id)
        other = await core.members.get(conversation.other(me))
        return conversation.id, core.network.view(me, other)
    target = await core.members.resolve(only_handle(update, action))
    return await core.inbox.conversation_with(me, target.id), context.addressed(target)


def _conversation_command(action: str):
    async def command(update: Update, context: BridgeContext) -> None:
        core, me = context.core, context.member.id
        conversation_id, other = await _target_conversation(update, context, action)
        method = {
            "read": core.inbox.mark_read, "unread": core.inbox.mark_unread,
            "archive": core.inbox.archive,
            "unarchive": lambda a, b: core.inbox.archive(a, b, False),
            "delete": core.inbox.delete, "spam": core.inbox.report_spam,
        }[action]
        await method(me, conversation_id)
        await context.reply(update, "inbox", "done_with", a=action, other=other)

    command.__doc__ = f"/{action} @handle, or as a reply to a relayed message"
    return command


COMMANDS = [Command("inbox", inbox)] + [
    Command(name, _conversation_command(name))
    for name in ("read", "unread", "archive", "unarchive", "delete", "spam")
]

_OPS = "|".join([Op.INBOX_PAGE, Op.READ_ALL, Op.CONV_SHOW, Op.CONV_OPEN, Op.CONV_READ,
                 Op.CONV_UNREAD, Op.CONV_ARCHIVE, Op.CONV_UNARCHIVE, Op.CONV_DELETE,
                 Op.CONV_SPAM, Op.CONV_NOT_SPAM])


def handlers() -> list:
    return [CallbackQueryHandler(on_button, pattern=rf"^({_OPS}):")]
