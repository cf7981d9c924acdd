"""Tags and private notes on contacts: /tag, /untag, /tags, /note, and the conversation
card's 🏷 Tags page, where each of the member's tags toggles on the other member."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bridge.core.inbox_filters import encode_smart
from bridge.core.models import ContactTags, InboxFilter, SmartFilter
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import (
    ContactTagsOnCard,
    NoteOnCard,
    ShowConversation,
    SmartInboxPage,
    ToggleTag,
)
from bridge.handlers.commands import Command, handle_and_rest
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import Row, keyboard

TAGS_PER_ROW = 3
CLEAR = "-"  # `/note @handle -` clears the note


async def tag(update: Update, context: BridgeContext) -> None:
    """/tag @handle name… — the contact's tags after."""
    handle, rest = handle_and_rest(update, "tag", need_rest=True)
    target = await context.core.members.resolve(handle)
    shown = await context.core.contacts.tag(context.member.id, target.id, rest.split())
    await context.reply(update, "contacts", "tagged", shown=shown)


async def untag(update: Update, context: BridgeContext) -> None:
    """/untag @handle name… — the contact's tags after."""
    handle, rest = handle_and_rest(update, "untag", need_rest=True)
    target = await context.core.members.resolve(handle)
    shown = await context.core.contacts.untag(context.member.id, target.id, rest.split())
    await context.reply(update, "contacts", "tagged", shown=shown)


async def tags(update: Update, context: BridgeContext) -> None:
    """/tags — every tag, with how many contacts carry it; each a button to the inbox
    filtered by it."""
    counts = await context.core.contacts.tags(context.member.id)
    buttons: Row = [
        (
            context.t("contacts", "tag", t=n.tag),
            SmartInboxPage.of(InboxFilter.ALL, encode_smart(SmartFilter(tag=n.tag))),
        )
        for n in counts
    ]
    rows = [buttons[i : i + TAGS_PER_ROW] for i in range(0, len(buttons), TAGS_PER_ROW)]
    text = context.t("contacts", "tag_list", counts=counts)
    await context.send_html(chat_id_of(update), text, keyboard(rows))


async def note(update: Update, context: BridgeContext) -> None:
    """/note @handle [text] — writes (replaces) the note, or shows it without text."""
    handle, rest = handle_and_rest(update, "note")
    target = await context.core.members.resolve(handle)
    contacts, me = context.core.contacts, context.member.id
    if not rest:
        await context.reply(update, "contacts", "note", n=await contacts.note(me, target.id))
        return
    saved = await contacts.set_note(me, target.id, "" if rest == CLEAR else rest)
    await context.reply(update, "contacts", "note_saved", n=saved)


def _tags_page(
    context: BridgeContext, shown: ContactTags, conversation_id: int, data: ContactTagsOnCard
) -> tuple[str, InlineKeyboardMarkup | None]:
    buttons: Row = [
        (
            context.t("contacts", "toggle_button", tag=t, on=t.id in shown.on),
            ToggleTag(conversation_id=conversation_id, tag_id=t.id, filter=data.filter),
        )
        for t in shown.tags
    ]
    rows: list[Row] = [buttons[i : i + TAGS_PER_ROW] for i in range(0, len(buttons), TAGS_PER_ROW)]
    back = ShowConversation(conversation_id=conversation_id, filter=data.filter)
    rows.append([(context.t("contacts", "back_to_card"), back)])
    return context.t("contacts", "tags_page", shown=shown), keyboard(rows)


async def on_tags(update: Update, context: BridgeContext, data: ContactTagsOnCard) -> Toast:
    """🏷 Tags on a conversation card: the member's tags as toggles, in place."""
    shown = await context.core.contacts.tags_in_conversation(
        context.member.id, data.conversation_id
    )
    await edit_in_place(update, *_tags_page(context, shown, data.conversation_id, data))
    return None


async def on_toggle(update: Update, context: BridgeContext, data: ToggleTag) -> Toast:
    """A tag's toggle: on or off the other member, the page updated."""
    shown = await context.core.contacts.toggle(context.member.id, data.conversation_id, data.tag_id)
    page = ContactTagsOnCard(conversation_id=data.conversation_id, filter=data.filter)
    await edit_in_place(update, *_tags_page(context, shown, data.conversation_id, page))
    tag = next(t for t in shown.tags if t.id == data.tag_id)
    return context.plain("contacts", "toggled", tag=tag, on=tag.id in shown.on)


COMMANDS = [
    Command("tag", tag),
    Command("untag", untag),
    Command("tags", tags),
    Command("note", note),
]


async def on_note(update: Update, context: BridgeContext, data: NoteOnCard) -> Toast:
    """📝 Note on a conversation card: "Send your note on …" (the current one shown); the
    member's next text is the note."""
    current = await context.core.contacts.ask_note(context.member.id, data.conversation_id)
    await context.reply(update, "contacts", "note_prompt", n=current)
    return None


def handlers() -> list:
    return [
        ButtonHandler(ContactTagsOnCard, on_tags),
        ButtonHandler(ToggleTag, on_toggle),
        ButtonHandler(NoteOnCard, on_note),
    ]
