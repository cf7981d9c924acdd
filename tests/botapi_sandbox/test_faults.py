"""Fault injection and flood limits, as the client sees them."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut

from botapi_sandbox.contract import ApiError
from botapi_sandbox.faults import Faults
from botapi_sandbox.flood import FloodLimits

from .conftest import Raw, Sandbox


async def test_429_and_5xx(sandbox: Sandbox, bot: Bot, raw: Raw) -> None:
    alice, faults = sandbox.alice, sandbox.server.faults
    faults.add("sendmessage", "429", count=1, retry_after=2)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(alice.id, "x")
    assert raised.value.retry_after.total_seconds() == 2
    faults.add("*", "502", count=1)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    faults.add("sendMessage", "500", count=1)
    status, body = await raw("sendMessage", chat_id=alice.id, text="x")
    assert (status, body["error_code"]) == (500, 500)
    await bot.send_message(alice.id, "through")
    assert [m.text for m in alice.chat] == ["through"]
    assert faults.injected == {"429": 1, "502": 1, "500": 1}
    assert faults.log == [("sendMessage", "429"), ("getMe", "502"), ("sendMessage", "500")]
    assert sandbox.server.rejected == []


async def test_timeout_with_and_without_the_send_performed(sandbox: Sandbox, bot: Bot) -> None:
    alice, faults = sandbox.alice, sandbox.server.faults
    faults.add("sendMessage", "timeout", delay=1.0, apply=True)
    with pytest.raises(TimedOut):
        await bot.send_message(alice.id, "sent, but the bot never knew", read_timeout=0.3)
    assert [m.text for m in alice.chat] == ["sent, but the bot never knew"]
    faults.add("sendMessage", "timeout", delay=1.0)
    with pytest.raises(TimedOut):
        await bot.send_message(alice.id, "lost", read_timeout=0.3)
    assert len(alice.chat) == 1


async def test_disconnect(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.server.faults.add("sendMessage", "disconnect", apply=True)
    with pytest.raises(NetworkError):
        await bot.send_message(sandbox.alice.id, "dropped after sending")
    assert sandbox.alice.chat[-1].text == "dropped after sending"
    await bot.send_message(sandbox.alice.id, "fine again")


def test_probability_is_reproducible_with_a_seed() -> None:
    def run() -> list[bool]:
        faults = Faults()
        faults.add("*", "500", count=-1, probability=0.3, seed=11)
        return [faults.pick("sendMessage") is not None for _ in range(50)]

    first = run()
    assert first == run() and 5 < sum(first) < 25
    faults = Faults()
    faults.add("sendVoice", "500")
    assert faults.pick("sendMessage") is None and faults.pick("sendVoice") is not None
    assert faults.pick("sendVoice") is None  # count=1, used
    faults.add("*", "429", count=-1)
    faults.clear()
    assert faults.pick("getMe") is None
    with pytest.raises(ValueError):
        faults.add("*", "418")


async def test_flood_limits(sandbox: Sandbox, bot: Bot) -> None:
    alice, bob = sandbox.alice, sandbox.bob
    for n in range(10):
        await bot.send_message(alice.id, f"unlimited {n}")  # off by default
    sandbox.server.enforce_flood_limits = True
    for n in range(3):  # a short burst is fine
        await bot.send_message(bob.id, f"burst {n}")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(bob.id, "one too many")
    assert raised.value.retry_after.total_seconds() >= 1
    await bot.send_message(alice.id, "another chat is not limited")


def test_paid_broadcasts_have_their_own_overall_budget() -> None:
    """Telegram: 30 messages/s overall, up to 1,000/s with allow_paid_broadcast; one chat's
    own limit holds either way."""
    flood = FloodLimits()
    for chat in range(30):
        flood.check("sendMessage", chat)
    with pytest.raises(ApiError) as refused:
        flood.check("sendMessage", 1000)
    assert refused.value.code == 429
    for chat in range(100, 400):  # over the free budget, paid: accepted
        flood.check("sendMessage", chat, paid=True)
    assert flood.paid_sent == 300
    for _ in range(3):
        flood.check("sendMessage", 9999, paid=True)
    with pytest.raises(ApiError):
        flood.check("sendMessage", 9999, paid=True)  # the chat's own limit
    assert flood.refused == 2


async def test_the_server_accepts_allow_paid_broadcast(sandbox: Sandbox, raw: Raw) -> None:
    server, alice, bob = sandbox.server, sandbox.alice, sandbox.bob
    server.enforce_flood_limits = True
    server.flood = FloodLimits(overall=1, overall_burst=1)  # a free budget of one message
    status, _ = await raw("sendMessage", chat_id=alice.id, text="free")
    assert status == 200
    status, body = await raw("sendMessage", chat_id=bob.id, text="over the free budget")
    assert (status, body["error_code"]) == (429, 429)
    status, _ = await raw("sendMessage", chat_id=bob.id, text="paid", allow_paid_broadcast=True)
    assert status == 200
    assert [m.text for m in bob.chat] == ["paid"] and server.flood.paid_sent == 1
    assert server.rejected == []


def test_a_fault_can_target_one_chat() -> None:
    faults = Faults()
    faults.add("sendMessage", "429", count=-1, chat_id=42)
    assert faults.pick("sendMessage", {"chat_id": 7}) is None
    assert faults.pick("sendMessage", {"chat_id": "42"}) is not None  # form values are text
    assert faults.pick("sendMessage") is None
