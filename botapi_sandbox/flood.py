"""Telegram's flood limits, approximated with token buckets: about one message per second
in a chat (a short burst allowed) and about thirty per second overall; beyond that, 429
with ``retry_after``. Off unless ``server.enforce_flood_limits`` is set, so that tests that
are not about throughput stay fast."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from botapi_sandbox.contract import ApiError

SENDING = ("send", "copy", "forward")  # method prefixes that post a message


@dataclass
class Bucket:
    rate: float  # tokens per second
    burst: float
    tokens: float = -1.0
    at: float = field(default_factory=time.monotonic)

    def refill(self, now: float) -> None:
        if self.tokens < 0:
            self.tokens = self.burst
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.at) * self.rate)
        self.at = now

    def wait_needed(self) -> float:
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class FloodLimits:
    per_chat: float = 1.0
    chat_burst: float = 3.0
    overall: float = 30.0
    overall_burst: float = 30.0
    # Paid broadcasts (`allow_paid_broadcast`): up to 1,000 messages/s overall, their own
    # budget; a chat's own limit still holds.
    paid: float = 1000.0
    chats: dict[object, Bucket] = field(default_factory=dict)
    total: Bucket | None = None
    paid_total: Bucket | None = None
    paid_sent: int = 0  # messages sent as paid broadcasts (what the bot would pay for)
    refused: int = 0  # 429s answered, for the benchmarks (Telegram frowns on many)

    def check(self, method: str, chat_id: object, paid: bool = False) -> None:
        """Take a token for this message or refuse it with 429 and ``retry_after``
        (`paid`: sent with ``allow_paid_broadcast``, counted against the paid budget)."""
        if not method.startswith(SENDING) or method == "sendChatAction":
            return
        now = time.monotonic()
        chat = self.chats.setdefault(chat_id, Bucket(self.per_chat, self.chat_burst))
        if paid:
            if self.paid_total is None:
                self.paid_total = Bucket(self.paid, self.paid)
            total = self.paid_total
        else:
            if self.total is None:
                self.total = Bucket(self.overall, self.overall_burst)
            total = self.total
        chat.refill(now)
        total.refill(now)
        wait = max(chat.wait_needed(), total.wait_needed())
        if wait > 0:
            retry = max(1, math.ceil(wait))
            self.refused += 1
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        chat.tokens -= 1
        total.tokens -= 1
        self.paid_sent += paid
