"""Webhook mode: Telegram POSTs each update to us (several workers behind a load balancer
can share them) instead of our asking with getUpdates.

An update is answered 200 only once it went through the intake's own path (after its
member's previous update, recorded once with its effect): a worker that dies mid-update
never answered, so Telegram delivers the update again — to this worker or another — and the
once-per-update record skips it if its effect had committed. Telegram sends one chat's next
update only after the previous one was answered, which keeps a member's updates in order
across workers. A request without the secret header set by setWebhook is refused (403) and
nothing of it is read."""

from __future__ import annotations

import hmac
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bridge.runtime.intake import UpdateIntake

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def listen_address(listen: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:8000`` for IPv6) → (host, port); ValueError when it is not one."""
    host, sep, port = listen.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"WEBHOOK_LISTEN must be host:port, such as 127.0.0.1:8000 ({listen!r})")
    return host.strip("[]"), int(port)


LOOPBACK = ("127.0.0.1", "localhost", "::1")
ORIGIN = "Origin"


def webhook_path(url: str) -> str:
    """The path the worker serves: WEBHOOK_URL's (what nginx passes through unchanged)."""
    return urlsplit(url).path or "/"


def secret_problem(secret: str) -> str | None:
    """Why Telegram would refuse WEBHOOK_SECRET as setWebhook's secret_token, if it would."""
    if not 1 <= len(secret) <= 256 or not all(
        c.isascii() and (c.isalnum() or c in "_-") for c in secret
    ):
        return "WEBHOOK_SECRET must be 1 to 256 characters among A-Z, a-z, 0-9, _ and -"
    return None


class WebhookReceiver:
    """The worker's HTTP endpoint (aiohttp): checks the secret, hands the update to the
    intake and answers when it is done."""

    def __init__(
        self, intake: UpdateIntake, listen: str, path: str, secret: str, public_host: str = ""
    ) -> None:
        self.intake, self.path, self._secret = intake, path, secret.encode()
        self.host, self.port = listen_address(listen)
        # The Host a request may name: WEBHOOK_URL's (nginx passes it through) or this
        # worker's own address (a balancer that doesn't); anything else is refused.
        self._hosts = {public_host.lower(), self.host.lower(), *LOOPBACK} - {""}
        self.refused = 0  # requests refused (secret, Host or Origin)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(self.path, self._receive)
        # No access log: Telegram's requests are many and say nothing the bot's logs don't.
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:  # tests: the port the system chose
            sockets = getattr(site._server, "sockets", None) or []
            self.port = sockets[0].getsockname()[1]
        log.info("webhook listening on %s:%s%s", self.host, self.port, self.path)

    async def stop(self) -> None:
        """Finish the updates in progress (new requests are refused with 503: Telegram
        retries them, on another worker behind a balancer), then close."""
        await self.intake.stop_receiving()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            self.refused += 1
            log.warning("webhook request without the right secret refused (403)")
            return web.Response(status=403)
        # Telegram's POST comes from a server: no browser Origin, and the Host it was sent to.
        host = (urlsplit(f"//{request.host}").hostname or "").lower()
        if host not in self._hosts or ORIGIN in request.headers:
            self.refused += 1
            log.warning("webhook request for another Host or from a page refused (403)")
            return web.Response(status=403)
        try:
            raw: Any = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        if await self.intake.receive(raw):
            return web.Response(status=200)
        return web.Response(status=503, text="stopping")  # Telegram delivers it again
