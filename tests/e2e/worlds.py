"""A `World` like the `world` fixture's, with a clock the test moves by hand and settings of
its own (a refund policy, ...): for rules with windows (quiet hours, refund deadlines)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from botapi_sandbox.server import SandboxServer
from bridge.config import Settings
from bridge.core.clock import Clock
from bridge.runtime.bot import BridgeBot
from tests.e2e.conftest import TOKEN, World, assert_no_telegram_username


@asynccontextmanager
async def clocked_world(
    database_url: str, clock: Clock, **settings: object
) -> AsyncIterator[World]:
    server = SandboxServer(host="127.0.0.1", port=0)
    await server.start()
    server.add_bot(token=TOKEN, username="bridge_test_bot", first_name="Bridge")
    users = [
        server.add_user(first, last, username=f"{first.lower()}_tg", language_code="en")
        for first, last in (
            ("Alice", "Martin"),
            ("Bob", "Durand"),
            ("Carol", "Nguyen"),
            ("Dave", "Smith"),
        )
    ]
    admin = server.add_user("Ada", "Admin", username="ada_tg", language_code="en")
    config = Settings(
        _env_file=None,
        bot_token=TOKEN,
        bot_api_url=server.url,
        database_url=database_url,
        admin_ids=[admin.id],
        **{"chat_rate": 0, **settings},  # no per-chat pacing unless asked (see conftest)
    )
    bot = BridgeBot(config, clock=clock, poll_timeout=1)
    await bot.start()
    try:
        yield World(server, bot, *users, admin)
        assert_no_telegram_username(server)
    finally:
        await bot.stop()
        await server.stop()


async def outbox_settled(world: World, timeout: float = 10) -> None:
    """Until the delivery worker has nothing due: whatever it could send now, it has sent
    (or held, or skipped). Lets a test assert that something was *not* sent."""
    core, worker = world.bot.core, world.bot.worker
    assert core is not None and worker is not None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        worker.poke()
        await asyncio.sleep(0.2)
        if not await core.outbox.due(1) and worker.idle.is_set():
            return
    raise TimeoutError("the outbox never settled")
