"""Start-up: read settings, open the store and the core, run the Telegram front end."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from bridge.config import Settings

NO_TOKEN = """\
No bot token is configured, so the bot cannot connect to Telegram.

To run it on Telegram:
  1. Open https://t.me/BotFather in Telegram, send /newbot and follow the steps.
  2. Put the token it gives you in a .env file beside this README:
       BOT_TOKEN=123456:ABC...
     (or export BOT_TOKEN in the environment), then run `make run` again.
"""


def main(argv: list[str] | None = None) -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"The configuration is invalid:\n{exc}", file=sys.stderr)
        return 2
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        try:
            from bridge.playground import run_playground
        except ImportError:
            return 2
        print("Starting the local playground instead (no Telegram needed)…\n", file=sys.stderr)
        return run_playground(settings)
    from bridge.runtime.runner import run_bot

    return run_bot(settings)
