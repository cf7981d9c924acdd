"""Invitations: /invite, /invitations, /accept, /decline, /withdraw and their buttons, and
the profile card's Invite button ("Add a note?")."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bridge.core.message_templates import Use
from bridge.core.models import Invitation, InvitationAnswer, InvitationStatus
from bridge.core.prompts import Prompt
from bridge.handlers.button_handler import ButtonHandler, Toast, drop_buttons, edit_in_place
from bridge.handlers.buttons import (
    AcceptFromProfile,
    AcceptInvitation,
    AcceptWithReply,
    DeclineInvitation,
    InviteFromProfile,
    ReplyToInvitation,
    SendInvitation,
    WithdrawFromProfile,
    WithdrawInvitation,
    WriteNote,
)
from bridge.handlers.commands import Command, handle_and_rest, only_handle
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import keyboard
from bridge.handlers.message_templates import expand
from bridge.runtime.notifications import received_keyboard_for

log = logging.getLogger(__name__)


def received_keyboard(context: BridgeContext, lang: str, invitation: Invitation):
    return received_keyboard_for(context.renderer, lang, invitation)


async def invite(update: Update, context: BridgeContext) -> None:
    """/invite @handle [note]: an invitation with an optional note (≤ 300 characters)."""
    handle, note = handle_and_rest(update, "invite")
    target = await context.core.members.resolve(handle)
    note = await expand(context, target, note, Use.INVITE)
    outcome = await context.core.invitations.invite(context.member.id, target.id, note or None)
    if outcome.settled is not None:  # their invitation's message shows it was accepted
        await settle(context, outcome.settled)
    await context.reply(
        update,
        "invitations",
        "sent",
        target=context.addressed(target),
        accepted_theirs=outcome.accepted_theirs,
        note=note,
        allowance=outcome.allowance,
    )


async def send_with_note(update: Update, context: BridgeContext, prompt: Prompt, note: str) -> None:
    """The answer to "Write a note": the invitation goes, with it (and the question ends
    with it, in one transaction)."""
    outcome = await context.core.invitations.invite(
        context.member.id, prompt.target_id, note, answering=prompt
    )
    if outcome.settled is not None:
        await settle(context, outcome.settled)
    await context.reply(
        update,
        "invitations",
        "sent",
        target=outcome.target,
        accepted_theirs=outcome.accepted_theirs,
        note=note,
        allowance=outcome.allowance,
    )


async def list_invitations(update: Update, context: BridgeContext) -> None:
    """/invitations: received ones with Accept/Decline/Reply, sent ones with Withdraw."""
    core, me = context.core, context.member.id
    received = await core.invitations.received(me)
    sent = await core.invitations.sent(me)
    chat = chat_id_of(update)
    if not received and not sent:
        await context.reply(update, "invitations", "nothing")
        return
    await context.reply(update, "invitations", "summary", received=len(received), sent=len(sent))
    for item in received:
        shown = await context.send_html(
            chat,
            context.t("invitations", "received", item=item),
            received_keyboard(context, context.lang, item.invitation),
        )
        await core.invitations.record_copies(item.invitation.id, me, [(chat, shown[-1].message_id)])
    for item in sent:
        shown = await context.send_html(
            chat,
            context.t("invitations", "pending", item=item),
            keyboard(
                [
                    [
                        (
                            context.t("invitations", "button", action="withdraw"),
                            WithdrawInvitation(invitation_id=item.invitation.id),
                        )
                    ]
                ]
            ),
        )
        await core.invitations.record_copies(item.invitation.id, me, [(chat, shown[-1].message_id)])


def _by_command(result: InvitationStatus):
    """/accept, /decline (their invitation to me) and /withdraw (mine to them) @handle."""
    action = {
        InvitationStatus.ACCEPTED: "accept",
        InvitationStatus.DECLINED: "decline",
        InvitationStatus.WITHDRAWN: "withdraw",
    }[result]

    async def command(update: Update, context: BridgeContext) -> None:
        target = await context.core.members.resolve(only_handle(update, action))
        answer = await context.core.invitations.answer(
            context.member.id, result, other_id=target.id
        )
        await settle(context, answer)
        await context.reply(update, "invitations", result.value, other=context.addressed(target))

    command.__doc__ = f"/{action} @handle"
    return command


async def settle(
    context: BridgeContext, answer: InvitationAnswer, also: tuple[int, int] | None = None
) -> None:
    """Every message showing the invitation to the member now shows its outcome, without
    its buttons (answered by command, by button, or from the profile card). Best effort: a
    message Telegram no longer lets us edit stays as it was."""
    me = context.member.id
    text = context.t(
        "invitations",
        "settled",
        item=answer.item,
        result=answer.result.value,
        mine=answer.item.invitation.sender_id == me,
    )
    targets = [tuple(copy) for copy in answer.copies]
    if also is not None and also not in targets:
        targets.append(also)
    for chat_id, message_id in targets:
        try:
            await context.bot.edit_message_text(
                text, chat_id, message_id, reply_markup=None, disable_web_page_preview=True
            )
        except TelegramError as exc:  # too old, deleted, or already showing it
            log.info("invitation message %s not settled: %s", message_id, exc)


async def _answered(
    update: Update, context: BridgeContext, answer: InvitationAnswer, in_pressed_message: bool
) -> Toast:
    """After an answer by button: the invitation's messages (and the pressed one, unless it
    is a profile card) show the outcome, and a line says what it means."""
    message = update.effective_message
    pressed = (
        (message.chat_id, message.message_id)
        if in_pressed_message and message is not None
        else None
    )
    await settle(context, answer, also=pressed)
    await context.reply(update, "invitations", answer.result.value, other=answer.item.other)
    return context.plain("invitations", "done", result=answer.result.value)


async def on_accept(update: Update, context: BridgeContext, data: AcceptInvitation) -> Toast:
    """✅ Accept under an invitation: connected; its messages now say "accepted".

    The button's id is only a claim: the core checks the presser is the recipient and the
    invitation still pending; a refusal is answered as an alert."""
    answer = await context.core.invitations.answer(
        context.member.id, InvitationStatus.ACCEPTED, data.invitation_id
    )
    return await _answered(update, context, answer, in_pressed_message=True)


async def on_accept_with_reply(
    update: Update, context: BridgeContext, data: AcceptWithReply
) -> Toast:
    """A quick-reply chip: accepted, and the chip's words (in the member's language) sent
    as the first message, in one transaction; a second tap is told it was answered."""
    words = context.plain("invitations", "chip_words", chip=data.chip.value)
    answer = await context.core.invitations.answer(
        context.member.id, InvitationStatus.ACCEPTED, data.invitation_id, reply=words
    )
    return await _answered(update, context, answer, in_pressed_message=True)


async def on_decline(update: Update, context: BridgeContext, data: DeclineInvitation) -> Toast:
    """✖️ Decline: declined, silently; its messages now say so."""
    answer = await context.core.invitations.answer(
        context.member.id, InvitationStatus.DECLINED, data.invitation_id
    )
    return await _answered(update, context, answer, in_pressed_message=True)


async def on_withdraw(update: Update, context: BridgeContext, data: WithdrawInvitation) -> Toast:
    """↩️ Withdraw under one's own invitation (in /invitations): withdrawn."""
    answer = await context.core.invitations.answer(
        context.member.id, InvitationStatus.WITHDRAWN, data.invitation_id
    )
    return await _answered(update, context, answer, in_pressed_message=True)


