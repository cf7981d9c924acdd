"""`make run`: run the bot until SIGINT/SIGTERM, then stop cleanly (the update in progress
finishes; nothing unconfirmed is lost).

A start that cannot succeed ends the process: exit code 1 and one line on stderr saying what
to fix (`StartupFailed`), so that a supervisor sees the exit instead of a process that
neither serves nor exits. The bot token never appears in what is printed or logged."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading

from bridge import logs
from bridge.config import Settings
from bridge.runtime.bot import BridgeBot
from bridge.runtime.startup import StartupFailed
from bridge.storage.instance import AlreadyRunning

log = logging.getLogger(__name__)


async def serve(settings: Settings) -> None:
    bot = BridgeBot(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # A signal during start-up (while retrying, say) stops the start too.
    starting = asyncio.create_task(bot.start(), name="bot-start")
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():
        starting.cancel()
        try:
            await starting
        except asyncio.CancelledError:
            return  # start() closed what it had opened
    stopping.cancel()
    starting.result()  # a failed start raises here (and closed everything already)
    assert bot.app is not None  # started
    print(f"Bridge is running as @{bot.app.bot.username} — press Ctrl+C to stop.", flush=True)
    try:
        await stop.wait()
    finally:
        await bot.stop()


def run_bot(settings: Settings) -> int:
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    webhook_secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    redact = logs.setup(settings.log_level, secrets=[token, webhook_secret])
    code = 0
    try:
        asyncio.run(serve(settings))
    except AlreadyRunning as exc:
        print(redact.redact(str(exc)), file=sys.stderr, flush=True)
        code = 1
    except StartupFailed as exc:
        print(f"Bridge could not start: {redact.redact(str(exc))}", file=sys.stderr, flush=True)
        code = 1
    except KeyboardInterrupt:
        code = 0
    except Exception as exc:  # a bug, or a failure nobody classified: still one line
        log.debug("start-up failed", exc_info=exc)
        print(
            f"Bridge could not start: {type(exc).__name__}: {redact.redact(str(exc))}"
            " (LOG_LEVEL=DEBUG shows the traceback)",
            file=sys.stderr,
            flush=True,
        )
        code = 1
    _exit_if_threads_linger(code)
    return code


def _exit_if_threads_linger(code: int, grace: float = 5.0) -> None:
    """The last guard of "never stuck": a non-daemon thread left running (a database
    connection nobody closed) would keep the interpreter alive after the bot stopped."""
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join(grace)
    lingering = [
        t.name
        for t in threading.enumerate()
        if t is not threading.main_thread() and not t.daemon and t.is_alive()
    ]
    if lingering:
        log.error(
            "threads still running after the bot stopped (%s); exiting anyway", ", ".join(lingering)
        )
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code or 1)
