"""The bot's `Application`: python-telegram-bot's, with two guarantees around each update.

* **One chat at a time.** An update is handled while holding its user's chat lock, and the
  delivery worker holds the recipient's while it plans and sends a notification. So a
  notification is checked and sent either wholly before or wholly after an update of that
  member: it never says something the member's own action has just made untrue (both
  members invited each other at once: the one connected is not shown "Invitation from …"
  after "you are now connected").
* **Every button answered exactly once.** Telegram refuses a second answer to a callback
  query ("query is too old"), and a button left unanswered spins. A button's handler
  returns its toast and `button_handler.ButtonHandler` answers with it (or the error
  handler answers an error as an alert); a second answer is dropped here; and once the
  handlers (and the error handler) are done, a query nobody answered gets an empty answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import Application

log = logging.getLogger(__name__)


class ChatBusy(Exception):
    """The chat's lock was not free within the time asked."""


class ChatLocks:
    """One `asyncio.Lock` per chat, created on first use and dropped when nobody holds or
    waits for it (so memory follows the chats active right now, not all chats ever)."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int | None, timeout: float | None = None) -> AsyncIterator[None]:
        """Hold the chat's lock; with `timeout`, raise `ChatBusy` if it is not free by then
        (the delivery worker goes on with other chats rather than wait for a slow one)."""
        if chat_id is None:
            yield
            return
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            try:
                await asyncio.wait_for(lock.acquire(), timeout)
            except TimeoutError:
                raise ChatBusy(chat_id) from None
            try:
                yield
            finally:
                lock.release()
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:
                del self._users[chat_id]
                del self._locks[chat_id]

    @property
    def active(self) -> int:
        """How many chats have a lock right now (held or awaited)."""
        return len(self._locks)


class OnceCallbackQuery(CallbackQuery):
    """A callback query that reaches Telegram's `answerCallbackQuery` at most once."""

    __slots__ = ("_answered",)

    @property
    def answered(self) -> bool:
        return getattr(self, "_answered", False)

    async def answer(self, *args: Any, **kwargs: Any) -> bool:
        if self.answered:
            log.debug("callback query %s already answered: not again", self.id)
            return True
        # Marked before the call: if Telegram's answer is lost, a retry would be refused.
        object.__setattr__(self, "_answered", True)
        return await super().answer(*args, **kwargs)


def answer_once(update: Update) -> Update:
    """The same update, its callback query answerable once (Telegram objects are frozen)."""
    query = update.callback_query
    if query is None or isinstance(query, OnceCallbackQuery):
        return update
    once = OnceCallbackQuery.de_json(query.to_dict(), query.get_bot())
    return Update(update.update_id, callback_query=once)


class BridgeApplication(Application):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chat_locks = ChatLocks()

    async def process_update(self, update: object) -> None:
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        update = answer_once(update)
        user = update.effective_user
        async with self.chat_locks.hold(user.id if user is not None else None):
            await super().process_update(update)
            query = update.callback_query
            if isinstance(query, OnceCallbackQuery) and not query.answered:
                try:
                    await query.answer()
                except TelegramError as exc:
                    log.warning("could not answer callback query %s: %s", query.id, exc)
