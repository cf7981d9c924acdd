"""What one relayed message costs the database: SQL statements, aiosqlite round trips
(each a hop to its thread and back), transactions and fsync'd commits, for the intake
(the update handled: the member identified, the message stored and owed) and the delivery
(the notification planned, sent, completed) apart, plus the bot's CPU per message.

The real bot runs in this process against the local Bot API server (no latency: the counts
don't depend on it); each sender has an open conversation and sends plain texts, as in the
relay benchmark. A statement is counted by SQLite's trace callback, a round trip by
wrapping `aiosqlite.Connection._execute`; which side it belongs to is the asyncio task that
asked (`update-…`: intake, `send-…`/`delivery-worker`: delivery). A commit is fsync'd when
its transaction changed something (WAL, `synchronous = FULL`).

    python -m bench.sql_counts [--senders 10] [--messages 10]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import aiosqlite
from pydantic import SecretStr

from botapi_sandbox.server import SandboxServer
from bridge.config import Settings
from bridge.runtime.bot import BridgeBot
from tests.e2e.test_durability import _seed

TOKEN = "777:count-token"
SIDES = ("intake", "delivery")
# What is counted: statements that read or write (BEGIN/COMMIT/ROLLBACK apart, as
# "control"), trips to aiosqlite's thread, write transactions, read snapshots (a read
# transaction on the reading connection) and commits that wrote (an fsync each).
KINDS = ("statements", "control", "round_trips", "transactions", "read_snapshots", "fsync_commits")


def _shape(sql: str) -> str:
    """The statement with its values taken out (the trace shows them bound)."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return " ".join(sql.split())[:200]


def _side() -> str:
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return "other"
    name = task.get_name() if task is not None else ""
    if name.startswith("update-"):
        return "intake"
    if name.startswith(("send-", "delivery-worker")):
        return "delivery"
    return "other"


