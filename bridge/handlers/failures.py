"""Errors mapped in one place: the core's typed errors become localized answers; anything
else is logged with its traceback, answered briefly and reported to the admins."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bridge.core.errors import BridgeError, NotAdmin
from bridge.handlers.commands import Usage
from bridge.handlers.context import BridgeContext
from bridge.storage import once
from bridge.storage.port import AlreadyApplied, StorageUnavailable

log = logging.getLogger(__name__)


async def on_error(update: object, context: BridgeContext) -> None:
    error = context.error
    if isinstance(error, AlreadyApplied):  # a redelivery: its effect is already there
        log.info("%s: skipped", error)
        raise ApplicationHandlerStop
    if isinstance(error, StorageUnavailable):
        scope = once.current()
        if scope is None:  # a job: it runs again at its next tick
            log.warning("storage unavailable outside an update: %s", error)
            return
        scope.failure = error  # the intake tries the whole update again
        raise ApplicationHandlerStop
    if not isinstance(update, Update):
        log.error("error outside an update", exc_info=error)
        return
    # Error handlers get a fresh context: find the member again for their language.
    user = update.effective_user
    if not context.has_member and user is not None:
        member = await context.core.members.by_telegram_id(user.id)
        if member is not None:
            context.member = member
    if isinstance(error, Usage):
        text = context.t("help", "usage", name=error.command)
    elif isinstance(error, NotAdmin):
        text = context.t("common", "unknown_command")
    elif isinstance(error, BridgeError):
        text = context.t("errors", "error", code=error.code, p=error.params)
    else:
        log.error("unhandled error in update %s", update.update_id, exc_info=error)
        text = context.t("errors", "unexpected")
        await _tell_admins(context, f"{type(error).__name__}: {error}")
    try:
        if update.callback_query is not None:
            # An alert holds at most 200 characters and no HTML.
            plain = html.unescape(_strip_tags(text))
            await update.callback_query.answer(plain[:200], show_alert=True)
        elif update.effective_chat is not None:
            await context.send_html(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not answer the error to the user", exc_info=True)


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text)


async def _tell_admins(context: BridgeContext, summary: str) -> None:
    for admin_id in context.core.deps.admin_telegram_ids:
        try:
            await context.bot.send_message(
                admin_id, f"⚠️ <code>{html.escape(summary[:3000])}</code>",
                parse_mode=ParseMode.HTML,
            )
        except TelegramError:
            log.warning("could not notify admin %s", admin_id)
