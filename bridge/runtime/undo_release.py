"""The undo window's clock: every second, the held messages whose window ended are posted
(`UndoWindow.release_due`: what is due lives in the database, so a restart loses nothing and
a window that ended while the bot was down ends at start), their "Sending… Undo" lines
become "Sent to …", and the delivery worker is woken for the recipients."""

from __future__ import annotations

import logging

from telegram.error import TelegramError

from bridge.handlers.context import BridgeContext

log = logging.getLogger(__name__)


async def release_held_messages(context: BridgeContext) -> None:
    core, renderer = context.core, context.renderer
    released = await core.undo.release_due()
    for item in released:
        out = item.outgoing
        if out.confirm_chat_id is None or out.confirm_message_id is None:
            continue  # the confirmation was never shown (a crash right after holding)
        if item.delivery is not None:
            lang = renderer.lang(item.delivery.sender.language)
            seen = item.delivery.recipient_as_seen or core.network.view(
                out.sender_id, item.delivery.recipient
            )
            text = renderer.text(lang, "relay", "released", other=seen)
        else:
            sender = await core.members.get(out.sender_id)
            text = renderer.text(renderer.lang(sender.language), "relay", "not_released")
        try:
            await context.bot.edit_message_text(
                text, chat_id=out.confirm_chat_id, message_id=out.confirm_message_id
            )
        except TelegramError as exc:  # deleted by the user, or already edited: cosmetic
            log.info("could not turn the undo line %s into its outcome: %s", out.id, exc)
    worker = context.bot_data.get("worker")
    if released and worker is not None:
        worker.poke()
