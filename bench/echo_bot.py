"""The framework's floor: a minimal python-telegram-bot echo bot (what the PTB examples
show, with `concurrent_updates(True)`: updates handled side by side, as an operator of a
busy bot would set it), run against the same local Bot API server as our bot.

    BOT_TOKEN=... BOT_API_URL=... [RATE_LIMIT=true] python -m bench.echo_bot
"""

from __future__ import annotations

import os
from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    filters,
)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the user's text back."""
    message = update.message
    assert message is not None and message.text is not None  # filters.TEXT, new messages
    await message.reply_text(message.text)


def main() -> None:
    root = os.environ["BOT_API_URL"].rstrip("/")
    # Any bot type: with a rate limiter the builder's bot becomes an ExtBot[int].
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(f"{root}/bot")
        .concurrent_updates(True)
    )
    if os.environ.get("RATE_LIMIT", "true").lower() == "true":
        # Retries enough that a burst into one chat (1 msg/s there) loses nothing.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=10))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0, timeout=5)


if __name__ == "__main__":
    main()
