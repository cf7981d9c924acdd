"""The sandbox's control API: JSON under ``/sandbox/``, for the browser playground (and for
any test that drives users over HTTP). Errors answer ``{"error": "..."}`` with 400/404.
What changes state is a POST with a JSON body (``Content-Type: application/json``, else
415): a cross-site form cannot pass for one (see `guard.py`, which also checks Host and
Origin on every route).

Users
- ``GET  /sandbox/users`` → ``[{id, first_name, last_name, username, language_code,
  blocked}]``
- ``POST /sandbox/users`` ``{first_name, last_name?, username?, language_code?}`` → that
  user object

A chat (ChatMessage as JSON: ``message_id, from_bot, date, kind, text, caption, entities,
html, file_id, file_url, duration, length, file_name, emoji, reply_to, reply_markup,
edited, edits, reactions {user: [..], bot: [..]}, silent, deleted, forwarded_from, seq``;
``seq`` is the global sequence number of the message's last change)
- ``GET  /sandbox/users/{id}/chat?after=<seq>`` → ``{messages: [...changed after seq],
  last_seq}`` (``after`` omitted or 0: the whole chat)

Changes, for all users
- ``GET  /sandbox/events?after=<seq>&timeout=25`` → ``{events: [{seq, kind, user_id,
  message_id, message}], last_seq}``; long-polls up to ``timeout`` seconds (at most 60)
  until some event has ``seq > after``. ``kind``: "message", "edit", "reaction",
  "delete". ``message`` is the message as JSON at the time of the event.

Acting as a user (each creates the Update Telegram would send the bot)
- ``POST /sandbox/users/{id}/send`` ``{text, reply_to?}`` → the user's ChatMessage
- ``POST /sandbox/users/{id}/edit`` ``{message_id, text}`` → the user's edited ChatMessage
  (its caption, for media); the bot gets an ``edited_message``
- ``POST /sandbox/users/{id}/media`` ``{kind, duration?, length?, caption?, file_name?,
  mime_type?, emoji?, data_base64?, reply_to?}`` → the user's ChatMessage; ``kind`` is one
  of voice, video_note, photo, animation, video, audio, document, sticker
- ``POST /sandbox/users/{id}/press`` ``{message_id, callback_data, force?}`` →
  ``{answer}``: the bot's answerCallbackQuery parameters ``{text?, show_alert?, url?}``,
  or null if it did not answer within 10 s
- ``POST /sandbox/users/{id}/react`` ``{message_id, emoji | null}`` → ``{ok: true}``
- ``POST /sandbox/users/{id}/block`` ``{blocked: bool}`` → ``{ok: true}``
- ``POST /sandbox/users/{id}/pay`` ``{message_id}`` → ``{ok: true, charge_id, stars}`` or
  ``{ok: false, error, stars}``: the user pays the bot's invoice in test Stars (the bot's
  pre-checkout answer decides; ``error`` is what Telegram's client would show)
- ``POST /sandbox/users/{id}/stars`` ``{stars}`` → the user object: set their Star balance

Files
- ``GET  /sandbox/files/{file_id}`` → the bytes, with the file's content type

The network (`network.py`): the round trip every Bot API call pays
- ``GET  /sandbox/network`` → ``{latency_ms, jitter_ms}``
- ``POST /sandbox/network`` ``{latency_ms?, jitter_ms?}`` (numbers, 0–60,000; an omitted
  one is kept) → the new ``{latency_ms, jitter_ms}``; takes effect on the next call
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from typing import Any

from aiohttp import web

from botapi_sandbox.guard import json_body
from botapi_sandbox.payments import PaymentFailed
from botapi_sandbox.serving import Server
from botapi_sandbox.state import MEDIA_KINDS, ChatMessage
from botapi_sandbox.users import SimUser

MAX_TEXT = 4096
MAX_CAPTION = 1024


def user_json(user: SimUser) -> dict[str, Any]:
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "language_code": user.language_code,
        "blocked": user.blocked,
        "stars": user.stars,
    }


def message_json(message: ChatMessage) -> dict[str, Any]:
    data = message.as_json()
    data["file_url"] = f"/sandbox/files/{message.file_id}" if message.file_id else None
    return data


def _fail(status: int, text: str) -> web.HTTPException:
    cls = web.HTTPNotFound if status == 404 else web.HTTPBadRequest
    return cls(text=json.dumps({"error": text}), content_type="application/json")


async def _body(request: web.Request) -> dict[str, Any]:
    return await json_body(request)


def _int(value: Any, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _fail(400, f"{name} must be an integer") from None


async def _media_fields(request: web.Request) -> tuple[dict[str, Any], bytes]:
    """The /media request's fields and file bytes (base64 in the JSON body)."""
    body = await _body(request)
    try:
        data = base64.b64decode(body["data_base64"]) if body.get("data_base64") else b""
    except (binascii.Error, ValueError):
        raise _fail(400, "data_base64 is not base64") from None
    return body, data


