"""The sandbox Bot API server (aiohttp, 127.0.0.1 only).

Routes: ``/bot<token>/<method>`` (the Bot API: GET or POST; query string, urlencoded form,
JSON or multipart), ``/file/bot<token>/<file_path>`` (downloads), ``/sandbox/...`` (the
control API of `control.py`). Every route answers only loopback Hosts and no cross-site
page (`guard.py`). Every request is validated against the official contract
before it is performed; refusals use Telegram's codes and descriptions, and the bad
requests (400, 404) are also kept in `server.rejected`, so that tests can assert the bot
never made one. Tokens are never logged: log lines name the bot by its username.

    server = SandboxServer()            # port 0: any free port; see server.url
    # SandboxServer(latency_ms=50, jitter_ms=5): a hosted bot's round trip (`network.py`)
    await server.start()
    server.add_bot("123456:TEST-token", username="bridge_bot")
    alice = server.add_user("Alice")
    ...
    await server.stop()
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from typing import Any

from aiohttp import BodyPartReader, web

from botapi_sandbox import control, payloads, payments
from botapi_sandbox.bots import SandboxBot
from botapi_sandbox.contract import ApiError, bad, check, method_names, validate
from botapi_sandbox.faults import Fault, Faults
from botapi_sandbox.flood import FloodLimits
from botapi_sandbox.guard import loopback_guard
from botapi_sandbox.methods import METHODS
from botapi_sandbox.network import Network
from botapi_sandbox.state import DEFAULT_MIME, MEDIA_KINDS, ChatMessage, StoredFile
from botapi_sandbox.users import SimUser
from botapi_sandbox.webhook import Webhooks

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Parameters Telegram still accepts though the current documentation no longer lists them.
LEGACY_PARAMS = {
    "reply_to_message_id": ["Integer"],
    "allow_sending_without_reply": ["Boolean"],
    "disable_web_page_preview": ["Boolean"],
}
MAX_EVENTS = 20_000


class SandboxServer:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_ms: float = 0.0,
        jitter_ms: float = 0.0,
    ) -> None:
        if host not in LOOPBACK:
            raise ValueError("the sandbox binds to the loopback interface only")
        self.host, self.port = host, port
        self.network = Network()  # the round trip every Bot API call pays (`network.py`)
        self.network.set(latency_ms, jitter_ms)
        self.bots: dict[str, SandboxBot] = {}
        self.users: dict[int, SimUser] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, SimUser] = {}
        self.faults = Faults()
        self.flood = FloodLimits()
        self.enforce_flood_limits = False
        self.rejected: list[tuple[str, str]] = []  # (method, description) of bad requests
        self.calls: dict[str, int] = {}  # method → how many requests
        self.webhooks = Webhooks(self)
        self.payments = payments.Payments()
        self.events: list[dict[str, Any]] = []
        self.events_changed = asyncio.Condition()
        self._user_ids = itertools.count(700_000_001)
        self._bot_ids = itertools.count(600_000_001)
        self._file_numbers = itertools.count(1)
        self._event_seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle ----------------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(
            client_max_size=60 * 1024 * 1024, middlewares=[loopback_guard(lambda: self.port)]
        )
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._handle_file)
        control.add_routes(app, self)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]
        self.url = f"http://{self.host}:{self.port}"
        log.info("sandbox Bot API on %s", self.url)

    async def stop(self) -> None:
        await self.webhooks.close()
        for bot in self.bots.values():
            await bot.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- population ---------------------------------------------------------------------

    def add_bot(
        self, token: str, username: str = "bridge_bot", first_name: str = "Bridge"
    ) -> SandboxBot:
        """A bot the server knows; its id is the token's numeric prefix, as on Telegram."""
        prefix = token.split(":", 1)[0]
        taken = {bot.id for bot in self.bots.values()}
        bot_id = (
            int(prefix) if prefix.isdigit() and int(prefix) not in taken else next(self._bot_ids)
        )
        bot = SandboxBot(token=token, id=bot_id, username=username, first_name=first_name)
        self.bots[token] = bot
        return bot

    @property
    def default_bot(self) -> SandboxBot:
        """The bot the simulated users talk to (the first one added)."""
        return next(iter(self.bots.values()))

    def add_user(
        self,
        first_name: str,
        last_name: str = "",
        username: str | None = None,
        language_code: str = "en",
    ) -> SimUser:
        user = SimUser(self, next(self._user_ids), first_name, last_name, username, language_code)
        self.users[user.id] = user
        return user

    async def wait_until_confirmed(self, timeout: float = 10) -> None:
        """Until every bot has confirmed every update (it processed them all)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        for bot in self.bots.values():
            try:
                await bot.updates.wait_empty(max(0.0, deadline - loop.time()))
            except TimeoutError:
                raise TimeoutError(
                    f"{len(bot.updates.pending)} updates of @{bot.username} unconfirmed"
                ) from None

    async def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update for the default bot (None: the bot did not allow that kind)."""
        return await self.default_bot.updates.push(kind, payload)

    def event(self, kind: str, user: SimUser, message: ChatMessage) -> None:
        """Record a change for the control API's event long-poll."""
        seq = next(self._event_seq)
        message.seq = seq
        self.events.append(
            {
                "seq": seq,
                "kind": kind,
                "user_id": user.id,
                "message_id": message.message_id,
                "message": control.message_json(message),
            }
        )
        del self.events[:-MAX_EVENTS]

        async def notify() -> None:
            async with self.events_changed:
                self.events_changed.notify_all()

        try:
            asyncio.get_running_loop().create_task(notify())
        except RuntimeError:
            pass

    async def pay(self, user: SimUser, message: ChatMessage) -> payments.Charge:
        return await self.payments.pay(user, message)

    # -- payloads -----------------------------------------------------------------------

    def media_payload(self, stored: StoredFile) -> dict[str, Any]:
        return payloads.media(stored)

    def message_payload(self, user: SimUser, message: ChatMessage) -> dict[str, Any]:
        return payloads.message(self.default_bot.as_user(), user, message, self.files)

    # -- performing a call --------------------------------------------------------------

    async def perform(
        self, bot: SandboxBot, name: str, raw: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Validate and perform one call: (HTTP status, Telegram's JSON answer)."""
        canonical = method_names().get(name.lower())
        try:
            if canonical is None:
                raise ApiError(404, "Not Found")
            self.calls[canonical] = self.calls.get(canonical, 0) + 1
            params = validate(canonical, raw)
            for legacy, types in LEGACY_PARAMS.items():
                if raw.get(legacy) not in (None, ""):
                    params[legacy] = check(raw[legacy], types, legacy, from_form=True)
            if self.enforce_flood_limits and "chat_id" in params:
                paid = bool(params.get("allow_paid_broadcast"))
                self.flood.check(canonical, params["chat_id"], paid=paid)
            handler = METHODS.get(canonical)
            if handler is None:
                raise bad("method not supported by the sandbox")
            result = await handler(self, bot, params)
        except ApiError as error:
            if error.code in (400, 404):
                self.rejected.append((canonical or name, error.description))
                log.info(
                    "sandbox refused %s of @%s: %s",
                    canonical or name,
                    bot.username,
                    error.description,
                )
            return error.code, error.payload()
        log.debug("sandbox performed %s for @%s", canonical, bot.username)
        return 200, {"ok": True, "result": result}

    # -- HTTP ---------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method != "POST" or not request.can_read_body:
            return params
        ctype = request.content_type
        if ctype == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise bad("can't parse JSON object")
            params.update(body)
        elif ctype == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                # A Bot API form is flat and every field named: a nested multipart or a
                # nameless part is a malformed request (refused, so a test sees it).
                if not isinstance(part, BodyPartReader) or part.name is None:
                    raise bad("can't parse multipart/form-data part")
                if part.filename is not None:
                    params[part.name] = {
                        "__upload__": True,
                        "filename": part.filename,
                        "data": await part.read(),
                        "content_type": part.headers.get("Content-Type"),
                    }
                else:
                    params[part.name] = await part.text()
        else:
            params.update(await request.post())
        return params

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        """One Bot API call over the simulated network: half its round trip before it is
        performed, half before its answer leaves (a long poll's wait costs nothing more)."""
        trip = self.network.round_trip()
        await self.network.travel(trip / 2)
        response = await self._answer_api(request)
        await self.network.travel(trip - trip / 2)
        return response

    async def _answer_api(self, request: web.Request) -> web.StreamResponse:
        bot = self.bots.get(request.match_info["token"])
        if bot is None or bot.logged_out:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        name = request.match_info["method"]
        canonical = method_names().get(name.lower())
        try:
            raw = await self._params(request)
        except (ValueError, ApiError) as exc:
            error = exc if isinstance(exc, ApiError) else bad("can't parse request body")
            self.rejected.append((canonical or name, error.description))
            return web.json_response(error.payload(), status=error.code)
        fault = self.faults.pick(canonical, raw) if canonical else None
        if fault is not None:
            return await self._inject(request, fault, bot, canonical or name, raw)
        status, body = await self.perform(bot, name, raw)
        return web.json_response(body, status=status, dumps=dumps)

    async def _inject(
        self, request: web.Request, fault: Fault, bot: SandboxBot, name: str, raw: dict[str, Any]
    ) -> web.StreamResponse:
        log.info("sandbox injects %s into %s of @%s", fault.kind, name, bot.username)
        if fault.kind in ("timeout", "disconnect") and fault.apply:
            await self.perform(bot, name, raw)
        if fault.kind == "timeout":
            await asyncio.sleep(fault.delay or 30.0)
            return web.json_response(
                {"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502
            )
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.kind == "disconnect":
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
        if fault.kind == "429":
            error = ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                retry_after=fault.retry_after,
            )
        else:
            error = ApiError(
                int(fault.kind), "Internal Server Error" if fault.kind == "500" else "Bad Gateway"
            )
        return web.json_response(error.payload(), status=error.code)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        return self.download(request.match_info["token"], request.match_info["path"])

    def download(self, token: str, file_path: str) -> web.Response:
        """A Bot API file download: the exact `file_path` getFile gave, for a known bot."""
        bot = self.bots.get(token)
        if bot is None or bot.logged_out:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        stored = self.files.get(file_path.rsplit("/", 1)[-1])
        if stored is None or file_path != stored.file_path:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    # -- helpers for methods ------------------------------------------------------------

    def find_user(self, chat_id: Any) -> SimUser | None:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            return next(
                (u for u in self.users.values() if (u.username or "").lower() == name), None
            )
        try:
            return self.users.get(int(chat_id))
        except (TypeError, ValueError):
            return None

    def chat_user(self, bot: SandboxBot, chat_id: Any, sending: bool = True) -> SimUser:
        """The user whose private chat `chat_id` is, as far as `bot` may write there."""
        user = self.find_user(chat_id)
        if user is None:
            raise bad("chat not found")
        if bot is not self.default_bot:
            if not sending:
                raise bad("chat not found")
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if sending and user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return user

    def user_for(self, chat_id: Any) -> SimUser:
        """The default bot's chat with `chat_id` (kept for older callers)."""
        return self.chat_user(self.default_bot, chat_id)

    def store_file(
        self, kind: str, data: bytes, *, owner: str = "bot", **details: Any
    ) -> StoredFile:
        number = next(self._file_numbers)
        stored = StoredFile(
            file_id=f"{kind}-{owner}-{number}",
            file_unique_id=f"u{owner}{number}",
            kind=kind,
            data=data,
            **details,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_for(self, value: Any, kind: str, params: dict[str, Any] | None = None) -> StoredFile:
        """A file id seen before, or an upload (stored and given a new id)."""
        params = params or {}
        if isinstance(value, dict) and value.get("__upload__"):
            mime = value.get("content_type")
            if kind != "document" and (not mime or mime == "application/octet-stream"):
                mime = DEFAULT_MIME[kind]
            return self.store_file(
                kind,
                value["data"],
                mime_type=mime,
                file_name=value.get("filename") or None,
                duration=params.get("duration"),
                length=params.get("length"),
                width=params.get("width"),
                height=params.get("height"),
                emoji=params.get("emoji"),
            )
        text = str(value)
        if text.startswith(("http://", "https://")):
            raise bad("failed to get HTTP URL content")  # the sandbox never goes online
        stored = self.files.get(text)
        if stored is None:
            raise bad("wrong file identifier/HTTP URL specified")
        return stored


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


__all__ = ["SandboxServer", "SandboxBot", "MEDIA_KINDS"]
