"""The graph follower's loop (PostgreSQL workers) stops when asked, whatever it was doing."""

from __future__ import annotations

import asyncio

from bridge.storage.postgres.follow import ConnectionFollower


class _Listener:
    """Stands for the LISTEN connection: open, and closed by the stop."""

    def __init__(self) -> None:
        self.closed = False

    def is_closed(self) -> bool:
        return self.closed

    async def close(self) -> None:
        self.closed = True


async def test_a_stop_crossing_a_notification_ends_the_loop() -> None:
    """A worker stopping just as another worker's change is notified: the loop was woken and
    cancelled in the same turn, and Python 3.11's `wait_for` swallowed the cancel
    (gh-86296) — the loop went on and the stop waited for ever (a hung test run)."""
    follower = ConnectionFollower("postgresql://unused", 0, lambda *_: None, _no_reload, 30)
    caught_up = 0

    async def catch_up() -> int:
        nonlocal caught_up
        caught_up += 1
        return 0

    listener = _Listener()
    follower._listener = listener  # type: ignore[assignment]
    follower.catch_up = catch_up  # type: ignore[method-assign]
    follower._task = asyncio.create_task(follower._run())
    await asyncio.sleep(0.01)  # the loop waits for a notification
    async with asyncio.timeout(10):  # in this task: the stop starts in this very turn
        follower._notified()
        await follower.stop()
    assert follower._task.done() and listener.closed


async def _no_reload() -> int:
    return 0
