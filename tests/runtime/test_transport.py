"""The bot's HTTP client (aiohttp under PTB's `BaseRequest`): calls, uploads and answers
reach PTB as they would through its own client, and transport failures become PTB's
errors (`TimedOut`, `NetworkError`), which the outbox and the start-up retry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, TimedOut

from bridge.runtime.transport import AiohttpRequest
from tests.deploy.cluster import free_port

TOKEN = "123:transport-test"


@pytest.fixture
async def api() -> AsyncIterator[tuple[str, list[dict[str, object]]]]:
    """A stand-in Bot API answering getMe, sendMessage and sendDocument, and recording
    what each call carried."""
    seen: list[dict[str, object]] = []

    async def call(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if not request.can_read_body:
            params = {}
        elif request.content_type == "application/json":
            params = await request.json()
        else:
            params = {}
            async for part in await request.multipart():  # type: ignore[union-attr]
                params[part.name] = (  # type: ignore[union-attr]
                    (part.filename, await part.read())  # type: ignore[union-attr]
                    if part.filename  # type: ignore[union-attr]
                    else await part.text()  # type: ignore[union-attr]
                )
        seen.append({"method": method, **params})
        if method == "slow":
            await asyncio.sleep(30)
        if params.get("chat_id") in (0, "0"):
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                status=400,
            )
        me = {"id": 123, "is_bot": True, "first_name": "Bridge", "username": "bridge_bot"}
        message = {"message_id": 7, "date": 0, "chat": {"id": 5, "type": "private"}}
        result = me if method == "getMe" else {**message, "text": params.get("text", "")}
        return web.json_response({"ok": True, "result": result})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", call)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


async def test_calls_and_uploads_go_through(api: tuple[str, list[dict[str, object]]]) -> None:
    url, seen = api
    bot = Bot(TOKEN, base_url=f"{url}/bot", request=AiohttpRequest())
    async with bot:
        sent = await bot.send_message(5, "Hello <b>Ann</b>", parse_mode="HTML")
        assert sent.message_id == 7 and sent.text == "Hello <b>Ann</b>"
        await bot.send_document(5, InputFile(b"%PDF-1.4 cv", filename="cv.pdf"), caption="CV")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(0, "nobody")
    assert seen[1] == {"method": "sendMessage", "chat_id": 5, "text": "Hello <b>Ann</b>",
                       "parse_mode": "HTML"}  # fmt: skip
    upload = seen[2]
    assert upload["method"] == "sendDocument" and upload["caption"] == "CV"
    assert upload["document"] == ("cv.pdf", b"%PDF-1.4 cv")


async def test_a_call_that_never_answers_times_out(
    api: tuple[str, list[dict[str, object]]],
) -> None:
    url, _ = api
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"{url}/bot{TOKEN}/slow")
    finally:
        await request.shutdown()


async def test_a_server_that_is_not_there_is_a_network_error() -> None:
    request = AiohttpRequest(connect_timeout=2)
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(f"http://127.0.0.1:{free_port()}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    with pytest.raises(NetworkError, match="not initialized"):  # PTB wraps the RuntimeError
        await request.post(f"http://127.0.0.1:{free_port()}/bot{TOKEN}/getMe")
