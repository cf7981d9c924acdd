"""One handler per kind of button, registered by its class, and the one place that answers.

`ButtonHandler(AcceptInvitation, on_accept)` takes the presses whose data parses as an
`AcceptInvitation`, calls ``on_accept(update, context, data)`` with the parsed data, and
answers the callback query with what the handler returns: a short toast, or None for an
empty answer. A handler that raises instead leaves the answer to the error handler, which
shows the error as an alert. So every press is answered exactly once, by the structure, not
by each handler remembering to (`application.OnceCallbackQuery` drops any second answer, and
the application answers a query nobody answered).

Pages change by editing the pressed message: `edit_in_place` and `drop_buttons` take
Telegram's "message is not modified" (a double tap, a page already shown) as the success it is.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar, cast

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler

from bridge.handlers.buttons import Button
from bridge.handlers.context import BridgeContext

log = logging.getLogger(__name__)

ANSWER_MAX = 200  # what Telegram shows of a callback answer

B = TypeVar("B", bound=Button)
Toast = str | None
OnPress = Callable[[Update, BridgeContext, B], Awaitable[Toast]]


class ButtonHandler(CallbackQueryHandler[BridgeContext, Toast], Generic[B]):
    """Handles one kind of button (see the module docstring)."""

    def __init__(self, button: type[B], on_press: OnPress[B]) -> None:
        super().__init__(on_press)  # type: ignore[arg-type]  # called with the data too
        self.button = button
        self.on_press = on_press

    def check_update(self, update: object) -> B | None:
        if not isinstance(update, Update) or update.callback_query is None:
            return None
        return self.button.parse(update.callback_query.data)

    async def handle_update(
        self,
        update: Update,
        application: Application[Any, Any, Any, Any, Any, Any],
        check_result: object,
        context: BridgeContext,
    ) -> Toast:
        data = cast(B, check_result)  # what `check_update` parsed
        toast = await self.on_press(update, context, data)
        query = update.callback_query
        assert query is not None  # check_update saw it
        try:
            await query.answer(toast[:ANSWER_MAX] if toast else None)
        except TelegramError as exc:  # the action is done; only its toast is lost
            log.warning("could not answer callback query %s: %s", query.id, exc)
        return toast


def not_modified(exc: BadRequest) -> bool:
    """Telegram refused an edit because the message already shows exactly that."""
    return "not modified" in exc.message.lower()


def _pressed(update: Update) -> CallbackQuery:
    query = update.callback_query
    if query is None:
        raise TypeError("not a button press")
    return query


async def edit_in_place(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Show `text` (and `markup`, or no buttons) in the message whose button was pressed."""
    query = _pressed(update)
    try:
        await query.edit_message_text(text, reply_markup=markup, disable_web_page_preview=True)
    except BadRequest as exc:
        if not not_modified(exc):
            raise


async def drop_buttons(update: Update) -> None:
    """Take the buttons off the pressed message (they have done their work)."""
    query = _pressed(update)
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:
        if not not_modified(exc):
            raise
