"""Start-up against the Bot API: what a failure at boot means for the operator.

A transient failure (429, 5xx, a network error, an API not answering yet) is retried with
backoff, a bounded number of times, each retry logged; a failure no retry can fix (a token
the server rejects, a wrong BOT_API_URL, retries exhausted) becomes `StartupFailed`, whose
text is the one line the runner prints before exiting non-zero."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import urlsplit

from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter

from bridge.runtime.waiting import retry_after_seconds

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_BACKOFF = 30.0


class StartupFailed(Exception):
    """The bot cannot start without the operator; the message says what to fix."""


def api_url_problem(url: str) -> str | None:
    """Why BOT_API_URL cannot be right, if it visibly cannot (None when it may be)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (
            f"BOT_API_URL must be an http(s) address such as https://api.telegram.org"
            f" (it is {url!r})"
        )
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if last == "bot" or (last.startswith("bot") and ":" in last):
        root = f"{parts.scheme}://{parts.netloc}{path.rsplit('/', 1)[0]}"
        return f"BOT_API_URL must be the server root, without /bot: set BOT_API_URL={root}"
    return None


def rejected_token(url: str, error: InvalidToken) -> StartupFailed:
    cause = error.__cause__ if isinstance(error.__cause__, InvalidToken) else error
    if "unauthorized" in str(cause.message).lower():
        return StartupFailed(
            f"The Bot API at {url} rejected BOT_TOKEN (401 Unauthorized): copy the bot's"
            " current token from @BotFather (/mybots → API Token) into BOT_TOKEN"
        )
    return StartupFailed(
        f"The Bot API at {url} does not know BOT_TOKEN (404 Not Found): check BOT_TOKEN"
        " (the whole 123456:ABC… string from @BotFather) and that BOT_API_URL is the"
        " server root"
    )


async def with_retries(step: Callable[[], Awaitable[T]], what: str, url: str, attempts: int) -> T:
    """Run `step` (one start-up call, safe to repeat) until it succeeds: 429 waits what
    Telegram asks, 5xx and network errors back off 1, 2, 4 … 30 s; `attempts` in all."""
    backoff = 1.0
    for attempt in range(1, max(1, attempts) + 1):
        try:
            return await step()
        except InvalidToken as exc:
            raise rejected_token(url, exc) from None
        except RetryAfter as exc:
            wait, level, reason = retry_after_seconds(exc), logging.INFO, "429 Too Many Requests"
        except BadRequest:
            raise  # a request we got wrong: a bug, not the network
        except NetworkError as exc:  # 5xx, timeouts, connection refused, DNS
            wait, level, reason = backoff, logging.WARNING, exc.message
            backoff = min(backoff * 2, MAX_BACKOFF)
        if attempt >= attempts:
            raise StartupFailed(
                f"The Bot API at BOT_API_URL={url} still fails after {attempts} tries"
                f" ({what}: {reason}): check BOT_API_URL and the network, then start again"
            ) from None
        log.log(
            level,
            "%s failed at start (%s); retrying in %.0f s (attempt %d of %d)",
            what,
            reason,
            wait,
            attempt,
            attempts,
        )
        await asyncio.sleep(wait)
    raise AssertionError("unreachable")
