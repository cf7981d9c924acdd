"""Who is this update from, in which language: resolved once per update (group -2)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus

from bridge.core.members import normalize_language
from bridge.core.models import NewMember
from bridge.core.updates import arrival_of
from bridge.handlers.context import BridgeContext
from bridge.storage import once


async def identify(update: Update, context: BridgeContext) -> None:
    """Register the Telegram user as a member on first contact, refresh their names."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    core = context.core
    # Read with the update's arrival by the intake (one statement for both), else now.
    arrival = arrival_of(user.id)
    member = arrival.member if arrival is not None else await core.members.by_telegram_id(user.id)
    if member is None or (member.first_name, member.last_name, member.username) != (
        user.first_name,
        user.last_name or "",
        user.username,
    ):
        language = normalize_language(user.language_code, context.renderer.default_language)
        # Idempotent (the same update registers the same member): not the update's effect.
        with once.unrecorded():
            member, context.newcomer = await core.members.register(
                NewMember(
                    telegram_id=user.id,
                    first_name=user.first_name,
                    last_name=user.last_name or "",
                    username=user.username,
                    language=language,
                )
            )
    context.member = member
    if update.my_chat_member is None:  # blocking the bot is no sign of life
        # Any update from the member is a sign of life: what was held for them (they
        # seemed unreachable; their settings held it) is planned again now.
        await core.outbox.member_active(member, waiting=arrival.waiting if arrival else None)


async def chat_member_changed(update: Update, context: BridgeContext) -> None:
    """The user blocked or unblocked the bot: hold or resume what they are owed."""
    change = update.my_chat_member
    if change is None or not context.has_member:
        return
    status = change.new_chat_member.status
    if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        await context.core.outbox.member_unreachable(context.member.id)
    elif status == ChatMemberStatus.MEMBER:
        await context.core.outbox.member_back(context.member.id)
