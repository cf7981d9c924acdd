"""The inbox: /inbox with filters and cursor pages (edited in place), a conversation card
with its actions as buttons, and the same actions as commands (/read, /archive, ...)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bridge.core.inbox import CardAction
from bridge.core.inbox_filters import QUICK, encode_smart, quick_on, toggle_quick
from bridge.core.models import ConversationCard, InboxFilter, Mailbox, SmartFilter
from bridge.core.models import InboxPage as Page
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import (
    AcceptInvitation,
    ActOnConversation,
    Button,
    ContactTagsOnCard,
    DeclineInvitation,
    DeleteConversation,
    InboxPage,
    NoteOnCard,
    OpenConversation,
    ReadAll,
    RemindFromCard,
    ShowConversation,
    SmartInboxPage,
)
from bridge.handlers.commands import Command, Usage, argument_text, handle_and_rest, only_handle
from bridge.handlers.context import BridgeContext, chat_id_of, message_of
from bridge.handlers.keyboards import Row, keyboard

PAGE = 8


async def inbox(update: Update, context: BridgeContext) -> None:
    """/inbox [filter] [awaiting|waiting [Nd]] [1st|2nd|3rd] [#tag] [files] [since:Nd]"""
    words = argument_text(update).split()
    page = await context.core.inbox.query(context.member.id, words, PAGE)
    text, markup = _page(context, page, first=True)
    await context.send_html(chat_id_of(update), text, markup)


def _to(chosen: InboxFilter, smart: SmartFilter, cursor: str = "") -> Button:
    """The button of a page: a plain filter's, or one carrying its smart conditions."""
    if not smart.active:
        return InboxPage(filter=chosen, cursor=cursor)
    return SmartInboxPage.of(chosen, encode_smart(smart), cursor)


def _page(
    context: BridgeContext, page: Page, first: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    chosen, smart = page.filter, page.smart
    text = context.t("inbox", "page", page=page, now=context.core.now(), first=first)
    sales = context.core.inbox.has_sales_mailbox(context.member)
    filters_row: Row = [
        (context.t("inbox", "filter_button", f=f, current=f == chosen), InboxPage(filter=f))
        for f in InboxFilter
        if f != InboxFilter.SALES or sales
    ]
    quick: Row = [
        (
            context.t("inbox", "smart_button", condition=c, on=quick_on(smart, c)),
            _to(chosen, toggle_quick(smart, c)),
        )
        for c in QUICK
    ]
    rows: list[Row] = [filters_row[:3], filters_row[3:], quick]
    for entry in page.entries:
        rows.append(
            [
                (
                    context.t("inbox", "entry_button", entry=entry),
                    ShowConversation(conversation_id=entry.conversation_id, filter=chosen),
                )
            ]
        )
    nav: Row = []
    if page.prev_cursor:
        nav.append((context.t("inbox", "previous_page"), _to(chosen, smart, page.prev_cursor)))
    if page.next_cursor:
        nav.append((context.t("inbox", "next_page"), _to(chosen, smart, page.next_cursor)))
    rows.append(nav)
    more: Row = []
    if page.prev_cursor:
        more.append((context.t("inbox", "first_page"), _to(chosen, smart)))
    # Mark all read reads the main inbox (spam aside): not offered where it would not act.
    main = chosen not in (InboxFilter.SPAM, InboxFilter.SALES)
    if page.summary.messages and main and not smart.active:
        more.append((context.t("inbox", "read_all"), ReadAll(filter=chosen)))
    rows.append(more)
    return text, keyboard(rows)


def _card(
    context: BridgeContext, card: ConversationCard, chosen: InboxFilter
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The conversation's last messages and its actions; every button remembers the filter
    it was opened under, so "⬅️ Inbox" goes back there."""
    t, me, state = context.t, context.member.id, card.view.state
    c = card.view.conversation.id
    rows: list[Row] = []
    if card.waiting is not None:  # an invitation to answer, note or not
        rows.append(
            [
                (
                    t("invitations", "button", action="accept"),
                    AcceptInvitation(invitation_id=card.waiting.id),
                ),
                (
                    t("invitations", "button", action="decline"),
                    DeclineInvitation(invitation_id=card.waiting.id),
                ),
            ]
        )

    def act(action: CardAction) -> tuple[str, ActOnConversation]:
        return (
            t("inbox", "action", a=action.value),
            ActOnConversation(action=action, conversation_id=c, filter=chosen),
        )

    rows += [
        [
            (t("inbox", "action", a="open"), OpenConversation(conversation_id=c)),
            act(CardAction.UNREAD if state.unread_count == 0 else CardAction.READ),
        ],
        [act(CardAction.TO_MAIN if state.mailbox == Mailbox.SALES else CardAction.TO_SALES)]
        if card.sales or state.mailbox == Mailbox.SALES
        else [],
        [
            act(CardAction.UNARCHIVE if state.archived else CardAction.ARCHIVE),
            act(CardAction.NOT_SPAM if state.spam else CardAction.SPAM),
            (
                t("inbox", "action", a="delete"),
                DeleteConversation(conversation_id=c, filter=chosen),
            ),
        ],
        [
            (t("contacts", "tags_button"), ContactTagsOnCard(conversation_id=c, filter=chosen)),
            (t("contacts", "note_button"), NoteOnCard(conversation_id=c)),
            (t("reminders", "card_button"), RemindFromCard(conversation_id=c, filter=chosen)),
        ],
        [(t("inbox", "action", a="back"), InboxPage(filter=chosen))],
    ]
    return t("inbox", "conversation", view=card.view, me=me, state=state), keyboard(rows)


async def on_page(update: Update, context: BridgeContext, data: InboxPage) -> Toast:
    """A filter, ◀️ Previous, Next ▶️, ⏮ First page, ⬅️ Inbox: that page, in place."""
    page = await context.core.inbox.page(context.member.id, data.filter, data.cursor or None, PAGE)
    await edit_in_place(update, *_page(context, page, first=not data.cursor))
    return None


async def on_smart_page(update: Update, context: BridgeContext, data: SmartInboxPage) -> Toast:
    """A smart filter's page (its ◀️ ▶️, or a quick condition toggled), in place."""
    page = await context.core.inbox.page(
        context.member.id, data.filter, data.cursor or None, PAGE, smart=data.smart
    )
    await edit_in_place(update, *_page(context, page, first=not data.cursor))
    return None


async def on_read_all(update: Update, context: BridgeContext, data: ReadAll) -> Toast:
    """✓ Mark all read (the inbox's or a digest's): the first page, all read."""
    changed, page = await context.core.inbox.read_all(context.member.id, data.filter, PAGE)
    await edit_in_place(update, *_page(context, page, first=True))
    return context.plain("inbox", "done", a="read_all", n=changed)


async def on_show(update: Update, context: BridgeContext, data: ShowConversation) -> Toast:
    """An inbox entry: its conversation card, in place (and read: it is on the screen)."""
    card = await context.core.inbox.act(context.member.id, data.conversation_id, CardAction.SHOW)
    await edit_in_place(update, *_card(context, card, data.filter))
    return None


async def on_act(update: Update, context: BridgeContext, data: ActOnConversation) -> Toast:
    """Mark read / unread, Archive / Unarchive, Spam / Not spam: done, the card updated."""
    card = await context.core.inbox.act(context.member.id, data.conversation_id, data.action)
    await edit_in_place(update, *_card(context, card, data.filter))
    return context.plain("inbox", "done", a=data.action.value, n=1)


async def on_delete(update: Update, context: BridgeContext, data: DeleteConversation) -> Toast:
    """🗑 Delete: deleted for me; back to the inbox page, without it."""
    page = await context.core.inbox.delete_from_card(
        context.member.id, data.conversation_id, data.filter, PAGE
    )
    await edit_in_place(update, *_page(context, page, first=True))
    return context.plain("inbox", "done", a="delete", n=1)


async def on_open(update: Update, context: BridgeContext, data: OpenConversation) -> Toast:
    """💬 Open (a card's, a digest's, a notification's): plain messages now go there."""
    view = await context.core.inbox.open(context.member.id, data.conversation_id)
    await context.reply(update, "relay", "opened", view=view, me=context.member.id)
    return None


async def _target_conversation(update: Update, context: BridgeContext, action: str):
    """The conversation a command is about: ``@handle``'s, or — sent as a reply to a
    relayed message with no handle — that message's (as /forward does)."""
    core, me = context.core, context.member.id
    message = message_of(update)
    if not argument_text(update) and message.reply_to_message is not None:
        stored = await core.messaging.message_for_copy(
            me, message.chat_id, message.reply_to_message.message_id
        )
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
            "read": core.inbox.mark_read,
            "unread": core.inbox.mark_unread,
            "archive": core.inbox.archive,
            "unarchive": lambda a, b: core.inbox.archive(a, b, False),
            "delete": core.inbox.delete,
            "spam": core.inbox.report_spam,
        }[action]
        await method(me, conversation_id)
        await context.reply(update, "inbox", "done_with", a=action, other=other)

    command.__doc__ = f"/{action} @handle, or as a reply to a relayed message"
    return command


async def move(update: Update, context: BridgeContext) -> None:
    """/move @handle sales|main — the conversation into the sales mailbox, or back."""
    core, me = context.core, context.member.id
    handle, rest = handle_and_rest(update, "move", need_rest=True)
    try:
        mailbox = Mailbox(rest.lower())
    except ValueError:
        raise Usage("move") from None
    target = await core.members.resolve(handle)
    conversation_id = await core.inbox.conversation_with(me, target.id)
    await core.inbox.move(me, conversation_id, mailbox)
    action = "to_sales" if mailbox == Mailbox.SALES else "to_main"
    await context.reply(update, "inbox", "done_with", a=action, other=context.addressed(target))


COMMANDS = [Command("inbox", inbox), Command("move", move)] + [
    Command(name, _conversation_command(name))
    for name in ("read", "unread", "archive", "unarchive", "delete", "spam")
]


def handlers() -> list:
    return [
        ButtonHandler(InboxPage, on_page),
        ButtonHandler(SmartInboxPage, on_smart_page),
        ButtonHandler(ReadAll, on_read_all),
        ButtonHandler(ShowConversation, on_show),
        ButtonHandler(ActOnConversation, on_act),
        ButtonHandler(DeleteConversation, on_delete),
        ButtonHandler(OpenConversation, on_open),
    ]
