"""Logging for the processes (`python -m bridge`, the playground): one format, the level from
LOG_LEVEL, and two filters, because libraries log what we must not show or shout:

- `Redact` replaces secrets (the bot token, which python-telegram-bot and the HTTP client's
  debug lines put in URLs and in `InvalidToken`'s message) with ``<token>`` in every record
  that reaches a handler, traceback included, at every level;
- `HandledRateLimit` turns `AIORateLimiter`'s "Rate limit hit after maximum of 0 retries"
  (ERROR with a traceback) into one INFO line: with ``max_retries=0`` a 429 is handed back on
  purpose to the caller that retries it (the outbox, the start-up), nothing for a human.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

from telegram.error import RetryAfter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
RATE_LIMITER_LOGGER = "telegram.ext.AIORateLimiter"
MASK = "<token>"


def secret_forms(token: str) -> list[str]:
    """The token as it can appear in text: whole, URL-quoted, and its secret half alone
    (the part after the bot id) when it is long enough not to match ordinary words."""
    forms = {token, quote(token, safe="")}
    secret = token.partition(":")[2]
    if len(secret) >= 8:
        forms.add(secret)
    return sorted((form for form in forms if form), key=len, reverse=True)


class Redact(logging.Filter):
    """Masks the given secrets in a record's message and traceback before it is written."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.forms: list[str] = []
        for secret in secrets:
            if secret:
                self.forms.extend(secret_forms(secret))

    def redact(self, text: str) -> str:
        for form in self.forms:
            text = text.replace(form, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.forms:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep what can be shown
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class HandledRateLimit(logging.Filter):
    """AIORateLimiter's give-up after ``max_retries=0``: INFO, one line, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if record.levelno >= logging.ERROR and isinstance(error, RetryAfter):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = (
                "429 from Telegram (%s): left to the caller to retry",
                (error.message,),
            )
            record.exc_info, record.exc_text = None, None
        return True


def quiet_rate_limiter() -> None:
    """Install `HandledRateLimit` once on the limiter's logger (tests build many bots)."""
    logger = logging.getLogger(RATE_LIMITER_LOGGER)
    if not any(isinstance(f, HandledRateLimit) for f in logger.filters):
        logger.addFilter(HandledRateLimit())


def setup(level: str = "INFO", secrets: Iterable[str] = ()) -> Redact:
    """Configure the root logger for a process; the redaction sits on its handlers, so it
    covers every library's records. Warnings go through logging too (and so get redacted)."""
    logging.basicConfig(level=level, format=FORMAT)
    root = logging.getLogger()
    root.setLevel(level)
    redact = Redact(secrets)
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, Redact)]:
            handler.removeFilter(old)
        handler.addFilter(redact)
    logging.captureWarnings(True)
    quiet_rate_limiter()
    # httpx (the playground's, tests') logs every request at INFO: too chatty unless debugging.
    if logging.getLevelName(level) != logging.DEBUG:
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return redact
