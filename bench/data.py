"""Benchmark databases, generated once and cached under `data/bench/` (gitignored), keyed by
what determines their content: generator version, size, links per member, seed.

A file is written under a temporary name and renamed when complete, so an interrupted run
never leaves a half-seeded database that a later run would trust."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import aiosqlite
import asyncpg
from asyncpg.pool import PoolConnectionProxy
from tqdm import tqdm

from bridge.seed.inbox import cast_inbox, connection_sender, seed_conversations
from bridge.seed.population import REFERENCE_NOW, seed_network
from bridge.storage import open_store
from bridge.storage.port import Store
from bridge.storage.postgres.db import translate
from bridge.storage.postgres.store import PostgresStore
from bridge.storage.sqlite import SqliteStore

DATA = Path(__file__).resolve().parents[1] / "data" / "bench"
GENERATOR = "v2"  # bump when bridge.seed changes what a seed produces


class _Bars:
    def __init__(self, label: str) -> None:
        self.label = label
        self.bars: dict[str, tqdm] = {}

    def __call__(self, phase: str, done: int, total: int | None = None) -> None:
        bar = self.bars.get(phase)
        if bar is None:
            bar = self.bars[phase] = tqdm(
                total=total, desc=f"{self.label}: {phase}", unit="row", unit_scale=True, leave=False
            )
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


async def network_db(n: int, m: int = 50, seed: int = 1) -> tuple[Path, dict]:
    """The `n`-member network database (average degree ~2m); returns its path and how long
    seeding took (0 when cached)."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"net-{GENERATOR}-{n}-{m}-{seed}.db"
    info: dict = {"path": str(path), "cached": path.exists()}
    if not path.exists():
        info |= await _build(path, n, m, seed, inbox=None)
    return path, info


async def inbox_db(
    conversations: int = 10_000,
    messages: int = 200_000,
    digest_members: int = 10_000,
    seed: int = 5,
) -> tuple[Path, dict]:
    """A network twice the size of the inbox (m=50) whose best-connected member has
    `conversations` conversations and `messages` messages, and `digest_members` other
    members have unread messages."""
    DATA.mkdir(parents=True, exist_ok=True)
    n = max(2 * conversations + 1, digest_members + 1)
    path = DATA / (f"inbox-{GENERATOR}-{n}-{conversations}-{messages}-{digest_members}-{seed}.db")
    info: dict = {"path": str(path), "cached": path.exists()}
    if not path.exists():
        info |= await _build(path, n, 50, seed, inbox=(conversations, messages, digest_members))
    return path, info