async def on_accept_from_profile(
    update: Update, context: BridgeContext, data: AcceptFromProfile
) -> Toast:
    """✅ Accept on the inviter's profile card: connected (the card stays as it is)."""
    answer = await context.core.invitations.answer(
        context.member.id, InvitationStatus.ACCEPTED, other_id=data.member_id
    )
    return await _answered(update, context, answer, in_pressed_message=False)


async def on_withdraw_from_profile(
    update: Update, context: BridgeContext, data: WithdrawFromProfile
) -> Toast:
    """↩️ Withdraw on the invited member's profile card: withdrawn."""
    answer = await context.core.invitations.answer(
        context.member.id, InvitationStatus.WITHDRAWN, other_id=data.member_id
    )
    return await _answered(update, context, answer, in_pressed_message=False)


async def on_reply(update: Update, context: BridgeContext, data: ReplyToInvitation) -> Toast:
    """💬 Reply: "Write your reply to …": the invitation's thread is the open conversation,
    the invitation still unanswered."""
    other = await context.core.messaging.reply_to_invitation(context.member.id, data.invitation_id)
    await context.reply(update, "invitations", "reply_prompt", other=other)
    return None


async def on_invite_from_profile(
    update: Update, context: BridgeContext, data: InviteFromProfile
) -> Toast:
    """🤝 Invite on a profile card: "Add a note?", once the invitation is known to be
    possible, with [Send without a note] and [Write a note]."""
    target = await context.core.invitations.check(context.member.id, data.member_id)
    if await context.core.invitations.note_required(data.member_id):
        asked = await context.core.prompts.ask_note(context.member.id, data.member_id)
        await context.reply(
            update, "invitations", "write_required_note", target=asked.target, limit=asked.limit
        )
        return None
    t = context.t
    await context.reply(
        update,
        "invitations",
        "ask_note",
        target=target,
        keyboard=keyboard(
            [
                [
                    (
                        t("invitations", "note_button", action="send"),
                        SendInvitation(member_id=data.member_id),
                    ),
                    (
                        t("invitations", "note_button", action="write"),
                        WriteNote(member_id=data.member_id),
                    ),
                ]
            ]
        ),
    )
    return None


