"""Webhook delivery: while a bot has a webhook, its updates are POSTed to it with the
``X-Telegram-Bot-Api-Secret-Token`` header, as Telegram's Bot API server does: up to
``max_connections`` requests at once, but one chat's updates one by one, in order (the next
only once the webhook accepted the previous one). An update leaves the queue only when the
webhook answers 2xx, otherwise it is retried with a growing delay (its chat waits; the others
go on). Each request pays the simulated network's round trip (`network.py`), as a Bot API
call does. A JSON answer naming a ``method`` is performed, like Telegram's "reply to webhook".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any, Protocol
from urllib.parse import urlsplit

import aiohttp

from botapi_sandbox.bots import SandboxBot, Webhook
from botapi_sandbox.network import Network

__all__ = ["SECRET_HEADER", "Webhook", "Webhooks"]

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookServer(Protocol):
    """What webhook delivery needs of the server: its bots, and performing a method a
    webhook answered with."""

    bots: dict[str, SandboxBot]
    network: Network  # a webhook request crosses it too (half each way)

    async def perform(
        self, bot: SandboxBot, name: str, raw: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]: ...


class Webhooks:
    def __init__(
        self, server: WebhookServer, first_retry: float = 0.1, max_retry: float = 5.0
    ) -> None:
        self.server = server
        self.first_retry, self.max_retry = first_retry, max_retry
        self._session: aiohttp.ClientSession | None = None

    async def set(
        self, bot: SandboxBot, url: str, secret_token: str | None, max_connections: int
    ) -> None:
        await self._stop(bot)
        bot.webhook.url, bot.webhook.secret_token = url, secret_token
        bot.webhook.max_connections = max_connections
        if url:
            bot.webhook.task = asyncio.create_task(self._deliver(bot))

    async def close(self) -> None:
        for bot in self.server.bots.values():
            await self._stop(bot)
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _stop(self, bot: SandboxBot) -> None:
        task, bot.webhook.task = bot.webhook.task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver(self, bot: SandboxBot) -> None:
        """Start a request for each chat's oldest pending update, within max_connections."""
        queue, hook = bot.updates, bot.webhook
        posting: dict[object, asyncio.Task[None]] = {}  # chat → its update being delivered
        try:
            while True:
                async with queue.changed:
                    while len(posting) >= hook.max_connections or not (
                        ready := _ready(queue.pending, posting)
                    ):
                        await queue.changed.wait()
                    for chat, update in ready[: hook.max_connections - len(posting)]:
                        posting[chat] = asyncio.create_task(
                            self._deliver_one(bot, update, chat, posting)
                        )
        finally:
            for task in posting.values():
                task.cancel()
            await asyncio.gather(*posting.values(), return_exceptions=True)

    async def _deliver_one(
        self,
        bot: SandboxBot,
        update: dict[str, Any],
        chat: object,
        posting: dict[object, asyncio.Task[None]],
    ) -> None:
        """POST one update until the webhook accepts it, then let its chat's next one go."""
        queue, hook = bot.updates, bot.webhook
        delay = self.first_retry
        try:
            while (error := await self._post(bot, update)) is not None:
                hook.last_error_date, hook.last_error_message = int(time.time()), error
                log.info(
                    "webhook of @%s (%s) failed: %s; retrying in %.1fs",
                    bot.username,
                    urlsplit(hook.url).netloc,
                    error,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_retry)
            hook.delivered += 1
            queue.delivered_ids.append(update["update_id"])
            await queue.drop(update["update_id"])
        finally:
            posting.pop(chat, None)
            async with queue.changed:  # the chat's next update may go
                queue.changed.notify_all()

    async def _post(self, bot: SandboxBot, update: dict[str, Any]) -> str | None:
        """None when the webhook accepted the update, else Telegram's kind of error text."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        headers = {}
        if bot.webhook.secret_token:
            headers[SECRET_HEADER] = bot.webhook.secret_token
        trip = self.server.network.round_trip()
        await self.server.network.travel(trip / 2)
        try:
            async with self._session.post(
                bot.webhook.url, json=update, headers=headers
            ) as response:
                if not 200 <= response.status < 300:
                    return f"Wrong response from the webhook: {response.status} {response.reason}"
                body = await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            return f"Connection error: {type(exc).__name__}"
        await self.server.network.travel(trip - trip / 2)
        await self._reply(bot, body)
        return None

    async def _reply(self, bot: SandboxBot, body: bytes) -> None:
        """Perform the method a webhook answered with (errors are only recorded)."""
        try:
            call = json.loads(body) if body else None
        except ValueError:
            return
        if isinstance(call, dict) and isinstance(call.get("method"), str):
            params = {k: v for k, v in call.items() if k != "method"}
            await self.server.perform(bot, call["method"], params)


def chat_of(update: dict[str, Any]) -> object:
    """Which queue an update waits in: its user's (else its chat's); one of its own if none."""
    for value in update.values():
        if isinstance(value, dict):
            for name in ("from", "user", "chat"):
                who = value.get(name)
                if isinstance(who, dict) and isinstance(who.get("id"), int):
                    return who["id"]
    return ("update", update.get("update_id"))


def _ready(
    pending: list[dict[str, Any]], posting: dict[object, asyncio.Task[None]]
) -> list[tuple[object, dict[str, Any]]]:
    """Each chat's oldest pending update, for the chats with none being delivered."""
    seen: set[object] = set()
    ready = []
    for update in pending:
        chat = chat_of(update)
        if chat in seen:
            continue
        seen.add(chat)
        if chat not in posting:
            ready.append((chat, dict(update)))
    return ready
