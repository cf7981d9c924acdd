"""Telegram's ~1 message/s in a private chat, kept by the bot: a chat's messages after a
short burst go a second apart, other chats are not held, and paid broadcasts carry their
flag."""

from __future__ import annotations

from typing import Any

from bridge.runtime.rate_limits import TelegramLimits, posts_message, private_chat


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_chat_gets_a_short_burst_then_one_message_a_second() -> None:
    clock = Clock()
    limits = TelegramLimits(chat_rate=1.0, burst=2, clock=clock)
    waits = [limits._reserve(7) for _ in range(5)]
    assert waits == [0.0, 0.0, 1.0, 2.0, 3.0]
    assert limits._reserve(8) == 0.0  # another chat is not held by chat 7's queue
    assert limits.ready_in(7) == 4.0 and limits.ready_in(8) == 0.0 and limits.ready_in(9) == 0.0
    clock.now += 10  # idle long enough: the burst is available again
    assert [limits._reserve(7) for _ in range(3)] == [0.0, 0.0, 1.0]


def test_without_a_chat_rate_nothing_is_paced() -> None:
    limits = TelegramLimits(chat_rate=0, clock=Clock())
    assert limits.interval == 0.0
    assert limits.ready_in(7) == 0.0


def test_what_is_counted_as_a_message_to_a_private_chat() -> None:
    assert posts_message("sendMessage") and posts_message("copyMessage")
    assert not posts_message("sendChatAction") and not posts_message("setMessageReaction")
    assert private_chat(42) == 42 and private_chat("42") == 42
    assert private_chat(-1001) is None and private_chat("@channel") is None


async def test_paid_broadcast_flags_every_message_and_paces_it() -> None:
    clock = Clock()
    limits = TelegramLimits(paid_broadcast=True, burst=1, clock=clock)
    await limits.initialize()
    posted: list[dict[str, Any]] = []

    async def post(endpoint: str, data: dict[str, Any]) -> bool:
        posted.append(dict(data))
        return True

    message = {"chat_id": 5, "text": "hi"}
    await limits.process_request(post, ("sendMessage", message), {}, "sendMessage", message, None)
    reaction = {"chat_id": 5, "message_id": 1}
    await limits.process_request(
        post, ("setMessageReaction", reaction), {}, "setMessageReaction", reaction, None
    )
    assert posted == [{"chat_id": 5, "text": "hi", "allow_paid_broadcast": True}, reaction]
    assert limits.ready_in(5) == 1.0  # the reaction took no turn of the chat
    await limits.shutdown()
