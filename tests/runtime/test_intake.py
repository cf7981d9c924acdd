"""The intake with a fake Telegram and a fake application: updates of different members run
concurrently, one member's in order, and the offset confirmed to Telegram never passes an
unfinished update."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from bridge.runtime.intake import UpdateIntake
from bridge.storage import once
from bridge.storage.port import Arrival


class FakeTelegram:
    """getUpdates with Telegram's offset semantics: an update stays until an offset above
    its id is asked for; `confirmed` is the highest offset asked."""

    id = 1

    def __init__(self, updates: list[dict[str, Any]]) -> None:
        self.queue = list(updates)
        self.confirmed = 0

    def _confirm(self, offset: int | None) -> None:
        if offset:
            self.confirmed = max(self.confirmed, offset)
            self.queue = [u for u in self.queue if u["update_id"] >= offset]

    async def do_api_request(self, method: str, api_kwargs: dict[str, Any]) -> Any:
        assert method == "getUpdates"
        self._confirm(api_kwargs.get("offset"))
        if not self.queue:
            await asyncio.sleep(0.01)
        return list(self.queue)

    async def get_updates(self, offset: int, timeout: int, limit: int) -> list[Any]:
        self._confirm(offset)
        return []


class FakeApp:
    """Handles an update by noting it; a text "slow" waits until released. Records which
    update scope each handler saw (each must see its own)."""

    def __init__(self, bot: FakeTelegram) -> None:
        self.bot = bot
        self.bot_data: dict[str, Any] = {}
        self.started: list[int] = []
        self.finished: list[int] = []
        self.scopes: dict[int, int | None] = {}
        self.release = asyncio.Event()

    async def process_update(self, update: Any) -> None:
        self.started.append(update.update_id)
        if update.message.text == "slow":
            await self.release.wait()
        await asyncio.sleep(0)
        scope = once.current()
        self.scopes[update.update_id] = scope.update_id if scope else None
        self.finished.append(update.update_id)


class FakeUpdates:
    def __init__(self) -> None:
        self.done_keys: list[str] = []

    async def arrive(self, key: str, telegram_id: int | None) -> Arrival:
        return Arrival(seen=key in self.done_keys, member=None, waiting=False)

    async def done(self, key: str, update_id: int) -> None:
        self.done_keys.append(key)


class FakeCore:
    def __init__(self) -> None:
        self.updates = FakeUpdates()

    def now(self) -> datetime:
        return datetime.now(UTC)


def message(update_id: int, user: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": user, "type": "private"},
            "from": {"id": user, "is_bot": False, "first_name": f"U{user}"},
            "text": text,
        },
    }


async def until(condition: Any) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never met")


async def test_offset_stops_at_the_lowest_unfinished_update_and_members_keep_order() -> None:
    telegram = FakeTelegram(
        [
            message(1, 100, "slow"),  # member 100 waits (a reply stuck on Telegram)
            message(2, 200, "hello"),  # another member: not held up
            message(3, 100, "after"),  # member 100 again: strictly after update 1
            message(4, 300, "hi"),
        ]
    )
    app = FakeApp(telegram)
    intake = UpdateIntake(app, FakeCore(), timeout=0, concurrency=4)  # type: ignore[arg-type]
    intake.start()
    try:
        await until(lambda: {2, 4} <= set(app.finished))
        await asyncio.sleep(0.2)  # the intake keeps polling meanwhile
        assert 3 not in app.started  # waits for the same member's update 1
        assert 1 not in app.finished
        assert telegram.confirmed <= 1  # 2 and 4 are done, but 1 is not: nothing confirmed
        assert [u["update_id"] for u in telegram.queue] == [1, 2, 3, 4]
        app.release.set()
        await until(lambda: 3 in app.finished)
        assert app.finished.index(1) < app.started.index(3)
        await until(lambda: telegram.confirmed == 5)  # all four, in one go
    finally:
        await intake.stop()
    assert sorted(app.finished) == [1, 2, 3, 4]  # each once, though fetched many times
    assert app.scopes == {1: 1, 2: 2, 3: 3, 4: 4}  # each update saw its own scope
    assert intake.processed == 4


async def test_stopping_finishes_updates_in_flight_and_confirms_them() -> None:
    telegram = FakeTelegram([message(1, 100, "slow"), message(2, 200, "hello")])
    app = FakeApp(telegram)
    intake = UpdateIntake(app, FakeCore(), timeout=0, concurrency=4)  # type: ignore[arg-type]
    intake.start()
    await until(lambda: 2 in app.finished and 1 in app.started)
    stopping = asyncio.create_task(intake.stop())
    await asyncio.sleep(0.1)
    assert not stopping.done()  # waits for update 1 rather than cut it short
    app.release.set()
    await stopping
    assert sorted(app.finished) == [1, 2]
    assert telegram.confirmed == 3
