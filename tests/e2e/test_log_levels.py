"""What the operator's log says under Telegram's rate limits: a 429 the outbox retries as
designed is one INFO line, not an ERROR with a traceback (ERROR is for what needs a human)."""

from __future__ import annotations

import logging

import pytest

from tests.e2e.conftest import World, start_all


async def test_a_429_the_outbox_retries_is_info_not_error(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    # Telegram rate-limits the sends into Bob's chat only: Alice's own replies go through.
    world.server.faults.add("sendMessage", "429", count=2, retry_after=1, chat_id=bob.id)
    with caplog.at_level(logging.INFO):
        await alice.send_text("/invite @bob Let's connect")
        await alice.wait_for_text("Invitation sent")
        await bob.wait_for_text("Let's connect", timeout=20)
    assert world.server.faults.injected == {"429": 2}
    loud = [
        f"{r.name} {r.levelname}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR
    ]
    assert loud == []
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("telegram"))
    told = [r for r in caplog.records if r.levelno == logging.INFO and "429" in r.getMessage()]
    assert len(told) >= 2  # each one is still visible, as INFO
    assert world.server.rejected == []
