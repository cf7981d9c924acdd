"""Telegram's limits, kept by the bot rather than learnt from 429s.

PTB's `AIORateLimiter` keeps the overall rate (30 messages/s; 1,000/s for paid broadcasts)
and a group's (20/min), but knows nothing of Telegram's ~1 message/s in a private chat:
a burst of notifications to one member drew a 429 for every message after the first few.
`TelegramLimits` adds that: at most `chat_rate` messages per second to one private chat,
after a short burst of `CHAT_BURST` (a generic cell rate algorithm: one "theoretical
arrival time" per chat). A reply waits here for its turn (a second at most); the delivery
worker asks `ready_in` first and sends to another chat meanwhile (`delivery.py`), so one
busy chat never holds a slot of the window.

With `paid_broadcast` every message is sent with `allow_paid_broadcast` (Telegram then
allows up to 1,000/s overall, charged in Stars beyond the free 30/s).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

CHAT_RATE = 1.0  # messages per second to one private chat, Telegram's advice
# Messages to one chat that may go at once before the rate applies. Telegram tolerates a
# few; one less than that leaves room for the network's jitter.
CHAT_BURST = 2
POSTING = ("send", "copy", "forward")  # the methods that post a message (as Telegram counts)
# Messages per second overall: one under Telegram's 30, since Telegram counts them when
# they arrive, a network's jitter apart from when they left.
OVERALL = 29
FORGET_AFTER = 10_000  # chats remembered before the past ones are dropped


def posts_message(endpoint: str) -> bool:
    return endpoint.startswith(POSTING) and endpoint != "sendChatAction"


def private_chat(chat_id: object) -> int | None:
    """The chat id if it is a private chat's (positive), else None (groups, channels)."""
    with contextlib.suppress(ValueError, TypeError):
        chat = int(chat_id)  # type: ignore[call-overload]
        return chat if chat > 0 else None
    return None


class TelegramLimits(AIORateLimiter):
    def __init__(
        self,
        chat_rate: float = CHAT_RATE,
        paid_broadcast: bool = False,
        burst: int = CHAT_BURST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # Retrying is the outbox's job, not the limiter's (max_retries=0).
        super().__init__(overall_max_rate=OVERALL, max_retries=0)
        self.paid_broadcast, self._clock = paid_broadcast, clock
        self.interval = 1.0 / chat_rate if chat_rate > 0 else 0.0  # 0: no per-chat limit
        self._tolerance = (max(1, burst) - 1) * self.interval
        self._tat: dict[int, float] = {}  # private chat → its theoretical arrival time

    def ready_in(self, chat_id: int) -> float:
        """Seconds until a message to this chat may go (0: now)."""
        tat = self._tat.get(chat_id)
        return 0.0 if tat is None else max(0.0, tat - self._tolerance - self._clock())

    def _reserve(self, chat_id: int) -> float:
        """Take the chat's next turn; how long to wait for it."""
        now = self._clock()
        if len(self._tat) > FORGET_AFTER:
            self._tat = {c: t for c, t in self._tat.items() if t > now}
        tat = max(now, self._tat.get(chat_id, now))
        wait = max(0.0, tat - self._tolerance - now)
        self._tat[chat_id] = tat + self.interval
        return wait

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if posts_message(endpoint):
            if self.paid_broadcast:  # `data` is the request's own parameters
                data["allow_paid_broadcast"] = True
            chat = private_chat(data.get("chat_id"))
            if chat is not None and self.interval and (wait := self._reserve(chat)) > 0:
                await asyncio.sleep(wait)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