class Counts:
    """Counters per side, filled from the event loop (round trips) and from aiosqlite's
    thread (statements: the side travels with the call)."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {s: Counter() for s in (*SIDES, "other")}
        self.texts: dict[str, Counter[str]] = {s: Counter() for s in (*SIDES, "other")}
        self._local = threading.local()
        self._dirty: dict[str, bool] = {}
        self._changes: dict[int, int] = {}  # each connection's total changes at its BEGIN
        self.on = False

    def trace(self, conn: sqlite3.Connection, sql: str) -> None:
        """SQLite's trace callback, wherever the statement runs: one call per statement
        run. A write transaction begins IMMEDIATE; a plain BEGIN is a read's snapshot."""
        if not self.on:
            return
        # A statement run in the connection's thread carries its side; one run inline (the
        # writer's, on the event loop's thread) is the current task's.
        side = getattr(self._local, "side", None) or _side()
        count = self.counts[side]
        self.texts[side][_shape(sql)] += 1
        word = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        count["control" if word in ("BEGIN", "COMMIT", "ROLLBACK") else "statements"] += 1
        # Run by SQLite itself inside a statement (a trigger's program, reported again with
        # the statement's text; a virtual table's own statements, "-- "): counted above as
        # before, and apart here (FTS5 keeping the message search index up to date).
        if sql.startswith("--") or sql == getattr(self._local, "last", None):
            count["in_triggers"] += 1
        else:
            self._local.last = sql
        if word == "BEGIN":
            count["transactions" if "IMMEDIATE" in sql.upper() else "read_snapshots"] += 1
            self._changes[id(conn)] = conn.total_changes
        elif word == "COMMIT" and conn.total_changes != self._changes.get(id(conn), 0):
            count["fsync_commits"] += 1

    @contextmanager
    def installed(self) -> Iterator[None]:
        original = aiosqlite.Connection._execute
        counts = self

        async def counted(conn: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
            side = _side()
            if counts.on:
                counts.counts[side]["round_trips"] += 1

            def run() -> Any:
                counts._local.side = side
                counts._local.last = None
                return fn(*args, **kwargs)

            return await original(conn, run)

        aiosqlite.Connection._execute = counted  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            aiosqlite.Connection._execute = original  # type: ignore[method-assign]

    async def attach(self, conn: aiosqlite.Connection) -> None:
        raw = conn._conn  # the sqlite3 connection, used in its own thread only
        await conn._execute(raw.set_trace_callback, lambda sql: self.trace(raw, sql))


async def run(senders: int = 10, messages: int = 10) -> dict[str, Any]:
    """Counts per relayed message for each side, and the process's CPU per message."""
    counts = Counts()
    server = SandboxServer()
    await server.start()
    server.add_bot(TOKEN, username="count_bot")
    users = [
        (server.add_user(f"S{i}", username=f"s{i}"), server.add_user(f"R{i}", username=f"r{i}"))
        for i in range(senders)
    ]
    with tempfile.TemporaryDirectory() as tmp, counts.installed():
        url = f"sqlite:///{tmp}/count.db"
        await _seed(url, users)
        settings = Settings(
            _env_file=None,
            bot_token=SecretStr(TOKEN),
            bot_api_url=server.url,
            database_url=url,
            rate_limit=False,
        )
        bot = BridgeBot(settings, poll_timeout=1)
        await bot.start()
        try:
            store: Any = bot.store
            for conn in (store._conn, *store._readers):  # the writer, the reads' own
                await counts.attach(conn)
            for sender, recipient in users:  # warm-up: every member known, caches filled
                await sender.send_text("warm-up")
                await recipient.wait_for_text("warm-up", timeout=30, since_mark=False)
            await asyncio.sleep(0.3)
            counts.on = True
            cpu = time.process_time()
            for n in range(messages):
                await asyncio.gather(*(s.send_text(f"m:{i}:{n}") for i, (s, _) in enumerate(users)))
            for i, (_, recipient) in enumerate(users):
                await recipient.wait_for_text(f"m:{i}:{messages - 1}", timeout=60, since_mark=False)
            worker = bot.worker
            assert worker is not None
            await asyncio.sleep(0.3)  # the last completions commit
            await asyncio.wait_for(worker.idle.wait(), 30)
            cpu = time.process_time() - cpu
            counts.on = False
        finally:
            await bot.stop()
            await server.stop()
    total = senders * messages
    per = {side: {k: v / total for k, v in sorted(counts.counts[side].items())} for side in SIDES}
    per["total"] = {k: sum(per[s].get(k, 0.0) for s in SIDES) for k in (*KINDS, "in_triggers")}
    return {
        "statements": {s: counts.texts[s].most_common() for s in SIDES},
        "messages": total,
        "per_message": per,
        # Bot and local server share the process here: an upper bound of the bot's own.
        "cpu_ms_per_message": 1000 * cpu / total,
    }


def lines(result: dict[str, Any]) -> list[str]:
    out = [
        "| per relayed message | statements | BEGIN/COMMIT | round trips | write transactions |"
        " read snapshots | fsync'd commits |",
        "|---|---|---|---|---|---|---|",
    ]
    for side in (*SIDES, "total"):
        c = result["per_message"][side]
        out.append(f"| {side} | " + " | ".join(f"{c.get(k, 0):.1f}" for k in KINDS) + " |")
    triggered = result["per_message"]["total"].get("in_triggers", 0.0)
    out.append(
        f"\nOf the statements, {triggered:.1f} per relayed message are SQLite's own inside"
        " triggers (the message search index's upkeep)."
    )
    out.append(
        f"CPU per relayed message (bot and server in one process): "
        f"{result['cpu_ms_per_message']:.1f} ms"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--show", action="store_true", help="list the statements run")
    args = parser.parse_args()
    result = asyncio.run(run(args.senders, args.messages))
    if args.show:
        total = result["messages"]
        for side in SIDES:
            print(f"-- {side}")
            for sql, n in result["statements"][side]:
                print(f"{n / total:5.1f}  {sql}")
    print("\n".join(lines(result)))


if __name__ == "__main__":
    main()
