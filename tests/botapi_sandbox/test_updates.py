"""Receiving updates as on Telegram: long polling with offset confirmation, allowed_updates,
one poller at a time, webhooks (secret header, retries); and the update each user action
creates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Conflict

from .conftest import Raw, Sandbox, webhook_endpoint


async def test_long_poll_waits_for_an_update(sandbox: Sandbox, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    await sandbox.alice.send_text("/start ref_42")
    updates = await poll
    assert loop.time() - started < 2
    message = updates[0].message
    assert (message.text, message.from_user.id, message.chat.type) == (
        "/start ref_42",
        sandbox.alice.id,
        "private",
    )
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 6)]
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1) == ()


async def test_unconfirmed_updates_are_redelivered(sandbox: Sandbox, bot: Bot) -> None:
    for text in ("one", "two", "three"):
        await sandbox.alice.send_text(text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first] == ["one", "two"]
    again = await bot.get_updates()
    assert [u.message.text for u in again] == ["one", "two", "three"]  # nothing confirmed
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["three"]
    waiter = asyncio.create_task(sandbox.server.wait_until_confirmed(timeout=2))
    await asyncio.sleep(0.05)
    assert not waiter.done()
    await bot.get_updates(offset=rest[-1].update_id + 1)
    await waiter
    await sandbox.alice.send_text("four")
    latest = await bot.get_updates(offset=-1)
    assert [u.message.text for u in latest] == ["four"]


async def test_allowed_updates_are_remembered(sandbox: Sandbox, bot: Bot) -> None:
    message = await sandbox.alice.send_text("hi")
    await bot.get_updates(offset=-1)
    confirmed = (await bot.get_updates())[-1].update_id + 1
    await sandbox.alice.react(message.message_id, "👍")  # not sent by default
    assert await bot.get_updates(offset=confirmed) == ()
    await bot.get_updates(offset=confirmed, allowed_updates=["message_reaction"])
    await sandbox.alice.send_text("not allowed now")
    await sandbox.alice.react(message.message_id, "🔥")
    updates = await bot.get_updates(offset=confirmed)
    reaction = updates[0].message_reaction
    assert len(updates) == 1 and reaction.message_id == message.message_id
    assert [r.emoji for r in reaction.old_reaction] == ["👍"]
    assert [r.emoji for r in reaction.new_reaction] == ["🔥"]


async def test_a_second_poller_ends_the_first_with_409(
    sandbox: Sandbox, bot: Bot, raw: Raw
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert await raw("getUpdates", timeout=0) == (200, {"ok": True, "result": []})
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first


async def test_user_actions_make_the_right_updates(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.alice
    await bot.get_updates(allowed_updates=Update.ALL_TYPES)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    question = await bot.send_message(alice.id, "OK?", reply_markup=markup)
    mine = await alice.send_text("a typo")
    await alice.edit_text(mine.message_id, "no typo")
    voice = await alice.send_voice(duration=9, reply_to=question.message_id)
    with pytest.raises(ValueError, match="no button"):
        await alice.press(question.message_id, "no")
    assert await alice.press(question.message_id, "yes", timeout=0.05) is None
    await alice.press(question.message_id, "forged:<b>", force=True, timeout=0.05)
    await alice.react(question.message_id, "👍")
    await alice.block_bot()
    updates = await bot.get_updates()
    kinds = [next(k for k in u.to_dict() if k != "update_id") for u in updates]
    assert kinds == [
        "message",
        "edited_message",
        "message",
        "callback_query",
        "callback_query",
        "message_reaction",
        "my_chat_member",
    ]
    assert updates[1].edited_message.text == "no typo"
    assert updates[2].message.voice.file_id == voice.file_id
    assert updates[2].message.reply_to_message.text == "OK?"
    assert [updates[3].callback_query.data, updates[4].callback_query.data] == ["yes", "forged:<b>"]
    assert updates[3].callback_query.message.message_id == question.message_id
    assert updates[6].my_chat_member.new_chat_member.status == "kicked"


async def test_press_returns_the_bots_answer(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.alice
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    message = await bot.send_message(alice.id, "Ready?", reply_markup=markup)

    async def answer_next() -> None:
        update = (await bot.get_updates(timeout=5))[-1]
        await update.callback_query.answer("Done!", show_alert=True)

    answering = asyncio.create_task(answer_next())
    answer = await alice.press(message.message_id, "go")
    await answering
    assert (answer["text"], answer["show_alert"]) == ("Done!", True)
    assert alice.callback_answers == [answer]
    with pytest.raises(Exception, match="(?i)query is too old"):
        await bot.answer_callback_query(answer["callback_query_id"], "again")


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[dict], list[int]]]:
    """A local webhook endpoint: (url, updates received, statuses to answer first)."""
    received: list[dict] = []
    failures: list[int] = []

    async def hook(request: web.Request) -> web.Response:
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
        if failures:
            return web.Response(status=failures.pop(0))
        received.append(await request.json())
        return web.json_response(
            {
                "method": "sendChatAction",
                "chat_id": received[-1]["message"]["chat"]["id"],
                "action": "typing",
            }
        )

    async with webhook_endpoint(hook) as url:
        yield url, received, failures


async def test_webhook_delivery_with_retries(
    sandbox: Sandbox, bot: Bot, raw: Raw, receiver: tuple[str, list[dict], list[int]]
) -> None:
    url, received, failures = receiver
    failures.extend([500, 502])  # the first two attempts fail: Telegram retries
    assert await bot.set_webhook(url, secret_token="s3cret")
    info = await bot.get_webhook_info()
    assert info.url == url
    status, body = await raw("getUpdates")
    assert (status, body["error_code"]) == (409, 409) and "webhook is active" in body["description"]
    await sandbox.alice.send_text("via webhook")
    await sandbox.alice.send_text("in order")
    await sandbox.server.wait_until_confirmed(timeout=5)
    assert [u["message"]["text"] for u in received] == ["via webhook", "in order"]
    assert sandbox.alice.chat_actions == ["typing", "typing"]  # the webhook's replies
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0 and "502" in (info.last_error_message or "")
    assert await bot.delete_webhook()
    await sandbox.alice.send_text("polled")
    assert [u.message.text for u in await bot.get_updates()] == ["polled"]
    status, body = await raw("setWebhook", url="https://example.com/hook")
    assert status == 400  # the sandbox never delivers off this machine


async def test_webhook_delivers_chats_concurrently_each_chat_in_order(
    sandbox: Sandbox, bot: Bot
) -> None:
    """As Telegram's server: several chats' updates are in flight at once, but a chat's
    next update is sent only once the webhook accepted its previous one."""
    release = asyncio.Event()
    in_flight: list[str] = []
    seen: list[str] = []

    async def hook(request: web.Request) -> web.Response:
        text = (await request.json())["message"]["text"]
        in_flight.append(text)
        seen.append(text)
        await release.wait()
        in_flight.remove(text)
        return web.Response()

    async with webhook_endpoint(hook) as url:
        assert await bot.set_webhook(url)
        for text in ("a1", "a2"):
            await sandbox.alice.send_text(text)
        await sandbox.bob.send_text("b1")
        for _ in range(100):
            if len(in_flight) == 2:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.1)  # a2 would have been sent by now if it did not wait
        assert sorted(in_flight) == ["a1", "b1"]
        release.set()
        await sandbox.server.wait_until_confirmed(timeout=5)
        assert seen.index("a1") < seen.index("a2") and sorted(seen) == ["a1", "a2", "b1"]
        await bot.delete_webhook()


async def test_webhook_requests_at_once_stay_within_max_connections(
    sandbox: Sandbox, bot: Bot
) -> None:
    """setWebhook's max_connections caps the requests in flight across chats (Telegram's
    default 40): here 2, with three chats waiting."""
    release = asyncio.Event()
    in_flight: list[str] = []
    most = 0

    async def hook(request: web.Request) -> web.Response:
        nonlocal most
        text = (await request.json())["message"]["text"]
        in_flight.append(text)
        most = max(most, len(in_flight))
        await release.wait()
        in_flight.remove(text)
        return web.Response()

    carol = sandbox.server.add_user("Carol", username="carol")
    async with webhook_endpoint(hook) as url:
        assert await bot.set_webhook(url, max_connections=2)
        assert (await bot.get_webhook_info()).max_connections == 2
        for user in (sandbox.alice, sandbox.bob, carol):
            await user.send_text(f"from {user.first_name}")
        for _ in range(100):
            if len(in_flight) == 2:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.1)  # a third request would have started by now
        assert len(in_flight) == 2
        release.set()
        await sandbox.server.wait_until_confirmed(timeout=5)
        assert most == 2 and in_flight == []
        await bot.delete_webhook()


async def test_a_raw_update_and_a_redelivery_come_as_queued(sandbox: Sandbox, raw: Raw) -> None:
    """Test hooks: an update the contract would not allow (malformed), and the identical
    update queued again as Telegram does when a bot died before confirming it."""
    queue = sandbox.server.default_bot.updates
    await sandbox.alice.send_text("hello")
    bad = await queue.push_raw({"message": {"message_id": 1}})
    status, body = await raw("getUpdates")
    assert status == 200 and body["result"][1] == bad
    first = body["result"][0]
    status, body = await raw("getUpdates", offset=bad["update_id"] + 1)
    assert body["result"] == []
    await queue.redeliver(first["update_id"])
    status, body = await raw("getUpdates")
    assert body["result"] == [first]
