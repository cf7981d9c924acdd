"""A typed `CallbackContext`: the core, the renderer and the acting member, resolved once
per update by `identity.identify` (group -2) so handlers receive them ready to use."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, CallbackContext, ExtBot

from bridge.core.app import Core
from bridge.core.models import Member, MemberView
from bridge.runtime.render import Renderer, split_html
from bridge.runtime.waiting import retry_after_seconds

log = logging.getLogger(__name__)

# A reply comes after the action it answers has committed: when Telegram answers 429 or
# 5xx, the reply is tried again (waiting as long as told, within reason) rather than the
# member being told that an action which succeeded failed.
REPLY_ATTEMPTS = 4
REPLY_MAX_WAIT = 10.0  # seconds: a longer retry_after gives up (the error is logged)
RECEIPT = "👌"  # the reaction that says "sent" (one of Telegram's reaction emojis)
T = TypeVar("T")


async def send_retrying(bot: ExtBot, chat_id: int, text: str, **kwargs: Any) -> Message:
    """`send_message`, retried on 429 (after `retry_after`) and on 5xx / connection errors
    (short back-off). Not on a time-out: Telegram may have sent it, and a repeat is worse
    than a confirmation lost. Not on 400/403: those are answers, not accidents."""
    return await retrying(lambda: bot.send_message(chat_id, text, **kwargs), chat_id)


async def retrying(call: Callable[[], Awaitable[T]], chat_id: int) -> T:
    """A call answering the member (text, photo, reaction: see `send_retrying`), retried as
    `send_retrying` says."""
    for attempt in range(1, REPLY_ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            if attempt == REPLY_ATTEMPTS or wait > REPLY_MAX_WAIT:
                raise
        except (BadRequest, TimedOut):
            raise
        except NetworkError:
            if attempt == REPLY_ATTEMPTS:
                raise
            wait = 0.5 * 2 ** (attempt - 1)
        log.info("reply to chat %s failed transiently; retry %d in %.1fs", chat_id, attempt, wait)
        await asyncio.sleep(wait)
    raise AssertionError("unreachable")


def chat_id_of(update: Update) -> int:
    """The chat an update happened in. Every handler that answers one is registered for
    private-chat messages or for buttons under the bot's own messages, which always have a
    chat: none means a handler was registered for an update it can't answer."""
    chat = update.effective_chat
    if chat is None:
        raise TypeError(f"update {update.update_id} has no chat")
    return chat.id


def message_of(update: Update) -> Message:
    """The message an update carries (new, edited, or the one under a pressed button);
    registered by message filters, a handler always has one."""
    message = update.effective_message
    if message is None:
        raise TypeError(f"update {update.update_id} has no message")
    return message


class BridgeContext(CallbackContext[ExtBot, dict, dict, dict]):
    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._member: Member | None = None
        self.newcomer = False  # this update registered the member (identify)

    @property
    def core(self) -> Core:
        return self.bot_data["core"]

    @property
    def renderer(self) -> Renderer:
        return self.bot_data["renderer"]

    @property
    def member(self) -> Member:
        if self._member is None:
            raise RuntimeError("no member resolved for this update")
        return self._member

    @member.setter
    def member(self, member: Member) -> None:
        self._member = member

    @property
    def has_member(self) -> bool:
        return self._member is not None

    @property
    def lang(self) -> str:
        return self.renderer.lang(self._member.language if self._member else None)

    async def acknowledge(self, message: Message) -> bool:
        """A receipt that costs no message of Telegram's budget (30/s, 1/s per chat): the
        bot's 👌 reaction on the member's own message. False when Telegram refused it (a
        text must say it then); a transient failure past the retries only loses the
        receipt, never reports the action as failed."""
        try:
            await retrying(
                lambda: self.bot.set_message_reaction(message.chat_id, message.message_id, RECEIPT),
                message.chat_id,
            )
        except BadRequest as exc:
            log.info("receipt reaction refused (%s): answered with a text", exc.message)
            return False
        except TelegramError as exc:
            log.warning("receipt reaction not set: %s", exc)
        return True

    def addressed(self, target: Member) -> MemberView:
        """How the member sees someone they addressed by @handle: masked by degree (the
        core's one rule), the handle they typed echoed back rather than an anonymous label."""
        return self.core.network.view(self.member.id, target, typed_handle=True)

    def plain(self, feature: str, name: str, /, **params: Any) -> str:
        """A text for a plain-text surface (a button's alert or toast): no HTML escapes."""
        return html.unescape(self.t(feature, name, **params))

    def t(self, feature: str, name: str, /, **params: Any) -> str:
        """A text for the acting member: in their language, dates in their time zone."""
        zone = self._member.timezone if self._member else None
        return self.renderer.text(self.lang, feature, name, zone=zone, **params)

    async def reply(
        self,
        update: Update,
        feature: str,
        name: str,
        /,
        keyboard: InlineKeyboardMarkup | None = None,
        **params: Any,
    ) -> list[Message]:
        """Answer in the user's chat with a rendered template (split at 4,096 if long)."""
        return await self.send_html(chat_id_of(update), self.t(feature, name, **params), keyboard)

    async def send_html(
        self,
        chat_id: int,
        html: str,
        keyboard: InlineKeyboardMarkup | None = None,
        reply_to: int | None = None,
        silent: bool = False,
    ) -> list[Message]:
        chunks = split_html(html)
        sent = []
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            sent.append(
                await send_retrying(
                    self.bot,
                    chat_id,
                    chunk,
                    reply_markup=keyboard if last else None,
                    reply_to_message_id=reply_to if i == 0 else None,
                    disable_notification=silent,
                    disable_web_page_preview=True,
                )
            )
        return sent

    async def send_photo(
        self, chat_id: int, png: bytes, caption_html: str, filename: str = "picture.png"
    ) -> Message:
        """A picture the bot drew (PNG bytes, uploaded) with an HTML caption (≤ 1,024)."""
        return await retrying(
            lambda: self.bot.send_photo(
                chat_id, InputFile(png, filename=filename), caption=caption_html
            ),
            chat_id,
        )
