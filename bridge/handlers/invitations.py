"""Invitations: /invite, /invitations, /accept, /decline, /withdraw and their buttons, and
the profile card's Invite button ("Add a note?")."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bridge.core.models import Invitation
from bridge.core.prompts import Prompt
from bridge.handlers.callbacks import Callback, Op, cb
from bridge.handlers.commands import Command, handle_and_rest, only_handle
from bridge.handlers.context import BridgeContext
from bridge.handlers.keyboards import keyboard
from bridge.handlers.notifications import received_keyboard_for

log = logging.getLogger(__name__)


def received_keyboard(context: BridgeContext, lang: str, invitation: Invitation):
    return received_keyboard_for(context.renderer, lang, invitation)


async def invite(update: Update, context: BridgeContext) -> None:
    """/invite @handle [note]: an invitation with an optional note (≤ 300 characters)."""
    handle, note = handle_and_rest(update, "invite")
    target = await context.core.members.resolve(handle)
    outcome = await context.core.invitations.invite(context.member.id, target.id, note or None)
    if outcome.accepted_theirs:  # their invitation's message shows it was accepted
        await settle(context, outcome.invitation.id, "accepted")
    view = context.addressed(target)
    await context.reply(update, "invitations", "sent", target=view,
                        accepted_theirs=outcome.accepted_theirs, note=note)


async def send_with_note(update: Update, context: BridgeContext, prompt: Prompt,
                         note: str) -> None:
    """The answer to "Write a note": the invitation goes, with it (and the question ends
    with it, in one transaction)."""
    core, me = context.core, context.member.id
    outcome = await core.invitations.invite(me, prompt.target_id, note, answering=prompt)
    if outcome.accepted_theirs:
        await settle(context, outcome.invitation.id, "accepted")
    target = await core.members.get(prompt.target_id)
    await context.reply(update, "invitations", "sent", target=core.network.view(me, target),
                        accepted_theirs=outcome.accepted_theirs, note=note)


async def list_invitations(update: Update, context: BridgeContext) -> None:
    """/invitations: received ones with Accept/Decline/Reply, sent ones with Withdraw."""
    core, me = context.core, context.member.id
    received = await core.invitations.received(me)
    sent = await core.invitations.sent(me)
    chat = update.effective_chat.id
    if not received and not sent:
        await context.reply(update, "invitations", "nothing")
        return
    await context.reply(update, "invitations", "summary", received=len(received), sent=len(sent))
    for item in received:
        shown = await context.send_html(chat, context.t("invitations", "received", item=item),
                                        received_keyboard(context, context.lang,
                                                          item.invitation))
        await core.invitations.record_copies(item.invitation.id, me,
                                             [(chat, shown[-1].message_id)])
    for item in sent:
        shown = await context.send_html(
            chat, context.t("invitations", "pending", item=item),
            keyboard([[(context.t("invitations", "button", action="withdraw"),
                        cb(Op.INV_WITHDRAW, item.invitation.id))]]))
        await core.invitations.record_copies(item.invitation.id, me,
                                             [(chat, shown[-1].message_id)])


def _by_command(action: str, result: str):
    """/accept, /decline (their invitation to me) and /withdraw (mine to them) @handle."""

    async def command(update: Update, context: BridgeContext) -> None:
        core, me = context.core, context.member.id
        target = await core.members.resolve(only_handle(update, action))
        if action == "withdraw":
            invitation = await core.invitations.sent_to(me, target.id)
        else:
            invitation = await core.invitations.to_answer(me, target.id)
        await getattr(core.invitations, action)(me, invitation.id)
        await settle(context, invitation.id, result)
        await context.reply(update, "invitations", result, other=context.addressed(target))

    command.__doc__ = f"/{action} @handle"
    return command


async def settle(context: BridgeContext, invitation_id: int, result: str,
                 also: tuple[int, int] | None = None) -> None:
    """Every message showing the invitation to the member now shows its outcome, without
    its buttons (answered by command, by button, or from the profile card). Best effort: a
    message Telegram no longer lets us edit stays as it was."""
    core, me = context.core, context.member.id
    item = await core.invitations.view(me, invitation_id)
    text = context.t("invitations", "settled", item=item, result=result,
                     mine=item.invitation.sender_id == me)
    targets = await core.invitations.copies(me, invitation_id)
    if also is not None and also not in targets:
        targets.append(also)
    for chat_id, message_id in targets:
        try:
            await context.bot.edit_message_text(text, chat_id, message_id,
                                                parse_mode=ParseMode.HTML, reply_markup=None,
                                                disable_web_page_preview=True)
        except TelegramError as exc:  # too old, deleted, or already showing it
            log.info("invitation message %s not settled: %s", message_id, exc)


async def _ask_for_note(update: Update, context: BridgeContext, target_id: int) -> None:
    """The profile card's Invite: check it can go, then ask whether to add a note."""
    core, me = context.core, context.member.id
    target = await core.members.get(target_id)
    await core.invitations.check(me, target.id)
    await update.callback_query.answer()
    t = context.t
    await context.reply(update, "invitations", "ask_note", target=core.network.view(me, target),
                        keyboard=keyboard([[
                            (t("invitations", "note_button", action="send"),
                             cb(Op.INVITE_SEND, target.id)),
                            (t("invitations", "note_button", action="write"),
                             cb(Op.INVITE_NOTE, target.id))]]))


