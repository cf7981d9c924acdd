"""The sandbox's control API, for the browser playground (JSON under ``/sandbox/``):

- ``GET  /sandbox/users`` → users; ``POST /sandbox/users`` {first_name, last_name?,
  username?, language_code?} → the new user
- ``GET  /sandbox/users/{id}/chat?after=<seq>`` → {messages, last_seq}
- ``GET  /sandbox/events?after=<seq>&timeout=25`` → long-poll of changes {events, last_seq}
- ``POST /sandbox/users/{id}/send`` {text, reply_to?}
- ``POST /sandbox/users/{id}/media`` {kind, duration?, caption?, file_name?, mime_type?,
  data_base64?, reply_to?}
- ``POST /sandbox/users/{id}/press`` {message_id, callback_data} → {answer}
- ``POST /sandbox/users/{id}/react`` {message_id, emoji|null}
- ``POST /sandbox/users/{id}/block`` {blocked}
- ``GET  /sandbox/files/{file_id}`` → the bytes
"""

from __future__ import annotations

import asyncio
import base64
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bridge.sandbox.telegram_html import to_html

if TYPE_CHECKING:
    from bridge.sandbox.server import SandboxServer
    from bridge.sandbox.users import SimUser


def user_json(user: SimUser) -> dict[str, Any]:
    return {"id": user.id, "first_name": user.first_name, "last_name": user.last_name,
            "username": user.username, "language_code": user.language_code,
            "blocked": user.blocked}


def message_json(message: Any) -> dict[str, Any]:
    data = message.as_json()
    data["html"] = to_html(message.content, message.entities)
    data["file_url"] = f"/sandbox/files/{message.file_id}" if message.file_id else None
    return data


def add_routes(app: web.Application, server: SandboxServer) -> None:
    def user_of(request: web.Request) -> SimUser:
        user = server.users.get(int(request.match_info["id"]))
        if user is None:
            raise web.HTTPNotFound(text="no such user")
        return user

    async def list_users(request: web.Request) -> web.Response:
        return web.json_response([user_json(u) for u in server.users.values()])

    async def create_user(request: web.Request) -> web.Response:
        body = await request.json()
        name = str(body.get("first_name") or "").strip()
        if not name:
            raise web.HTTPBadRequest(text="first_name is required")
        user = server.add_user(name[:64], str(body.get("last_name") or "")[:64],
                               body.get("username") or None,
                               body.get("language_code") or "en")
        return web.json_response(user_json(user))

    async def chat(request: web.Request) -> web.Response:
        user = user_of(request)
        after = int(request.query.get("after", 0))
        messages = [message_json(m) for m in user.chat if m.seq > after or after == 0]
        return web.json_response({"messages": messages,
                                  "last_seq": max([m.seq for m in user.chat], default=0)})

    async def events(request: web.Request) -> web.Response:
        after = int(request.query.get("after", 0))
        timeout = min(float(request.query.get("timeout", 25)), 60)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with server.events_changed:
            while not any(e["seq"] > after for e in server.events[-500:]):
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(server.events_changed.wait(), remaining)
                except TimeoutError:
                    break
        fresh = [e for e in server.events if e["seq"] > after]
        return web.json_response({"events": fresh,
                                  "last_seq": server.events[-1]["seq"] if server.events else 0})

    async def send(request: web.Request) -> web.Response:
        body = await request.json()
        message = await user_of(request).send_text(str(body.get("text", ""))[:4096],
                                                   reply_to=body.get("reply_to"))
        return web.json_response(message_json(message))

    async def media(request: web.Request) -> web.Response:
        body = await request.json()
        data = base64.b64decode(body["data_base64"]) if body.get("data_base64") else b""
        message = await user_of(request).send_media(
            str(body.get("kind", "document")), duration=body.get("duration"),
            length=body.get("length"), caption=body.get("caption"), data=data,
            file_name=body.get("file_name"), mime_type=body.get("mime_type"),
            reply_to=body.get("reply_to"))
        return web.json_response(message_json(message))

    async def press(request: web.Request) -> web.Response:
        body = await request.json()
        try:
            answer = await user_of(request).press(int(body["message_id"]),
                                                  str(body["callback_data"]), timeout=10)
        except ValueError as exc:
            raise web.HTTPBadRequest(text=str(exc)) from None
        return web.json_response({"answer": answer})

    async def react(request: web.Request) -> web.Response:
        body = await request.json()
        await user_of(request).react(int(body["message_id"]), body.get("emoji"))
        return web.json_response({"ok": True})

    async def block(request: web.Request) -> web.Response:
        body = await request.json()
        await user_of(request).block_bot(bool(body.get("blocked", True)))
        return web.json_response({"ok": True})

    async def file(request: web.Request) -> web.Response:
        stored = server.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        return web.Response(body=stored.data,
                            content_type=stored.mime_type or "application/octet-stream")

    app.router.add_get("/sandbox/users", list_users)
    app.router.add_post("/sandbox/users", create_user)
    app.router.add_get("/sandbox/users/{id}/chat", chat)
    app.router.add_get("/sandbox/events", events)
    app.router.add_post("/sandbox/users/{id}/send", send)
    app.router.add_post("/sandbox/users/{id}/media", media)
    app.router.add_post("/sandbox/users/{id}/press", press)
    app.router.add_post("/sandbox/users/{id}/react", react)
    app.router.add_post("/sandbox/users/{id}/block", block)
    app.router.add_get("/sandbox/files/{file_id}", file)
