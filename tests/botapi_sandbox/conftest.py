"""Fixtures: a started sandbox server with one bot and two simulated users, python-telegram-
bot's own `Bot` pointed at it, and a raw HTTP caller for the requests PTB would never make."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot

from botapi_sandbox.server import SandboxServer
from botapi_sandbox.users import SimUser

TOKEN = "123456:TEST-token"


@dataclass
class Sandbox:
    server: SandboxServer
    alice: SimUser
    bob: SimUser


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    server = SandboxServer(host="127.0.0.1", port=0)
    server.add_bot(token=TOKEN, username="bridge_bot", first_name="Bridge")
    await server.start()
    alice = server.add_user("Alice", "Martin", username="alice")
    bob = server.add_user("Bob", username="bob", language_code="fr")
    try:
        yield Sandbox(server, alice, bob)
    finally:
        await server.stop()


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    url = sandbox.server.url
    async with Bot(TOKEN, base_url=f"{url}/bot", base_file_url=f"{url}/file/bot") as client:
        yield client


def secs(duration: Any) -> int:
    """PTB gives durations as timedelta (or int, by its settings): in seconds."""
    return int(duration.total_seconds()) if hasattr(duration, "total_seconds") else duration


Raw = Callable[..., Awaitable[tuple[int, Any]]]


@pytest.fixture
async def raw(sandbox: Sandbox) -> AsyncIterator[Raw]:
    """``await raw("sendMessage", chat_id=1, text="hi")`` → (HTTP status, JSON body);
    ``how``: "json" (default), "form", "query"; ``token`` to use another token."""
    async with aiohttp.ClientSession() as session:

        async def call(
            method: str, how: str = "json", token: str = TOKEN, **params: Any
        ) -> tuple[int, Any]:
            url = f"{sandbox.server.url}/bot{token}/{method}"
            if how == "json":
                request = session.post(url, json=params)
            elif how == "form":
                request = session.post(url, data={k: str(v) for k, v in params.items()})
            else:
                request = session.get(url, params={k: str(v) for k, v in params.items()})
            async with request as response:
                return response.status, await response.json()

        yield call


@asynccontextmanager
async def webhook_endpoint(
    hook: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> AsyncIterator[str]:
    """A local HTTP endpoint answering POSTs to /hook with `hook`: its URL."""
    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        await runner.cleanup()
