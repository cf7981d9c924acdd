"""Invitations: /invite, /invitations, /accept, /decline, /withdraw and their buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bridge.core.models import Invitation
from bridge.core.views import member_view
from bridge.handlers.callbacks import Callback, Op, cb
from bridge.handlers.commands import Command, handle_and_rest, only_handle
from bridge.handlers.context import BridgeContext
from bridge.handlers.keyboards import keyboard
from bridge.handlers.notifications import received_keyboard_for


def received_keyboard(context: BridgeContext, lang: str, invitation: Invitation):
    return received_keyboard_for(context.renderer, lang, invitation)


async def invite(update: Update, context: BridgeContext) -> None:
    """/invite @handle [note]: an invitation with an optional note (≤ 300 characters)."""
    handle, note = handle_and_rest(update, "invite")
    target = await context.core.members.resolve(handle)
    outcome = await context.core.invitations.invite(context.member.id, target.id, note or None)
    view = context.addressed(target)
    await context.reply(update, "invitations", "sent", target=view,
                        accepted_theirs=outcome.accepted_theirs, note=note)


async def list_invitations(update: Update, context: BridgeContext) -> None:
    """/invitations: received ones with Accept/Decline/Reply, sent ones with Withdraw."""
    me = context.member.id
    received = await context.core.invitations.received(me)
    sent = await context.core.invitations.sent(me)
    chat = update.effective_chat.id
    if not received and not sent:
        await context.reply(update, "invitations", "nothing")
        return
    await context.reply(update, "invitations", "summary", received=len(received), sent=len(sent))
    for item in received:
        await context.send_html(chat, context.t("invitations", "received", item=item),
                                received_keyboard(context, context.lang, item.invitation))
    for item in sent:
        await context.send_html(chat, context.t("invitations", "pending", item=item), keyboard(
            [[(context.t("invitations", "button", action="withdraw"),
               cb(Op.INV_WITHDRAW, item.invitation.id))]]))


def _by_command(action: str, result: str):
    """/accept, /decline (their invitation to me) and /withdraw (mine to them) @handle."""

    async def command(update: Update, context: BridgeContext) -> None:
        core, me = context.core, context.member.id
        target = await core.members.resolve(only_handle(update, action))
        mine = action == "withdraw"
        invitation = await core.invitations.pending_from(me if mine else target.id,
                                                         target.id if mine else me)
        await getattr(core.invitations, action)(me, invitation.id)
        await context.reply(update, "invitations", result, other=context.addressed(target))

    command.__doc__ = f"/{action} @handle"
    return command


async def on_button(update: Update, context: BridgeContext) -> None:
    """Accept / Decline / Reply / Withdraw, from an invitation or a profile card.

    The button's id is only a claim: the core checks the presser is the recipient (or
    sender) and that the invitation is still pending; errors answer as an alert."""
    query = update.callback_query
    data = Callback.parse(query.data)
    assert data is not None
    core, me = context.core, context.member.id
    if data.op == Op.PROFILE_INVITE:
        target = await core.members.get(data.arg)
        outcome = await core.invitations.invite(me, target.id, None)
        await query.answer()
        await context.reply(update, "invitations", "sent", target=core.network.view(me, target),
                            accepted_theirs=outcome.accepted_theirs, note="")
        return
    if data.op == Op.PROFILE_ACCEPT:
        invitation = await core.invitations.pending_from(data.arg, me)
        op = Op.INV_ACCEPT
    elif data.op == Op.PROFILE_WITHDRAW:
        invitation = await core.invitations.pending_from(me, data.arg)
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
        other = member_view(other_member, core.network.degree(me, other_id), reveal=True)
        await query.answer()
        await context.reply(update, "invitations", "reply_prompt", other=other)
        return
    # Both sides of an invitation know each other's name (the sender showed theirs).
    other = member_view(other_member, core.network.degree(me, other_id), reveal=True)
    text = context.t("invitations", result, other=other)
    await query.answer(context.plain("invitations", "done", result=result))
    if data.op in (Op.PROFILE_ACCEPT, Op.PROFILE_WITHDRAW):
        await context.send_html(update.effective_chat.id, text)
    else:
        await query.edit_message_reply_markup(None)
        await context.send_html(update.effective_chat.id, text)


COMMANDS = [
    Command("invite", invite),
    Command("invitations", list_invitations),
    Command("accept", _by_command("accept", "accepted")),
    Command("decline", _by_command("decline", "declined")),
    Command("withdraw", _by_command("withdraw", "withdrawn")),
]

_OPS = "|".join([Op.PROFILE_INVITE, Op.INV_ACCEPT, Op.INV_DECLINE, Op.INV_REPLY, Op.INV_WITHDRAW,
                 Op.PROFILE_ACCEPT, Op.PROFILE_WITHDRAW])


def handlers() -> list:
    return [CallbackQueryHandler(on_button, pattern=rf"^({_OPS}):")]