async def fresh_postgres_database(admin_url: str, name: str) -> str:
    """An empty database `name` (dropped first if there) on `admin_url`'s server; its URL."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {name}")
    finally:
        await conn.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def inbox_postgres(
    admin_url: str,
    conversations: int = 10_000,
    messages: int = 200_000,
    digest_members: int = 10_000,
    seed: int = 5,
) -> tuple[str, dict]:
    """`inbox_db`'s network and busy inbox (same generator, same seed: the same rows) in a
    new PostgreSQL database `bridge_bench_inbox` on `admin_url`'s server, written by COPY;
    its URL and the facts (the inbox's owner, seeding time). Not cached: the benchmark's
    throwaway cluster does not outlive it."""
    url = await fresh_postgres_database(admin_url, "bridge_bench_inbox")
    n = max(2 * conversations + 1, digest_members + 1)
    store = await open_store(url)
    started = time.perf_counter()
    bars = _Bars("postgresql inbox")
    try:
        seeded = await seed_network(store, n, 50, seed, progress=bars)
        cast = cast_inbox(seeded.network, seeded.first_id, conversations, digest_members, seed)
        sender = connection_sender(seeded.network, seeded.first_id, cast.owner)
        await seed_conversations(store, seed, REFERENCE_NOW, cast, messages, sender)
    finally:
        await store.close()
        bars.close()
    await settle_postgres(url)
    return url, {"owner": cast.owner, "seed_seconds": time.perf_counter() - started}


async def settle_postgres(url: str) -> None:
    """VACUUM ANALYZE after a bulk load, as autovacuum soon would on a live database: the
    planner's statistics, and the visibility map that lets an index-only scan (the unread
    counts' partial index) skip the table."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


class Fetch(Protocol):
    async def __call__(self, sql: str, params: Mapping[str, object]) -> list[Any]: ...


def sqlite_fetch(conn: aiosqlite.Connection) -> Fetch:
    """One statement (shared SQL, `:name` placeholders) through aiosqlite, in one call."""

    async def fetch(sql: str, params: Mapping[str, object]) -> list[Any]:
        return list(await conn.execute_fetchall(sql, params))

    return fetch


def postgres_fetch(conn: asyncpg.Connection | PoolConnectionProxy) -> Fetch:
    """One statement through asyncpg on a connection held for the benchmark: no pool, no
    transaction (the least any read can cost); placeholders as the store translates them."""

    async def fetch(sql: str, params: Mapping[str, object]) -> list[Any]:
        text, names = translate(sql)
        return list(await conn.fetch(text, *(params[name] for name in names or ())))

    return fetch


@asynccontextmanager
async def open_inbox(
    path: Path | None, postgres_url: str | None
) -> AsyncIterator[tuple[Store, Fetch, Fetch, int, dict, Callable[[], list[str]] | None]]:
    """The benchmark's inbox on one backend: the store, a `Fetch` for the bound on the same
    driver (SQLite: the core's reading connection; PostgreSQL: a connection of its own,
    outside any transaction), one for the bench's own writes, the owner, how the data was
    built, and (SQLite) a counter of the statements the core sends."""
    if postgres_url is not None:
        url, build = await inbox_postgres(postgres_url)
        store = await open_store(url)
        assert isinstance(store, PostgresStore)
        try:
            async with store._pool.acquire() as conn:
                fetch = postgres_fetch(conn)
                yield store, fetch, fetch, int(build["owner"]), build, None
        finally:
            await store.close()
        return
    if path is None:
        path, build = await inbox_db()
    else:
        build = {"path": str(path), "cached": True}
    lite = await SqliteStore.open(str(path))
    try:
        # What reads go through (the same driver): any of the reading connections.
        readers = lite._readers or [lite._conn]
        reader = readers[0]
        sent: list[str] = []
        for each in readers:
            await each.set_trace_callback(sent.append)

        def statements() -> list[str]:
            counted = list(sent)
            sent.clear()
            return counted

        owner = int(await get_meta(lite, "inbox_owner"))
        yield lite, sqlite_fetch(reader), sqlite_fetch(lite._conn), owner, build, statements
    finally:
        await lite.close()


async def _build(path: Path, n: int, m: int, seed: int, inbox: tuple[int, int, int] | None) -> dict:
    tmp = path.with_suffix(".tmp")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    bars = _Bars(path.stem)
    started = time.perf_counter()
    store = await SqliteStore.open(str(tmp))
    info: dict = {}
    try:
        seeded = await seed_network(store, n, m, seed, progress=bars)
        info["network_seconds"] = time.perf_counter() - started
        if inbox is not None:
            conversations, messages, digest_members = inbox
            cast = cast_inbox(seeded.network, seeded.first_id, conversations, digest_members, seed)
            await seed_conversations(
                store,
                seed,
                REFERENCE_NOW,
                cast,
                messages,
                connection_sender(seeded.network, seeded.first_id, cast.owner),
            )
            await _set_meta(store, "inbox_owner", cast.owner)
    finally:
        await store.close()
        bars.close()
    tmp.rename(path)
    info["seed_seconds"] = time.perf_counter() - started
    return info


async def _set_meta(store: SqliteStore, key: str, value: object) -> None:
    """Benchmark facts stored beside the data (a table the app never reads)."""
    async with store.raw() as conn:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
        await conn.execute("INSERT OR REPLACE INTO bench_meta VALUES (?, ?)", (key, str(value)))


async def get_meta(store: SqliteStore, key: str) -> str:
    async with store.raw() as conn:
        cursor = await conn.execute("SELECT value FROM bench_meta WHERE key = ?", (key,))
        row = await cursor.fetchone()
    if row is None:
        raise LookupError(key)
    return str(row[0])