async def _answer_note_question(update: Update, context: BridgeContext,
                                data: Callback) -> None:
    """[Send without a note] sends now; [Write a note] makes the next text the note."""
    query = update.callback_query
    core, me = context.core, context.member.id
    target = await core.members.get(data.arg)
    view = core.network.view(me, target)
    if data.op == Op.INVITE_SEND:
        outcome = await core.invitations.invite(me, target.id, None)
        if outcome.accepted_theirs:
            await settle(context, outcome.invitation.id, "accepted")
        text = context.t("invitations", "sent", target=view,
                         accepted_theirs=outcome.accepted_theirs, note="")
        await query.answer()
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=None)
        return
    await core.invitations.check(me, target.id)
    await core.prompts.ask_note(me, target.id)  # one question at a time: it replaces any
    await query.answer()
    await query.edit_message_reply_markup(None)
    await context.reply(update, "invitations", "write_note", target=view,
                        limit=core.deps.rules.note_max)


async def on_button(update: Update, context: BridgeContext) -> None:
    """Accept / Decline / Reply / Withdraw, from an invitation or a profile card.

    The button's id is only a claim: the core checks the presser is the recipient (or
    sender) and that the invitation is still pending; errors answer as an alert."""
    query = update.callback_query
    data = Callback.parse(query.data)
    assert data is not None
    core, me = context.core, context.member.id
    if data.op == Op.PROFILE_INVITE:
        await _ask_for_note(update, context, data.arg)
        return
    if data.op in (Op.INVITE_SEND, Op.INVITE_NOTE):
        await _answer_note_question(update, context, data)
        return
    if data.op == Op.PROFILE_ACCEPT:
        invitation = await core.invitations.to_answer(me, data.arg)
        op = Op.INV_ACCEPT
    elif data.op == Op.PROFILE_WITHDRAW:
        invitation = await core.invitations.sent_to(me, data.arg)
        op = Op.INV_WITHDRAW
    else:
        invitation = await core.invitations.get_for(me, data.arg)
        op = data.op
    other_id = invitation.sender_id if invitation.recipient_id == me else invitation.recipient_id
    other_member = await core.members.get(other_id)
    if op == Op.INV_ACCEPT:
        await core.invitations.accept(me, invitation.id)
        result = "accepted"
    elif op == Op.INV_DECLINE:
        await core.invitations.decline(me, invitation.id)
        result = "declined"
    elif op == Op.INV_WITHDRAW:
        await core.invitations.withdraw(me, invitation.id)
        result = "withdrawn"
    else:  # reply without accepting: make the invitation's thread the open conversation
        await core.messaging.open(me, other_id)
        other = core.invitations.counterpart(me, invitation, other_member)
        await query.answer()
        await context.reply(update, "invitations", "reply_prompt", other=other)
        return
    other = core.invitations.counterpart(me, invitation, other_member)
    text = context.t("invitations", result, other=other)
    await query.answer(context.plain("invitations", "done", result=result))
    pressed = None
    if data.op not in (Op.PROFILE_ACCEPT, Op.PROFILE_WITHDRAW) and query.message is not None:
        pressed = (query.message.chat.id, query.message.message_id)
    await settle(context, invitation.id, result, also=pressed)
    await context.send_html(update.effective_chat.id, text)


COMMANDS = [
    Command("invite", invite),
    Command("invitations", list_invitations),
    Command("accept", _by_command("accept", "accepted")),
    Command("decline", _by_command("decline", "declined")),
    Command("withdraw", _by_command("withdraw", "withdrawn")),
]

_OPS = "|".join([Op.PROFILE_INVITE, Op.INV_ACCEPT, Op.INV_DECLINE, Op.INV_REPLY, Op.INV_WITHDRAW,
                 Op.PROFILE_ACCEPT, Op.PROFILE_WITHDRAW, Op.INVITE_SEND, Op.INVITE_NOTE])


def handlers() -> list:
    return [CallbackQueryHandler(on_button, pattern=rf"^({_OPS}):")]
