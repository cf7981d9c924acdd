"""The control API the playground page uses: users, chats, events, acting as a user."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import aiohttp
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update

from .conftest import Sandbox


async def test_control_api_round_trip(sandbox: Sandbox, bot: Bot) -> None:
    base = f"{sandbox.server.url}/sandbox"
    async with aiohttp.ClientSession() as http:

        async def call(verb: str, path: str, **kw: Any) -> tuple[int, Any]:
            async with http.request(verb, base + path, **kw) as response:
                return response.status, await response.json()

        status, carol = await call(
            "POST", "/users", json={"first_name": "Carol", "username": "@carol"}
        )
        assert status == 200 and carol["username"] == "carol" and not carol["blocked"]
        assert carol["id"] in sandbox.server.users
        status, users = await call("GET", "/users")
        assert [u["first_name"] for u in users] == ["Alice", "Bob", "Carol"]
        status, error = await call("POST", "/users", json={})
        assert status == 400 and "first_name" in error["error"]

        _, head = await call("GET", "/events?after=0&timeout=0")
        assert head == {"events": [], "last_seq": 0}
        waiting = asyncio.create_task(call("GET", "/events?after=0&timeout=5"))
        await asyncio.sleep(0.1)
        status, sent = await call("POST", f"/users/{carol['id']}/send", json={"text": "/start"})
        assert status == 200 and sent["text"] == "/start" and not sent["from_bot"]
        _, events = await waiting
        assert [(e["kind"], e["user_id"]) for e in events["events"]] == [("message", carol["id"])]
        assert events["events"][0]["message"]["text"] == "/start"
        cursor = events["last_seq"]

        updates = await bot.get_updates(allowed_updates=Update.ALL_TYPES)
        assert updates[-1].message.text == "/start"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Hi", callback_data="hi")]])
        welcome = await bot.send_message(
            carol["id"], "<b>Welcome</b>", parse_mode="HTML", reply_markup=markup
        )
        _, chat = await call("GET", f"/users/{carol['id']}/chat?after={cursor}")
        [shown] = chat["messages"]
        assert (shown["text"], shown["html"], shown["from_bot"]) == (
            "Welcome",
            "<b>Welcome</b>",
            True,
        )
        assert shown["reply_markup"] == [[{"text": "Hi", "callback_data": "hi"}]]
        assert chat["last_seq"] == shown["seq"] > cursor

        voice_bytes = b"OggS-voice"
        status, voice = await call(
            "POST",
            f"/users/{carol['id']}/media",
            json={
                "kind": "voice",
                "duration": 4,
                "data_base64": base64.b64encode(voice_bytes).decode(),
                "reply_to": welcome.message_id,
            },
        )
        assert status == 200 and (voice["kind"], voice["duration"]) == ("voice", 4)
        assert voice["reply_to"] == welcome.message_id
        async with http.get(sandbox.server.url + voice["file_url"]) as response:
            assert await response.read() == voice_bytes
            assert response.content_type == "audio/ogg"
        status, document = await call(
            "POST",
            f"/users/{carol['id']}/media",
            json={
                "kind": "document",
                "file_name": "cv.pdf",
                "mime_type": "application/pdf",
                "data_base64": base64.b64encode(b"%PDF").decode(),
            },
        )
        assert status == 200 and (document["kind"], document["file_name"]) == ("document", "cv.pdf")

        status, error = await call(
            "POST",
            f"/users/{carol['id']}/press",
            json={"message_id": welcome.message_id, "callback_data": "nope"},
        )
        assert status == 400 and "no button" in error["error"]

        async def answer() -> None:
            for _ in range(50):
                for update in await bot.get_updates(offset=updates[-1].update_id + 1):
                    if update.callback_query:
                        await update.callback_query.answer("Hello!")
                        return
                await asyncio.sleep(0.02)

        answering = asyncio.create_task(answer())
        status, pressed = await call(
            "POST",
            f"/users/{carol['id']}/press",
            json={"message_id": welcome.message_id, "callback_data": "hi"},
        )
        await answering
        assert pressed["answer"]["text"] == "Hello!"

        status, _ = await call(
            "POST",
            f"/users/{carol['id']}/react",
            json={"message_id": welcome.message_id, "emoji": "🔥"},
        )
        assert status == 200
        status, _ = await call("POST", f"/users/{carol['id']}/block", json={"blocked": True})
        _, users = await call("GET", "/users")
        assert users[-1]["blocked"] is True
        _, events = await call("GET", f"/events?after={cursor}&timeout=0")
        kinds = [e["kind"] for e in events["events"]]
        assert kinds == ["message", "message", "message", "reaction"]
        assert events["events"][-1]["message"]["reactions"] == {"user": ["🔥"]}
        status, _ = await call("GET", "/users/1/chat")
        assert status == 404
    assert sandbox.server.rejected == []


async def test_a_user_edits_their_text_through_the_control_api(sandbox: Sandbox, bot: Bot) -> None:
    """The page's edit: the bot gets an edited_message, the chat shows the new text."""
    alice = sandbox.alice
    base = f"{sandbox.server.url}/sandbox/users/{alice.id}"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/send", json={"text": "See you at 10"}) as response:
            sent = await response.json()
        async with http.post(
            f"{base}/edit", json={"message_id": sent["message_id"], "text": "See you at 11"}
        ) as response:
            assert response.status == 200
            edited = await response.json()
        assert (edited["text"], edited["edited"]) == ("See you at 11", True)
        async with http.post(f"{base}/edit", json={"message_id": 999, "text": "x"}) as response:
            assert response.status == 400
        async with http.post(
            f"{base}/edit", json={"message_id": sent["message_id"], "text": " "}
        ) as response:
            assert response.status == 400
    updates = await bot.get_updates(allowed_updates=Update.ALL_TYPES)
    assert updates[-1].edited_message.text == "See you at 11"
    assert updates[-1].edited_message.message_id == sent["message_id"]
    assert alice.chat[-1].text == "See you at 11"
