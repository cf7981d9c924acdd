"""The sandbox Bot API server (aiohttp, 127.0.0.1 only).

Routes: ``/bot<token>/<method>`` (the Bot API), ``/file/bot<token>/<path>`` (downloads),
``/sandbox/...`` (the control API of `control.py`). Every request is validated against the
official contract before it is performed; refusals use Telegram's codes and descriptions
and are also kept in `server.rejected`, so tests can assert the bot never made a bad one.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bridge.sandbox import control
from bridge.sandbox.contract import ApiError, bad, method_names, validate
from bridge.sandbox.faults import Faults
from bridge.sandbox.methods import METHODS
from bridge.sandbox.state import MEDIA_KINDS, ChatMessage, StoredFile, UpdateQueue
from bridge.sandbox.users import SimUser

log = logging.getLogger(__name__)


@dataclass
class SandboxBot:
    token: str
    id: int
    username: str
    first_name: str
    updates: UpdateQueue = field(default_factory=UpdateQueue)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    webhook: str | None = None

    def as_user(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": True, "first_name": self.first_name,
                "username": self.username}


class SandboxServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the sandbox binds to the loopback interface only")
        self.host, self.port = host, port
        self.bots: dict[str, SandboxBot] = {}
        self.users: dict[int, SimUser] = {}
        self.files: dict[str, StoredFile] = {}
        self.faults = Faults()
        self.rejected: list[tuple[str, str]] = []
        self.calls: dict[str, int] = {}
        self.enforce_flood_limits = False
        self._sent_times: dict[int, list[float]] = {}
        self._user_ids = itertools.count(700_000_001)
        self._bot_ids = itertools.count(600_000_001)
        self._event_seq = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        self.events_changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle ----------------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._handle_file)
        control.add_routes(app, self)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.make_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]
        self.url = f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- population ---------------------------------------------------------------------

    def add_bot(self, token: str, username: str = "bridge_bot",
                first_name: str = "Bridge") -> SandboxBot:
        bot = SandboxBot(token=token, id=next(self._bot_ids), username=username,
                         first_name=first_name)
        self.bots[token] = bot
        return bot

    @property
    def default_bot(self) -> SandboxBot:
        return next(iter(self.bots.values()))

    def add_user(self, first_name: str, last_name: str = "", username: str | None = None,
                 language_code: str = "en") -> SimUser:
        user = SimUser(self, next(self._user_ids), first_name, last_name, username,
                       language_code)
        self.users[user.id] = user
        return user

    async def wait_until_confirmed(self, timeout: float = 10) -> None:
        """Until the bot has confirmed every update (it processed them all)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.default_bot.updates.pending:
            if loop.time() > deadline:
                raise TimeoutError(f"{len(self.default_bot.updates.pending)} updates unconfirmed")
            await asyncio.sleep(0.02)

    async def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        return await self.default_bot.updates.push(kind, payload)

    def event(self, kind: str, user: SimUser, message: ChatMessage) -> None:
        seq = next(self._event_seq)
        message.seq = seq
        self.events.append({"seq": seq, "kind": kind, "user_id": user.id,
                            "message_id": message.message_id})

        async def notify() -> None:
            async with self.events_changed:
                self.events_changed.notify_all()

        try:
            asyncio.get_running_loop().create_task(notify())
        except RuntimeError:
            pass

    # -- payloads -----------------------------------------------------------------------

    def media_payload(self, stored: StoredFile) -> dict[str, Any]:
        base = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data)}
        kind = stored.kind
        if kind == "photo":
            return {"photo": [{**base, "width": stored.width or 640,
                               "height": stored.height or 480}]}
        if kind == "voice":
            return {"voice": {**base, "duration": stored.duration or 0,
                              "mime_type": stored.mime_type or "audio/ogg"}}
        if kind == "video_note":
            return {"video_note": {**base, "duration": stored.duration or 0,
                                   "length": stored.length or 240}}
        if kind == "sticker":
            return {"sticker": {**base, "width": 512, "height": 512, "type": "regular",
                                "is_animated": False, "is_video": False,
                                "emoji": stored.emoji or "👍"}}
        if kind in ("video", "animation"):
            payload = {kind: {**base, "width": stored.width or 640,
                              "height": stored.height or 480,
                              "duration": stored.duration or 0,
                              "mime_type": stored.mime_type or "video/mp4"}}
            if kind == "animation":  # Telegram sends a GIF as animation + document
                payload["document"] = {**base, "mime_type": "video/mp4",
                                       "file_name": stored.file_name or "animation.mp4"}
            return payload
        if kind == "audio":
            return {"audio": {**base, "duration": stored.duration or 0,
                              "mime_type": stored.mime_type or "audio/mpeg"}}
        return {"document": {**base, "file_name": stored.file_name or "file",
                             "mime_type": stored.mime_type or "application/octet-stream"}}

    def message_payload(self, user: SimUser, message: ChatMessage) -> dict[str, Any]:
        bot = self.default_bot
        payload: dict[str, Any] = {
            "message_id": message.message_id, "date": message.date, "chat": user.as_chat(),
            "from": bot.as_user() if message.from_bot else user.as_user(),
        }
        if message.text is not None:
            payload["text"] = message.text
            if message.entities:
                payload["entities"] = message.entities
        if message.file_id is not None and message.file_id in self.files:
            payload.update(self.media_payload(self.files[message.file_id]))
        if message.caption:
            payload["caption"] = message.caption
            if message.entities:
                payload["caption_entities"] = message.entities
        if message.reply_markup:
            payload["reply_markup"] = {"inline_keyboard": message.reply_markup}
        if message.edited:
            payload["edit_date"] = int(time.time())
        return payload

    # -- HTTP ---------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                params.update(await request.json())
            elif ctype == "multipart/form-data":
                reader = await request.multipart()
                async for part in reader:
                    if part.filename:
                        params[part.name] = {"__upload__": True, "filename": part.filename,
                                             "data": await part.read(),
                                             "content_type": part.headers.get(
                                                 "Content-Type")}
                    else:
                        params[part.name] = await part.text()
            else:
                params.update(await request.post())
        return params

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        bot = self.bots.get(token)
        if bot is None:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        name = method_names().get(request.match_info["method"].lower())
        if name is None:
            return web.json_response({"ok": False, "error_code": 404,
                                      "description": "Not Found"}, status=404)
        self.calls[name] = self.calls.get(name, 0) + 1
        try:
            raw = await self._params(request)
            params = validate(name, raw)
            fault = self.faults.pick(name)
            if fault is not None:
                await self._inject(fault, bot, name, params)
            self._flood_check(name, params)
            handler = METHODS.get(name)
            if handler is None:
                raise bad("method not supported by the sandbox")
            result = await handler(self, bot, params)
        except ApiError as error:
            if error.code == 400:
                self.rejected.append((name, error.description))
                log.info("sandbox refused %s for @%s: %s", name, bot.username,
                         error.description)
            return web.json_response(error.payload(), status=error.code)
        return web.json_response({"ok": True, "result": result})

    async def _inject(self, fault: Any, bot: SandboxBot, name: str,
                      params: dict[str, Any]) -> None:
        if fault.kind == "429":
            raise ApiError(429, f"Too Many Requests: retry after {fault.retry_after}",
                           retry_after=fault.retry_after)
        if fault.kind in ("500", "502"):
            raise ApiError(int(fault.kind), "Internal Server Error" if fault.kind == "500"
                           else "Bad Gateway")
        if fault.kind == "timeout":
            if fault.apply:
                handler = METHODS.get(name)
                if handler is not None:
                    await handler(self, bot, params)
            await asyncio.sleep(fault.delay or 30)
            raise ApiError(504, "Gateway Timeout")
        if fault.kind == "disconnect":
            raise ConnectionResetError("sandbox dropped the connection")

    def _flood_check(self, name: str, params: dict[str, Any]) -> None:
        if not self.enforce_flood_limits or not name.startswith(("send", "copy", "forward")):
            return
        now = time.monotonic()
        chat = int(params.get("chat_id", 0) or 0)
        recent = [t for t in self._sent_times.get(chat, []) if now - t < 1.0]
        overall = [t for times in self._sent_times.values() for t in times if now - t < 1.0]
        if len(recent) >= 3 or len(overall) >= 30:
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        recent.append(now)
        self._sent_times[chat] = recent

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] not in self.bots:
            return web.Response(status=401)
        stored = self.files.get(request.match_info["path"].split("/")[-1])
        if stored is None:
            return web.Response(status=404)
        return web.Response(body=stored.data,
                            content_type=stored.mime_type or "application/octet-stream")

    # -- helpers for methods ------------------------------------------------------------

    def user_for(self, chat_id: Any) -> SimUser:
        try:
            user = self.users.get(int(chat_id))
        except (TypeError, ValueError):
            user = None
        if user is None:
            raise bad("chat not found")
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return user

    def file_for(self, value: Any, kind: str) -> StoredFile:
        """A file id seen before, or an upload (stored and given a new id)."""
        if isinstance(value, dict) and value.get("__upload__"):
            number = len(self.files) + 1
            stored = StoredFile(file_id=f"{kind}-bot-{number}", file_unique_id=f"ub{number}",
                                kind=kind, data=value["data"],
                                mime_type=value.get("content_type"),
                                file_name=value.get("filename"))
            self.files[stored.file_id] = stored
            return stored
        stored = self.files.get(str(value))
        if stored is None:
            raise bad("wrong file identifier/HTTP URL specified")
        return stored


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


__all__ = ["SandboxServer", "SandboxBot", "MEDIA_KINDS"]