async def on_send_invitation(update: Update, context: BridgeContext, data: SendInvitation) -> Toast:
    """📨 Send without a note: the question becomes "Invitation sent to …"."""
    outcome = await context.core.invitations.invite(context.member.id, data.member_id, None)
    if outcome.settled is not None:
        await settle(context, outcome.settled)
    await edit_in_place(
        update,
        context.t(
            "invitations",
            "sent",
            target=outcome.target,
            accepted_theirs=outcome.accepted_theirs,
            note="",
            allowance=outcome.allowance,
        ),
    )
    return None


async def on_write_note(update: Update, context: BridgeContext, data: WriteNote) -> Toast:
    """✍️ Write a note: "Write your note to … (up to 300 characters)"; the next text is it."""
    asked = await context.core.prompts.ask_note(context.member.id, data.member_id)
    await drop_buttons(update)
    await context.reply(update, "invitations", "write_note", target=asked.target, limit=asked.limit)
    return None


COMMANDS = [
    Command("invite", invite),
    Command("invitations", list_invitations),
    Command("accept", _by_command(InvitationStatus.ACCEPTED)),
    Command("decline", _by_command(InvitationStatus.DECLINED)),
    Command("withdraw", _by_command(InvitationStatus.WITHDRAWN)),
]


def handlers() -> list:
    return [
        ButtonHandler(AcceptInvitation, on_accept),
        ButtonHandler(AcceptWithReply, on_accept_with_reply),
        ButtonHandler(DeclineInvitation, on_decline),
        ButtonHandler(WithdrawInvitation, on_withdraw),
        ButtonHandler(ReplyToInvitation, on_reply),
        ButtonHandler(AcceptFromProfile, on_accept_from_profile),
        ButtonHandler(WithdrawFromProfile, on_withdraw_from_profile),
        ButtonHandler(InviteFromProfile, on_invite_from_profile),
        ButtonHandler(SendInvitation, on_send_invitation),
        ButtonHandler(WriteNote, on_write_note),
    ]
