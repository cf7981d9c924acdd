"""The network between a bot and the Bot API server: a per-call round trip (latency with
optional jitter), so that tests, the playground and the benchmarks see what a hosted bot
sees talking to Telegram (tens of milliseconds) instead of the ~1 ms of a local server.

Every Bot API call pays one round trip: half before the server performs it (the request
travelling) and half before the answer leaves (the answer travelling). Each half is an
``asyncio.sleep`` of that request alone, so concurrent calls overlap as they would on a
real network. A ``getUpdates`` long poll pays the same single round trip: its wait for
updates is the server's, not the network's. ``sleep`` and ``rng`` are injectable so that
tests check the delays requested without measuring time.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

MAX_MS = 60_000.0  # a minute: beyond, a setting is a typo, not a network


def checked_ms(value: object, name: str) -> float:
    """A delay in milliseconds from a setting or a request: a number in [0, MAX_MS]."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{name} must be a number of milliseconds")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of milliseconds") from None
    if not 0 <= number <= MAX_MS:  # also refuses NaN
        raise ValueError(f"{name} must be between 0 and {MAX_MS:.0f} ms")
    return number


@dataclass
class Network:
    latency_ms: float = 0.0  # the round trip of one call
    jitter_ms: float = 0.0  # each call's round trip drawn uniformly in latency ± jitter
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)

    def set(self, latency_ms: object = None, jitter_ms: object = None) -> None:
        """Change the round trip (None keeps a value); both checked before either changes."""
        latency = self.latency_ms if latency_ms is None else checked_ms(latency_ms, "latency_ms")
        jitter = self.jitter_ms if jitter_ms is None else checked_ms(jitter_ms, "jitter_ms")
        self.latency_ms, self.jitter_ms = latency, jitter

    def as_json(self) -> dict[str, float]:
        return {"latency_ms": self.latency_ms, "jitter_ms": self.jitter_ms}

    def round_trip(self) -> float:
        """One call's round trip, in seconds (never negative)."""
        spread = self.rng.uniform(-self.jitter_ms, self.jitter_ms) if self.jitter_ms else 0.0
        return max(0.0, self.latency_ms + spread) / 1000

    async def travel(self, seconds: float) -> None:
        """One way of a call (half its round trip); nothing at all on a 0 ms network."""
        if seconds > 0:
            await self.sleep(seconds)
