"""Webhook mode: Telegram (the local Bot API server) POSTs each update to the bot, which
answers only once the update is processed; a request without the secret is refused (403)
and changes nothing."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from botapi_sandbox.server import SandboxServer
from bridge.config import Settings
from bridge.runtime.bot import BridgeBot
from tests.e2e.conftest import TOKEN, World, connect, start_all

SECRET = "webhook-secret_42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def hooked(tmp_path: Path) -> AsyncIterator[World]:
    server = SandboxServer(host="127.0.0.1", port=0)
    await server.start()
    server.add_bot(token=TOKEN, username="bridge_test_bot", first_name="Bridge")
    users = [
        server.add_user(first, last, username=f"{first.lower()}_tg", language_code="en")
        for first, last in (("Alice", "Martin"), ("Bob", "Durand"), ("Carol", "Nguyen"))
    ]
    eve = server.add_user("Eve", "Spy", username="eve_tg", language_code="en")
    port = free_port()
    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        bot_api_url=server.url,
        database_url=f"sqlite:///{tmp_path}/bridge.db",
        webhook_url=f"http://127.0.0.1:{port}/telegram/hook",
        webhook_secret=SECRET,
        webhook_listen=f"127.0.0.1:{port}",
    )
    bot = BridgeBot(settings)
    await bot.start()
    try:
        yield World(server, bot, *users, eve, eve)
    finally:
        await bot.stop()
        await server.stop()


async def test_messages_go_through_the_webhook(hooked: World) -> None:
    alice, bob = hooked.alice, hooked.bob
    hook = hooked.server.default_bot.webhook
    assert hook.url.endswith("/telegram/hook") and hook.secret_token == SECRET
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/open @bob")
    await alice.wait_for_text("Everything you send now goes to Bob Durand")
    for i in range(5):
        await alice.send_text(f"over the hook {i}")
    await bob.wait_for_text("over the hook 4")
    relayed = [m.content for m in bob.chat if "over the hook" in m.content]
    assert [int(text.rsplit(" ", 1)[1]) for text in relayed] == list(range(5))  # in order
    assert hook.delivered >= 10 and hook.last_error_message == ""
    assert hooked.bot.intake is not None and hooked.bot.intake.processed == hook.delivered
    assert hooked.server.rejected == []


async def test_a_request_without_the_secret_is_refused_and_changes_nothing(
    hooked: World,
) -> None:
    eve, bot = hooked.dave, hooked.bot
    assert bot.webhook is not None and bot.core is not None
    url = hooked.server.default_bot.webhook.url
    update = {
        "update_id": 900_001,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "from": eve.as_user(),
            "chat": eve.as_chat(),
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    async with aiohttp.ClientSession() as session:
        refused: list[dict[str, str]] = [
            {},
            {"X-Telegram-Bot-Api-Secret-Token": "guess"},
            # The right secret from the wrong place: another Host (DNS rebinding), or a
            # browser page (Telegram's server-to-server POST never has an Origin).
            {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Host": "evil.example"},
            {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Origin": "https://evil.example"},
        ]
        for headers in refused:
            async with session.post(url, json=update, headers=headers) as response:
                assert response.status == 403
        assert bot.webhook.refused == len(refused)
        assert await bot.core.members.by_telegram_id(eve.id) is None
        assert eve.chat == [] and bot.intake is not None and bot.intake.processed == 0
        # The same request with the secret is taken: what was refused would have acted.
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with session.post(url, json=update, headers=headers) as response:
            assert response.status == 200
    assert await bot.core.members.by_telegram_id(eve.id) is not None
    assert bot.intake.processed == 1
    await eve.wait_for_text("Welcome")
