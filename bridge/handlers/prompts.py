"""Answers to the bot's questions: when a member was asked for a text (an invitation's note,
a profile field, an InMail from a profile card, a request for an introduction), their next
plain text message is that answer — once.

The question lives in the database (`bridge.core.prompts`), so it survives a restart; the
answer's use case ends it in the same transaction as its effect, so a refused answer (too
long, empty) leaves the question standing, and a storage failure leaves it for the update's
next try."""

from __future__ import annotations

from telegram import Update

from bridge.core import errors
from bridge.core.prompts import Prompt, PromptKind
from bridge.handlers.campaigns import create_answering
from bridge.handlers.commands import Usage
from bridge.handlers.context import BridgeContext
from bridge.handlers.inmail import send_drafted
from bridge.handlers.introductions import send_request
from bridge.handlers.invitations import send_with_note
from bridge.handlers.settings import set_auto_reply_text

# Refusals of a note or a field itself: the question stands, a better answer can follow. An
# InMail's draft ends with any refusal, as it always has (/inmail writes another).
_RETRY = (
    errors.NoteTooLong,
    errors.ProfileFieldTooLong,
    errors.EmptyMessage,
    errors.MessageTooLong,  # an automatic reply's
    errors.HandleLength,
    errors.HandleCharacters,
    errors.HandleReserved,
    errors.HandleTaken,
    errors.ContactNoteTooLong,
    errors.IntroductionNoteTooLong,
    errors.CampaignSpecInvalid,
)


async def answer_prompt(update: Update, context: BridgeContext, text: str) -> bool:
    """Use `text` as the answer the member owes, if any; False when nothing was asked."""
    if context.member.awaiting is None:  # read with the member: no query for most texts
        return False
    core, me = context.core, context.member.id
    prompt = Prompt.decode(context.member.awaiting)
    if prompt is None:  # unreadable (an older version's): no question after all
        await core.prompts.cancel(me)
        return False
    try:
        if prompt.kind == PromptKind.NOTE:
            await send_with_note(update, context, prompt, text)
        elif prompt.kind == PromptKind.INMAIL:
            await send_drafted(update, context, prompt, text)
        elif prompt.kind == PromptKind.AUTO_REPLY:
            await set_auto_reply_text(update, context, prompt, text)
        elif prompt.kind == PromptKind.HANDLE:
            member = await core.members.choose_handle(me, text, answering=prompt)
            await context.reply(update, "profile", "handle_set", member=member)
        elif prompt.kind == PromptKind.CONTACT_NOTE:
            saved = await core.contacts.set_note(me, prompt.target_id, text, answering=prompt)
            await context.reply(update, "contacts", "note_saved", n=saved)
        elif prompt.kind == PromptKind.INTRODUCTION:
            await send_request(update, context, prompt, text)
        elif prompt.kind in (PromptKind.CAMPAIGN, PromptKind.CAMPAIGN_LIST):
            await create_answering(update, context, prompt, text)
        else:
            member = await core.members.edit_profile(me, prompt.arg, text, answering=prompt)
            await context.reply(update, "profile", "edited", field=prompt.arg, member=member)
    except (errors.BridgeError, Usage) as refusal:
        if prompt.kind == PromptKind.INMAIL or not isinstance(refusal, _RETRY):
            await core.prompts.cancel(me)  # refused for good: the question ends here
        raise
    return True
