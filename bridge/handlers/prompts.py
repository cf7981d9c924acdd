"""Answers to the bot's questions: when a member was asked for a text (an invitation's note,
a profile field), their next plain text message is that answer — once.

The question lives in the database (`bridge.core.prompts`), so it survives a restart."""

from __future__ import annotations

from telegram import Update

from bridge.core import errors
from bridge.core.prompts import PromptKind
from bridge.handlers.context import BridgeContext

# Refusals of the text itself: the question stands, the member can send a better answer.
_RETRY = (errors.NoteTooLong, errors.ProfileFieldTooLong, errors.EmptyMessage)


async def answer_prompt(update: Update, context: BridgeContext, text: str) -> bool:
    """Use `text` as the answer the member owes, if any; False when nothing was asked."""
    if context.member.awaiting is None:  # read with the member: no query for most texts
        return False
    core, me = context.core, context.member.id
    prompt = await core.prompts.take(me)
    if prompt is None:
        return False
    try:
        if prompt.kind == PromptKind.NOTE:
            from bridge.handlers.invitations import send_with_note

            await send_with_note(update, context, prompt.target_id, text)
        else:
            member = await core.members.edit_profile(me, prompt.arg, text)
            await context.reply(update, "profile", "edited", field=prompt.arg, member=member)
    except _RETRY:
        await core.prompts.restore(me, prompt)
        raise
    return True
