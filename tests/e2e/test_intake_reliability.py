"""Never silently offline: the database locked by another process or full, a second bot on
the same database, update ids starting over, an update the library can't read."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from botapi_sandbox.server import SandboxServer
from botapi_sandbox.users import SimUser
from bridge.config import Settings
from bridge.runtime.bot import BridgeBot
from tests.e2e.conftest import TOKEN, World, connect, start_all

ROOT = Path(__file__).resolve().parents[2]


# SQLite's own failures (a file locked by another process, a full disk, the instance lock):
# the `world` fixture on SQLite only.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _database(world: World) -> Path:
    return Path(world.bot.settings.database_url.removeprefix("sqlite:///"))


def _texts_from_bot(user: SimUser, needle: str) -> list[str]:
    return [m.content for m in user.chat if m.from_bot and needle in m.content]


async def _open_conversation(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/open @bob")
    await alice.wait_for_text("Everything you send now goes to Bob Durand")


@SQLITE_ONLY
async def test_a_database_locked_by_another_process_delays_but_loses_nothing(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """An operator's sqlite3 session (or a backup) holds the file past the busy timeout
    while a notification is being sent and members write: both the intake and the delivery
    worker meet the lock, say so, and when it ends everything arrives, once."""
    alice, bob = world.alice, world.bob
    await _open_conversation(world)
    await world.server.wait_until_confirmed()
    await bob.wait_idle(quiet=0.5)
    store = world.bot.store
    async with store._lock:  # 0.5 s instead of 5 s, so that the test needn't wait as long
        await store._conn.execute("PRAGMA busy_timeout = 500")
    # Telegram answers the next send late and with an error: the worker then has to record
    # the retry while the database is locked.
    world.server.faults.add("sendMessage", "502", count=1, delay=1.0)
    caplog.set_level(logging.WARNING, logger="bridge")
    await alice.send_text("before the lock")
    while not world.server.faults.injected.get("502"):  # the send is being held
        await asyncio.sleep(0.01)
    other = sqlite3.connect(_database(world), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        for n in range(3):
            await alice.send_text(f"during the lock {n}")
        await asyncio.sleep(3)
    finally:
        other.execute("ROLLBACK")
        other.close()
    for text in ("before the lock", "during the lock 0", "during the lock 1", "during the lock 2"):
        await bob.wait_for_text(text, timeout=30, since_mark=False)
    await alice.send_text("after the lock")
    await bob.wait_for_text("after the lock", timeout=10, since_mark=False)
    for text in ("before the lock", "during the lock 1", "after the lock"):
        assert len(_texts_from_bot(bob, text)) == 1, bob.texts()
    assert not _texts_from_bot(alice, "went wrong")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(w.startswith("update ") and "database is locked" in w for w in warnings)
    assert any(w.startswith("delivery waits") and "database is locked" in w for w in warnings)
    assert world.server.rejected == []


@SQLITE_ONLY
async def test_a_full_disk_delays_but_loses_nothing(world: World) -> None:
    """The database can't grow (SQLite's "database or disk is full"): messages wait, and go
    through once space is back, without a false error to the sender."""
    alice, bob = world.alice, world.bob
    await _open_conversation(world)
    # On the bot's own connection, between two transactions: no free page left, and the
    # file capped at its size now.
    store = world.bot.store
    conn = store._conn
    async with store._lock:
        await conn.execute("VACUUM")
        pages = (await (await conn.execute("PRAGMA page_count")).fetchone())[0]
        await conn.execute(f"PRAGMA max_page_count = {pages}")
    long_text = "full disk " + "x" * 4000  # longer than a page: it needs a new one
    try:
        await alice.send_text(long_text)
        await asyncio.sleep(2.5)
        assert not _texts_from_bot(bob, "full disk"), "written although the disk is full"
    finally:
        await conn.execute("PRAGMA max_page_count = 1073741823")
    await bob.wait_for_text("full disk", timeout=30, since_mark=False)
    await alice.send_text("space is back")
    await bob.wait_for_text("space is back", timeout=10, since_mark=False)
    assert len(_texts_from_bot(bob, "full disk")) == 1
    assert not _texts_from_bot(alice, "went wrong")


@SQLITE_ONLY
async def test_a_second_bot_on_the_same_database_is_refused_at_start(world: World) -> None:
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": world.server.url,
        "DATABASE_URL": world.bot.settings.database_url,
        "ADMIN_IDS": "",
    }
    second = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bridge",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(second.communicate(), timeout=20)
    except TimeoutError:
        second.kill()
        await second.wait()
        raise AssertionError("the second bot kept running beside the first") from None
    lines = (out + err).decode().strip().splitlines()
    assert second.returncode != 0
    assert len(lines) == 1 and "already running" in lines[0], lines
    assert str(_database(world)) in lines[0]
    # In the same process too, and the first bot is unharmed.
    twin = BridgeBot(world.bot.settings, poll_timeout=1)
    try:
        await twin.start()
        raise AssertionError("a second BridgeBot started on the same database")
    except RuntimeError as exc:
        assert "already running" in str(exc)
    await world.alice.send_text("/help")
    await world.alice.wait_for_text("/invite")


def _server_users(server: SandboxServer) -> tuple[SimUser, SimUser]:
    return (
        server.add_user("Alice", "Martin", username="alice"),
        server.add_user("Bob", "Durand", username="bob"),
    )


async def test_update_ids_starting_over_are_new_updates(database_url: str) -> None:
    """The local server restarted (or a new token): update ids and message ids start at 1
    again. New messages are processed, not taken for the old ones with the same numbers."""
    for run in ("first", "second"):
        server = SandboxServer()
        await server.start()
        server.add_bot(TOKEN, username="bridge_test_bot")
        alice, bob = _server_users(server)
        bot = BridgeBot(
            Settings(
                _env_file=None, bot_token=TOKEN, bot_api_url=server.url, database_url=database_url
            ),
            poll_timeout=1,
        )
        await bot.start()
        try:
            if run == "first":
                await start_all(alice, bob)
                await connect(alice, bob, "bob")
                await alice.send_text("/open @bob")
                await alice.wait_for_text("Everything you send now goes to Bob Durand")
            for n in range(8):  # ids that the first run used too
                await alice.send_text(f"{run} run {n}")
            for n in range(8):
                await bob.wait_for_text(f"{run} run {n}", since_mark=False)
            await server.wait_until_confirmed()
            assert len([t for t in bob.texts() if f"{run} run" in t]) == 8
        finally:
            await bot.stop()
            await server.stop()


async def test_a_redelivered_update_is_skipped(database_url: str) -> None:
    """The bot processed an update but never confirmed it (it died first): Telegram sends
    the identical update again, and nothing happens twice."""
    server = SandboxServer()
    await server.start()
    server.add_bot(TOKEN, username="bridge_test_bot")
    alice, bob = _server_users(server)
    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        bot_api_url=server.url,
        database_url=database_url,
    )
    bot = BridgeBot(settings, poll_timeout=1)
    await bot.start()
    try:
        await start_all(alice, bob)
        await connect(alice, bob, "bob")
        await alice.send_text("/open @bob")
        await alice.wait_for_text("Everything you send now goes to Bob Durand")
        await alice.send_text("only once")
        await bob.wait_for_text("only once", since_mark=False)
        await server.wait_until_confirmed()
        sent = next(
            u
            for u in server.default_bot.updates.recent
            if u.get("message", {}).get("text") == "only once"
        )
        await bot.stop()
        # Before the restart the intake may have been given it more than once (while it was
        # in hand, unconfirmed); what counts is that it comes again after.
        before = len(server.default_bot.updates.delivered_ids)
        await server.default_bot.updates.redeliver(sent["update_id"])
        bot = BridgeBot(settings, poll_timeout=1)
        await bot.start()
        await server.wait_until_confirmed()
        await alice.send_text("and then this")
        await bob.wait_for_text("and then this", since_mark=False)
        assert len(_texts_from_bot(bob, "only once")) == 1
        assert server.default_bot.updates.delivered_ids[before:].count(sent["update_id"]) >= 1
    finally:
        await bot.stop()
        await server.stop()


async def test_an_unreadable_update_is_skipped_reported_and_kept(world: World) -> None:
    """An update python-telegram-bot can't parse: the bot keeps it, tells the admins and
    goes on with the next ones instead of asking for it forever."""
    alice, admin = world.alice, world.admin
    await start_all(alice, admin)
    bad = await world.server.default_bot.updates.push_raw({"message": {"message_id": 1}})
    await alice.send_text("/help")
    await alice.wait_for_text("/invite", timeout=15)
    notice = await admin.wait_for_text(
        f"Update {bad['update_id']} could not be read", since_mark=False
    )
    assert "skipped" in notice.content
    await world.server.wait_until_confirmed()
    async with world.bot.store.read() as tx:
        kept = await tx.updates.unreadable(10)
    assert [u.update_id for u in kept] == [bad["update_id"]]
    assert json.loads(kept[0].payload) == bad
