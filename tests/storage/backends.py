"""Every implementation of the storage port, as the tests open them: the contract suite
(`tests/storage/contract/`) and every core test (the `core` fixture) run once per backend.

A new backend adds one entry here; one that needs a server it cannot find skips with the
reason (the suite must not pass silently without it where it is expected).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest

from bridge.storage import open_store
from bridge.storage.port import Store
from tests.storage.postgres_server import REASON_PREFIX, NoPostgres, fresh_database


@asynccontextmanager
async def sqlite_in_memory() -> AsyncIterator[Store]:
    store = await open_store("sqlite:///:memory:")
    try:
        yield store
    finally:  # an open aiosqlite connection's thread would keep pytest from exiting
        await store.close()


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """The URL of a new database on the test server (tests/storage/postgres_server.py),
    or a skip with the reason — a failure with REQUIRE_POSTGRES=1."""
    try:
        database = fresh_database()
        url = await database.__aenter__()
    except NoPostgres as exc:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {exc}")
        pytest.skip(f"{REASON_PREFIX} {exc}")
    try:
        yield url
    finally:
        await database.__aexit__(None, None, None)


@asynccontextmanager
async def postgres_fresh() -> AsyncIterator[Store]:
    async with postgres_database() as url:
        store = await open_store(url)
        try:
            yield store
        finally:
            await store.close()


BACKENDS: dict[str, Callable[[], AbstractAsyncContextManager[Store]]] = {
    "sqlite": sqlite_in_memory,
    "postgres": postgres_fresh,
}
