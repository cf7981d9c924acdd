"""The local Bot API server speaks the protocol as Telegram does and refuses what Telegram
refuses — checked with python-telegram-bot's own `Bot` and raw HTTP."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, RetryAfter

from botapi_sandbox.server import SandboxServer

from .conftest import webhook_endpoint

TOKEN = "100:sandbox-test"


@pytest.fixture
async def server():
    server = SandboxServer()
    await server.start()
    server.add_bot(TOKEN, username="sandbox_test_bot")
    yield server
    await server.stop()


@pytest.fixture
async def bot(server):
    bot = Bot(TOKEN, base_url=f"{server.url}/bot", base_file_url=f"{server.url}/file/bot")
    async with bot:
        yield bot


async def test_get_me_and_unknown_token_and_method(server, bot) -> None:
    assert (await bot.get_me()).username == "sandbox_test_bot"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.url}/bot999:nope/getMe") as response:
            assert response.status == 401
        async with http.get(f"{server.url}/bot{TOKEN}/sendTelepathy") as response:
            assert response.status == 404 and (await response.json())["ok"] is False
        async with http.post(f"{server.url}/bot{TOKEN}/sendMessage", data={"text": "x"}) as r:
            body = await r.json()
            assert (r.status, body["description"]) == (400, "Bad Request: chat_id is empty")


async def test_updates_stay_until_confirmed_by_offset(server, bot) -> None:
    user = server.add_user("Ann")
    await user.send_text("/start")
    await user.send_text("hello")
    first = await bot.get_updates(timeout=0)
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [u.update_id for u in first]  # redelivered
    assert first[0].message.text == "/start"
    assert first[0].message.entities[0].type == "bot_command"
    rest = await bot.get_updates(offset=first[0].update_id + 1, timeout=0)
    assert [u.message.text for u in rest] == ["hello"]


async def test_html_is_parsed_validated_and_shown_as_text(server, bot) -> None:
    user = server.add_user("Ann")
    await bot.send_message(user.id, "<b>Hi</b> &lt;b&gt;Bob&lt;/b&gt; &amp; Co", parse_mode="HTML")
    assert user.chat[-1].text == "Hi <b>Bob</b> & Co"
    assert user.chat[-1].entities[0]["type"] == "bold"
    for broken in ["<b>unclosed", "<script>x</script>", "a </i> b", "1 < 2"]:
        with pytest.raises(BadRequest, match="(?i)can't parse entities"):
            await bot.send_message(user.id, broken, parse_mode="HTML")
    await bot.send_message(user.id, "AT&T &nbsp;", parse_mode="HTML")  # Telegram: literal
    assert user.chat[-1].text == "AT&T &nbsp;"
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(user.id, "x" * 4097)
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(
            user.id,
            "x",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("b", callback_data="y" * 65)]]
            ),
        )
    assert len(server.rejected) == 6


async def test_media_keep_their_kind_and_blocked_users_answer_403(server, bot) -> None:
    ann, ben = server.add_user("Ann"), server.add_user("Ben")
    voice = await ann.send_voice(duration=42)
    sent = await bot.send_voice(ben.id, voice.file_id, caption="<i>from Ann</i>", parse_mode="HTML")
    assert sent.voice.duration.total_seconds() == 42 and ben.chat[-1].kind == "voice"
    with pytest.raises(BadRequest, match="(?i)wrong file identifier"):
        await bot.send_voice(ben.id, "no-such-file")
    with pytest.raises(BadRequest, match="(?i)type of file mismatch"):
        await bot.send_video_note(ben.id, voice.file_id)
    file = await bot.get_file(voice.file_id)
    assert await file.download_as_bytearray() == bytearray(b"\x00" * 64)
    await ben.block_bot()
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(ben.id, "still there?")


async def test_injected_429_reaches_the_client_as_retry_after(server, bot) -> None:
    user = server.add_user("Ann")
    server.faults.add("sendMessage", "429", count=1, retry_after=3)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(user.id, "x")
    assert raised.value.retry_after.total_seconds() == 3
    await bot.send_message(user.id, "x")  # the fault was used up
    assert server.faults.injected == {"429": 1}


async def test_buttons_reactions_edits_and_webhook_delivery(server, bot) -> None:
    user = server.add_user("Ann")
    message = await bot.send_message(
        user.id,
        "pick",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a:1")]]),
    )
    with pytest.raises(ValueError):
        await user.press(message.message_id, "forged")
    received: list[dict] = []

    async def hook(request: web.Request) -> web.Response:
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
        received.append(await request.json())
        return web.Response()

    async with webhook_endpoint(hook) as url:
        # message_reaction is not sent unless allowed, as on Telegram
        await bot.set_webhook(url, secret_token="s3cret", allowed_updates=Update.ALL_TYPES)
        with pytest.raises(Exception, match="Conflict"):
            await bot.get_updates()
        await user.press(message.message_id, "a:1", timeout=0.2)  # nobody answers: None
        await user.react(message.message_id, "👍")
        await user.send_text("typed")
        await user.edit_text(user.chat[-1].message_id, "typed, then edited")
        for _ in range(100):
            if len(received) >= 4:
                break
            await asyncio.sleep(0.05)
        kinds = [next(k for k in u if k != "update_id") for u in received]
        assert kinds == ["callback_query", "message_reaction", "message", "edited_message"]
        await bot.delete_webhook()


async def test_every_route_refuses_other_hosts_and_cross_site_requests(server) -> None:
    """A web page the user opens can reach 127.0.0.1: no route answers it (GET included),
    and a DNS-rebound name is refused by its Host."""
    alice = server.add_user("Alice")
    send = f"{server.url}/bot{TOKEN}/sendMessage?chat_id={alice.id}&text=pwned"
    refused = [
        ("GET", send, {"Host": "evil.test"}),
        ("GET", send, {"Origin": "http://evil.test"}),
        ("GET", send, {"Origin": "null"}),
        ("GET", send, {"Sec-Fetch-Site": "cross-site"}),  # an <img src> sends no Origin
        ("GET", send, {"Sec-Fetch-Site": "same-site"}),  # another port of 127.0.0.1
        ("GET", f"{server.url}/bot{TOKEN}/getUpdates", {"Origin": "http://evil.test"}),
        ("GET", f"{server.url}/sandbox/users", {"Origin": "http://evil.test"}),
        ("GET", f"{server.url}/sandbox/users", {"Host": "rebound.evil.test"}),
        ("GET", f"{server.url}/sandbox/events?timeout=0", {"Sec-Fetch-Site": "cross-site"}),
    ]
    async with aiohttp.ClientSession() as http:
        for method, url, headers in refused:
            async with http.request(method, url, headers=headers) as response:
                assert response.status == 403, (url, headers)
        async with http.post(
            f"{server.url}/sandbox/users/{alice.id}/send",
            json={"text": "/start"},
            headers={"Origin": "http://evil.test"},
        ) as response:
            assert response.status == 403
        # What a client of the Bot API sends (no Origin) and the server's own origin pass.
        async with http.get(send) as response:
            assert response.status == 200
        async with http.get(
            f"{server.url}/sandbox/users",
            headers={"Origin": server.url, "Sec-Fetch-Site": "same-origin"},
        ) as response:
            assert response.status == 200
    assert [m.text for m in alice.chat] == ["pwned"]  # only the request without an Origin


async def test_control_api_changes_state_only_through_json_posts(server) -> None:
    """A cross-site form can post text/plain or urlencoded bodies without a preflight: the
    control API reads JSON only. The Bot API itself keeps accepting what Telegram accepts."""
    alice = server.add_user("Alice")
    base = f"{server.url}/sandbox"
    async with aiohttp.ClientSession() as http:
        for body, ctype in [
            ('{"first_name": "Mallory"}', "text/plain"),
            ("first_name=Mallory", "application/x-www-form-urlencoded"),
        ]:
            async with http.post(
                f"{base}/users", data=body, headers={"Content-Type": ctype}
            ) as response:
                assert response.status == 415
            async with http.post(
                f"{base}/users/{alice.id}/send",
                data='{"text": "/start"}',
                headers={"Content-Type": ctype},
            ) as response:
                assert response.status == 415
        form = aiohttp.FormData()
        form.add_field("kind", "document")
        form.add_field("file", b"%PDF", filename="cv.pdf", content_type="application/pdf")
        async with http.post(f"{base}/users/{alice.id}/media", data=form) as response:
            assert response.status == 415
        async with http.get(f"{base}/users/{alice.id}/send?text=hi") as response:
            assert response.status == 405
        assert [u.first_name for u in server.users.values()] == ["Alice"]
        assert alice.chat == []
        # The Bot API: query string, urlencoded form, multipart and JSON all still work.
        api = f"{server.url}/bot{TOKEN}/sendMessage"
        async with http.get(api, params={"chat_id": alice.id, "text": "q"}) as r:
            assert r.status == 200
        async with http.post(api, data={"chat_id": str(alice.id), "text": "f"}) as r:
            assert r.status == 200
        multipart = aiohttp.FormData(
            {"chat_id": str(alice.id), "text": "m"}, default_to_multipart=True
        )
        async with http.post(api, data=multipart) as r:
            assert r.status == 200
        async with http.post(api, json={"chat_id": alice.id, "text": "j"}) as r:
            assert r.status == 200
    assert [m.text for m in alice.chat] == ["q", "f", "m", "j"]