def add_routes(app: web.Application, server: Server) -> None:
    def user_of(request: web.Request) -> SimUser:
        user = server.users.get(_int(request.match_info["id"], "id") or 0)
        if user is None:
            raise _fail(404, "no such user")
        return user

    async def list_users(request: web.Request) -> web.Response:
        return web.json_response([user_json(u) for u in server.users.values()])

    async def create_user(request: web.Request) -> web.Response:
        body = await _body(request)
        name = str(body.get("first_name") or "").strip()
        if not name:
            raise _fail(400, "first_name is required")
        user = server.add_user(
            name[:64],
            str(body.get("last_name") or "").strip()[:64],
            str(body.get("username") or "").lstrip("@")[:32] or None,
            str(body.get("language_code") or "en")[:8],
        )
        return web.json_response(user_json(user))

    async def chat(request: web.Request) -> web.Response:
        user = user_of(request)
        after = _int(request.query.get("after"), "after") or 0
        messages = [message_json(m) for m in user.chat if m.seq > after]
        return web.json_response(
            {"messages": messages, "last_seq": max([m.seq for m in user.chat], default=0)}
        )

    async def events(request: web.Request) -> web.Response:
        after = _int(request.query.get("after"), "after") or 0
        try:
            timeout = max(0.0, min(float(request.query.get("timeout", 25)), 60.0))
        except ValueError:
            raise _fail(400, "timeout must be a number") from None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        def fresh() -> bool:
            return bool(server.events) and server.events[-1]["seq"] > after

        async with server.events_changed:
            while not fresh():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(server.events_changed.wait(), remaining)
                except TimeoutError:
                    break
        found = [e for e in server.events if e["seq"] > after]
        return web.json_response(
            {"events": found, "last_seq": server.events[-1]["seq"] if server.events else 0}
        )

    async def send(request: web.Request) -> web.Response:
        body = await _body(request)
        text = str(body.get("text") or "")
        if not text.strip():
            raise _fail(400, "text is required")
        try:
            message = await user_of(request).send_text(
                text[:MAX_TEXT], reply_to=_int(body.get("reply_to"), "reply_to")
            )
        except ValueError as exc:
            raise _fail(400, str(exc)) from None
        return web.json_response(message_json(message))

    async def edit(request: web.Request) -> web.Response:
        user = user_of(request)
        body = await _body(request)
        text = str(body.get("text") or "")
        if not text.strip():
            raise _fail(400, "text is required")
        message_id = _int(body.get("message_id"), "message_id") or 0
        shown = user.message(message_id)
        limit = MAX_TEXT if shown is None or shown.kind == "text" else MAX_CAPTION
        try:
            message = await user.edit_text(message_id, text[:limit])
        except ValueError as exc:
            raise _fail(400, str(exc)) from None
        return web.json_response(message_json(message))

    async def media(request: web.Request) -> web.Response:
        user = user_of(request)
        fields, data = await _media_fields(request)
        kind = str(fields.get("kind") or "document")
        if kind not in MEDIA_KINDS:
            raise _fail(400, f"kind must be one of {', '.join(MEDIA_KINDS)}")
        try:
            message = await user.send_media(
                kind,
                duration=_int(fields.get("duration"), "duration"),
                length=_int(fields.get("length"), "length"),
                caption=str(fields["caption"])[:MAX_CAPTION] if fields.get("caption") else None,
                data=data,
                file_name=fields.get("file_name") or None,
                mime_type=fields.get("mime_type") or None,
                emoji=fields.get("emoji") or None,
                reply_to=_int(fields.get("reply_to"), "reply_to"),
            )
        except ValueError as exc:
            raise _fail(400, str(exc)) from None
        return web.json_response(message_json(message))

    async def press(request: web.Request) -> web.Response:
        user = user_of(request)
        body = await _body(request)
        try:
            answer = await user.press(
                _int(body.get("message_id"), "message_id") or 0,
                str(body.get("callback_data") or ""),
                force=bool(body.get("force")),
                timeout=10,
            )
        except ValueError as exc:
            raise _fail(400, str(exc)) from None
        if answer is not None:
            answer = {k: v for k, v in answer.items() if k != "callback_query_id"}
        return web.json_response({"answer": answer})

    async def react(request: web.Request) -> web.Response:
        user = user_of(request)
        body = await _body(request)
        try:
            await user.react(
                _int(body.get("message_id"), "message_id") or 0, body.get("emoji") or None
            )
        except ValueError as exc:
            raise _fail(400, str(exc)) from None
        return web.json_response({"ok": True})

    async def block(request: web.Request) -> web.Response:
        user = user_of(request)
        body = await _body(request)
        await user.block_bot(bool(body.get("blocked", True)))
        return web.json_response({"ok": True})

    async def pay(request: web.Request) -> web.Response:
        user = user_of(request)
        body = await _body(request)
        try:
            charge = await user.pay(_int(body.get("message_id"), "message_id") or 0)
        except ValueError as exc:
            raise _fail(400, str(exc)) from None
        except PaymentFailed as failed:
            return web.json_response({"ok": False, "error": str(failed), "stars": user.stars})
        return web.json_response({"ok": True, "charge_id": charge.charge_id, "stars": user.stars})

    async def stars(request: web.Request) -> web.Response:
        user = user_of(request)
        body = await _body(request)
        balance = _int(body.get("stars"), "stars")
        if balance is None or not 0 <= balance <= 1_000_000:
            raise _fail(400, "stars must be an integer from 0 to 1000000")
        user.stars = balance
        return web.json_response(user_json(user))

    async def file(request: web.Request) -> web.Response:
        stored = server.files.get(request.match_info["file_id"])
        if stored is None:
            raise _fail(404, "no such file")
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    app.router.add_get("/sandbox/users", list_users)
    app.router.add_post("/sandbox/users", create_user)
    app.router.add_get("/sandbox/users/{id}/chat", chat)
    app.router.add_get("/sandbox/events", events)
    app.router.add_post("/sandbox/users/{id}/send", send)
    app.router.add_post("/sandbox/users/{id}/edit", edit)
    app.router.add_post("/sandbox/users/{id}/media", media)
    app.router.add_post("/sandbox/users/{id}/press", press)
    app.router.add_post("/sandbox/users/{id}/react", react)
    app.router.add_post("/sandbox/users/{id}/block", block)
    app.router.add_post("/sandbox/users/{id}/pay", pay)
    app.router.add_post("/sandbox/users/{id}/stars", stars)

    async def network(request: web.Request) -> web.Response:
        return web.json_response(server.network.as_json())

    async def set_network(request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            server.network.set(body.get("latency_ms"), body.get("jitter_ms"))
        except ValueError as exc:
            raise _fail(400, str(exc)) from None
        return web.json_response(server.network.as_json())

    app.router.add_get("/sandbox/files/{file_id}", file)
    app.router.add_get("/sandbox/network", network)
    app.router.add_post("/sandbox/network", set_network)
