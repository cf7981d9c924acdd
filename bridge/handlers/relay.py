"""Relaying between members: one function per Telegram event kind (a message — text or any
media —, a reply, an edit, a reaction), plus /msg, /open, /close and /forward.

The user's own Telegram message is recorded as the original copy of the stored message, so
that a reaction or an edit on it later finds its way to the other side."""

from __future__ import annotations

from telegram import Message as TgMessage
from telegram import MessageEntity, ReactionTypeEmoji, Update
from telegram.ext import (
    ApplicationHandlerStop,
    MessageHandler,
    MessageReactionHandler,
    filters,
)

from bridge.core.errors import BridgeError
from bridge.core.message_templates import Use
from bridge.core.models import Attachment, Delivery, Member
from bridge.core.undo_window import Queued
from bridge.handlers.button_handler import ButtonHandler, Toast, drop_buttons, edit_in_place
from bridge.handlers.buttons import MessageFromProfile, SendHeld, UndoSend
from bridge.handlers.commands import Command, Usage, handle_and_rest, only_handle
from bridge.handlers.context import BridgeContext, message_of
from bridge.handlers.keyboards import keyboard
from bridge.handlers.message_templates import expand
from bridge.handlers.prompts import answer_prompt
from bridge.runtime.media import attachment_of


async def _deliver(
    update: Update,
    context: BridgeContext,
    target_id: int,
    text: str | None,
    attachment: Attachment | None = None,
    reply_to_id: int | None = None,
    original: TgMessage | None = None,
    confirm: bool = True,
    typed: bool = True,
) -> Delivery | None:
    """Send through the core (committed, and owed to the recipient in the outbox), remember
    the user's own message as the original, confirm briefly: a 👌 on their message, which
    costs none of Telegram's message budget; a text only when the recipient can't be
    reached now (naming them by the handle only if the user typed it: `typed`). With an
    undo window the message is held instead (None): "Sending… ↩️ Undo" until the window
    ends (`runtime.undo_release`)."""
    origin = (original.chat_id, original.message_id) if original is not None else None
    result = await context.core.undo.send(
        context.member.id, target_id, text, attachment, reply_to_id, origin=origin
    )
    if isinstance(result, Queued):  # the member's undo window: "Sending… ↩️ Undo"
        undo = UndoSend(outgoing_id=result.outgoing.id)
        shown = await context.reply(
            update,
            "relay",
            "sending",
            other=result.recipient,
            keyboard=keyboard([[(context.t("relay", "undo_button"), undo)]]),
        )
        await context.core.undo.confirmation_shown(
            result.outgoing.id, shown[-1].chat_id, shown[-1].message_id
        )
        return None
    delivery = result
    reachable = delivery.recipient.reachable
    if confirm and reachable and original is not None and await context.acknowledge(original):
        return delivery
    if confirm or not reachable:
        other = (
            context.addressed(delivery.recipient)
            if typed
            else delivery.recipient_as_seen
            or context.core.network.view(context.member.id, delivery.recipient)
        )
        await context.reply(
            update, "relay", "sent", other=other, reachable=delivery.recipient.reachable
        )
    return delivery


async def msg(update: Update, context: BridgeContext) -> None:
    """/msg @handle <text>: send a message."""
    handle, text = handle_and_rest(update, "msg", need_rest=True)
    target = await context.core.members.resolve(handle)
    text = await expand(context, target, text, Use.MESSAGE)
    await _deliver(update, context, target.id, text, original=update.effective_message)


async def open_conversation(update: Update, context: BridgeContext) -> None:
    """/open @handle: plain messages now go to this member."""
    target = await context.core.members.resolve(only_handle(update, "open"))
    view = await context.core.messaging.open(context.member.id, target.id)
    await context.reply(update, "relay", "opened", view=view, me=context.member.id)


async def close_conversation(update: Update, context: BridgeContext) -> None:
    previous = await context.core.messaging.close(context.member.id)  # and any question
    await context.reply(update, "relay", "closed", had=previous is not None)


async def forward(update: Update, context: BridgeContext) -> None:
    """/forward @handle, as a reply to a relayed message: forward it to a connection."""
    message = message_of(update)
    handle = only_handle(update, "forward")
    if message.reply_to_message is None:
        raise Usage("forward")
    stored = await context.core.messaging.message_for_copy(
        context.member.id, message.chat_id, message.reply_to_message.message_id
    )
    if stored is None:
        await context.reply(update, "relay", "not_relayed")
        return
    target = await context.core.members.resolve(handle)
    delivery = await context.core.messaging.forward(context.member.id, stored.id, target.id)
    await context.reply(update, "relay", "forwarded", other=context.addressed(delivery.recipient))


async def on_message(update: Update, context: BridgeContext) -> None:
    """Text or media that is not a command: the answer to the bot's question (a note, a
    profile field, an InMail being written), else a reply goes to that conversation,
    otherwise to the open one."""
    message = message_of(update)
    text = message.text if message.text is not None else message.caption
    attachment = attachment_of(message)
    if message.reply_to_message is None and attachment is None and text:
        if await answer_prompt(update, context, text):  # the text the bot asked for
            return
    if message.reply_to_message is not None:
        stored = await context.core.messaging.message_for_copy(
            context.member.id, message.chat_id, message.reply_to_message.message_id
        )
        if stored is not None:
            conversation = await context.core.messaging.conversation_of(
                context.member.id, stored.id
            )
            await _deliver(
                update,
                context,
                conversation.other(context.member.id),
                text,
                attachment,
                reply_to_id=stored.id,
                original=message,
                confirm=False,
                typed=False,
            )
            return
    member: Member = context.member  # read by `identify` for this update, under its chat lock
    if member.current_peer_id is None:
        await _not_addressed(update, context, text, attachment, message)
        return
    # In a conversation, like any chat app, a message just goes: no receipt per message
    # (a failure still answers, and so does a recipient who can't be reached right now).
    await _deliver(
        update,
        context,
        member.current_peer_id,
        text,
        attachment,
        original=message,
        confirm=False,
        typed=False,
    )


