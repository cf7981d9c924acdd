"""End-to-end fixtures: the project's local Bot API server, simulated users, and the real
bot (`BridgeBot`: Application, handlers, delivery worker) talking to it over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from botapi_sandbox.server import SandboxServer
from botapi_sandbox.users import SimUser
from bridge.config import Settings
from bridge.runtime.bot import BridgeBot
from tests.storage.backends import postgres_database

TOKEN = "123456:TEST-bridge-token"


@dataclass
class World:
    server: SandboxServer
    bot: BridgeBot
    alice: SimUser
    bob: SimUser
    carol: SimUser
    dave: SimUser
    admin: SimUser


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[str]:
    """The bot's database on each backend (PostgreSQL: a new database per test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/bridge.db"
        return
    async with postgres_database() as url:
        yield url


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    server = SandboxServer(host="127.0.0.1", port=0)
    await server.start()
    server.add_bot(token=TOKEN, username="bridge_test_bot", first_name="Bridge")
    alice = server.add_user("Alice", "Martin", username="alice", language_code="en")
    bob = server.add_user("Bob", "Durand", username="bob", language_code="en")
    carol = server.add_user("Carol", "Nguyen", username="carol", language_code="en")
    dave = server.add_user("Dave", "Smith", username="dave", language_code="en")
    admin = server.add_user("Ada", "Admin", username="ada", language_code="en")
    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        bot_api_url=server.url,
        database_url=database_url,
        admin_ids=[admin.id],
    )
    bot = BridgeBot(settings, poll_timeout=1)
    await bot.start()
    try:
        yield World(server, bot, alice, bob, carol, dave, admin)
    finally:
        await bot.stop()
        await server.stop()


async def start_all(*users: SimUser) -> None:
    for user in users:
        await user.send_text("/start")
        await user.wait_for_text("Welcome")


async def connect(inviter: SimUser, invitee: SimUser, handle: str) -> None:
    """Invite and accept with the inline button, as users do."""
    await inviter.send_text(f"/invite @{handle}")
    await inviter.wait_for_text("Invitation sent")
    invitation = await invitee.wait_for_text("Invitation")
    await invitee.press_button(invitation, "Accept")
    await invitee.wait_for_text("You are now connected")
