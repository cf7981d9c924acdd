"""The local playground: chat with the real bot as several simulated Telegram users, in a
web page on 127.0.0.1, without a bot token (see `server.py`)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bridge import logs
from bridge.config import Settings
from bridge.playground.server import DEFAULT_USERS, Playground, UserSpec

__all__ = ["DEFAULT_USERS", "Playground", "UserSpec", "run_playground", "serve"]


async def serve(settings: Settings) -> None:
    playground = Playground(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await playground.start()
    try:
        names = ", ".join(u.first_name for u in playground.users[:3])
        taken = (
            f" (port {playground.wanted_port} was taken, so a free one was used)"
            if playground.fell_back
            else ""
        )
        print(
            f"Bridge playground: {playground.url}{taken}\n"
            f"  It listens on 127.0.0.1 only (this computer); data: {playground.database_url}\n"
            f"Next: open that address in your browser and type /start in a column"
            f" ({names}…). Press Ctrl+C to stop.",
            flush=True,
        )
        await stop.wait()
        print("Stopping the playground…", flush=True)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await playground.stop()
        print("The playground stopped.", flush=True)


def run_playground(settings: Settings) -> int:
    """Run the playground until SIGINT/SIGTERM; 0 after a clean stop, 1 if it can't start."""
    logs.setup(settings.log_level)  # the playground's token is not a secret
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    try:
        asyncio.run(serve(settings))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(f"The playground could not start: {exc}", file=sys.stderr)
        return 1
    return 0
