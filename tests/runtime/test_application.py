"""The Application's guarantees: one update or delivery per chat at a time (locks that do
not pile up), and a callback query answered at most once whoever tries."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Update

from bridge.runtime.application import ChatBusy, ChatLocks, OnceCallbackQuery, answer_once


async def test_a_chat_lock_serializes_one_chat_only_and_is_dropped_after_use() -> None:
    locks, order = ChatLocks(), []

    async def hold(chat: int, name: str, delay: float) -> None:
        async with locks.hold(chat):
            order.append(f"{name}+")
            await asyncio.sleep(delay)
            order.append(f"{name}-")

    await asyncio.gather(hold(1, "a", 0.05), hold(1, "b", 0), hold(2, "c", 0))
    assert order.index("a-") < order.index("b+")  # same chat: one after the other
    assert order.index("c+") < order.index("a-")  # another chat: not held back
    assert locks.active == 0
    async with locks.hold(None):  # no chat (a job, a channel post): nothing to hold
        assert locks.active == 0
    async with locks.hold(1):  # the worker does not wait long for a busy chat
        with pytest.raises(ChatBusy):
            async with locks.hold(1, timeout=0.01):
                raise AssertionError("held twice")
        async with locks.hold(2, timeout=0.01):
            pass
    assert locks.active == 0


class _Bot:
    def __init__(self) -> None:
        self.answers: list[dict[str, Any]] = []

    async def answer_callback_query(self, callback_query_id: str, **kwargs: Any) -> bool:
        self.answers.append({"id": callback_query_id, **kwargs})
        return True


async def test_a_callback_query_is_answered_at_most_once() -> None:
    update = Update.de_json(
        {
            "update_id": 5,
            "callback_query": {
                "id": "77",
                "from": {"id": 1, "is_bot": False, "first_name": "A"},
                "chat_instance": "x",
                "data": "np:a",
            },
        },
        None,
    )
    bot = _Bot()
    update.callback_query.set_bot(bot)  # type: ignore[arg-type]  # as PTB's de_json does
    once = answer_once(update)
    query = once.callback_query
    assert isinstance(query, OnceCallbackQuery) and not query.answered
    assert answer_once(once) is once and once.effective_user.id == 1
    await query.answer("Saved")
    await query.answer("again", show_alert=True)  # an error after the answer, a double tap
    assert query.answered and [a["id"] for a in bot.answers] == ["77"]
    assert bot.answers[0]["text"] == "Saved"