async def _not_addressed(
    update: Update,
    context: BridgeContext,
    text: str | None,
    attachment: Attachment | None,
    message: TgMessage,
) -> None:
    """Nothing says where this goes. When one conversation is the obvious one, the message
    is kept and a button sends it there in one tap."""
    held = await context.core.messaging.hold_unaddressed(
        context.member.id, text, attachment, origin=(message.chat_id, message.message_id)
    )
    if held is None:
        await context.reply(update, "relay", "not_addressed")
        return
    held_id, other = held
    button = keyboard(
        [[(context.t("relay", "send_to_button", other=other), SendHeld(held_id=held_id))]]
    )
    await context.reply(update, "relay", "not_addressed", keyboard=button, other=other)


async def on_undo(update: Update, context: BridgeContext, data: UndoSend) -> Toast:
    """↩️ Undo under "Sending…": it never leaves; the line says so, in place."""
    await context.core.undo.undo(context.member.id, data.outgoing_id)
    await edit_in_place(update, context.t("relay", "undone"))
    return None


async def on_send_held(update: Update, context: BridgeContext, data: SendHeld) -> Toast:
    """ "Send to …" under a message that had no conversation: sent there, once."""
    delivery = await context.core.messaging.send_held(context.member.id, data.held_id)
    await drop_buttons(update)
    await context.reply(
        update,
        "relay",
        "sent",
        other=context.addressed(delivery.recipient),
        reachable=delivery.recipient.reachable,
    )
    return None


def edited_text(message: TgMessage) -> str:
    """The relayed text of an edited message: its caption for media, and for a message
    sent as ``/msg @handle text``, the text after the command and the handle."""
    if message.text is None:
        return message.caption or ""
    if not any(
        e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in message.entities or ()
    ):
        return message.text
    words = message.text.split(maxsplit=2)  # "/msg", "@bob", "the text\nkept as is"
    if len(words) > 1 and words[1].startswith("@"):
        return words[2] if len(words) > 2 else ""
    return message.text.split(maxsplit=1)[1] if len(words) > 1 else ""


async def on_edit(update: Update, context: BridgeContext) -> None:
    """An edited message that was relayed — plain, a reply, or sent with /msg — edits the
    stored one (history kept) and the other side's copies follow.

    Registered in a group of its own before the commands (`registry.RELAYED_EDITS`): an
    edit it mirrors stops there, so an edited "/msg @bob …" is never taken for an edited
    command; any other edit goes on to the handlers of group 0."""
    message = update.edited_message
    assert message is not None  # edit_handler's filter: edited messages only
    stored = await context.core.messaging.message_for_copy(
        context.member.id, message.chat_id, message.message_id
    )
    if stored is None or stored.sender_id != context.member.id:
        return  # not a relayed message (an edited command, unrelated text): not ours
    try:
        text = edited_text(message)
        if message.text is not None and text != message.text:  # "/msg @bob #intro": rendered
            conversation = await context.core.messaging.conversation_by_id(
                context.member.id, stored.conversation_id
            )
            other = await context.core.members.get(conversation.other(context.member.id))
            text = await expand(context, other, text, Use.MESSAGE)
        await context.core.messaging.edit(context.member.id, stored.id, text)
    except BridgeError as error:  # answered here: no later group may take the edit up
        await context.reply(update, "errors", "error", code=error.code, p=error.params)
    worker = context.bot_data.get("worker")
    if worker is not None:  # the groups after this one (and their poke) don't run
        worker.poke()
    raise ApplicationHandlerStop


def edit_handler() -> MessageHandler:
    return MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE, on_edit)


async def on_reaction(update: Update, context: BridgeContext) -> None:
    """A reaction on a relayed message (or one's own): stored, mirrored on the other side."""
    change = update.message_reaction
    assert change is not None  # MessageReactionHandler: only updates that carry one
    stored = await context.core.messaging.message_for_copy(
        context.member.id, change.chat.id, change.message_id
    )
    if stored is None:
        return
    emojis = [r.emoji for r in change.new_reaction if isinstance(r, ReactionTypeEmoji)]
    await context.core.messaging.react(context.member.id, stored.id, emojis[-1] if emojis else None)


async def on_profile_message(
    update: Update, context: BridgeContext, data: MessageFromProfile
) -> Toast:
    """💬 Message on a profile card: that conversation is open."""
    view = await context.core.messaging.open(context.member.id, data.member_id)
    await context.reply(update, "relay", "opened", view=view, me=context.member.id)
    return None


COMMANDS = [
    Command("msg", msg),
    Command("open", open_conversation),
    Command("close", close_conversation),
    Command("forward", forward),
]

CONTENT = (
    (filters.TEXT & ~filters.COMMAND)
    | filters.VOICE
    | filters.VIDEO_NOTE
    | filters.PHOTO
    | filters.ANIMATION
    | filters.VIDEO
    | filters.AUDIO
    | filters.Document.ALL
    | filters.Sticker.ALL
)


def handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [  # edits: `edit_handler`, in a group of their own (see `on_edit`)
        MessageHandler(filters.UpdateType.MESSAGE & private & CONTENT, on_message),
        MessageReactionHandler(on_reaction),
        ButtonHandler(MessageFromProfile, on_profile_message),
        ButtonHandler(SendHeld, on_send_held),
        ButtonHandler(UndoSend, on_undo),
    ]
