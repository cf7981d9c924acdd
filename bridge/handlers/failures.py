"""Errors mapped in one place: the core's typed errors become localized answers; anything
else is logged with its traceback, answered briefly and reported to the admins.

Telegram's own accidents are not the member's business: "message is not modified" means
the message already shows what we wanted (a double tap); a 429 / 5xx / time-out reaching
here hit a reply after the action had committed (replies are retried first), so telling
the member "try again" would make them do it twice. Both are logged, nobody is told.
A button already answered is never answered again (Telegram would refuse it): the error
then goes to the chat."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ApplicationHandlerStop

from bridge.core.errors import BridgeError, NotAdmin
from bridge.handlers.commands import Usage
from bridge.handlers.context import BridgeContext
from bridge.runtime.application import OnceCallbackQuery
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
    if isinstance(error, BadRequest) and "not modified" in error.message.lower():
        log.debug("update %s: the message already showed that", update.update_id)
        return
    if isinstance(error, RetryAfter | TimedOut) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    ):
        log.warning(
            "update %s: Telegram failed a reply after the action (%s: %s)",
            update.update_id,
            type(error).__name__,
            error,
        )
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
    query = update.callback_query
    answered = isinstance(query, OnceCallbackQuery) and query.answered
    try:
        if query is not None and not answered:
            # An alert holds at most 200 characters and no HTML.
            plain = html.unescape(_strip_tags(text))
            await query.answer(plain[:200], show_alert=True)
        elif update.effective_chat is not None:
            await context.send_html(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not answer the error to the user", exc_info=True)


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text)


async def _tell_admins(context: BridgeContext, summary: str) -> None:
    for admin_id in context.core.members.admin_telegram_ids():
        try:
            await context.bot.send_message(
                admin_id, f"⚠️ <code>{html.escape(summary[:3000])}</code>"
            )
        except TelegramError:
            log.warning("could not notify admin %s", admin_id)
