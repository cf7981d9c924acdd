"""`make run`: run the bot until SIGINT/SIGTERM, then stop cleanly (the update in progress
finishes; nothing unconfirmed is lost)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bridge.config import Settings
from bridge.handlers.bot import BridgeBot
from bridge.storage.instance import AlreadyRunning


async def serve(settings: Settings) -> None:
    bot = BridgeBot(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await bot.start()
    print(f"Bridge is running as @{bot.app.bot.username} — press Ctrl+C to stop.", flush=True)
    try:
        await stop.wait()
    finally:
        await bot.stop()


def run_bot(settings: Settings) -> int:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(serve(settings))
    except AlreadyRunning as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0
