"""Every implementation of the storage port, as the tests open them: the contract suite
(`tests/storage/contract/`) and every core test (the `core` fixture) run once per backend.

A new backend adds one entry here; one that needs a server it cannot find skips with the
reason (the suite must not pass silently without it where it is expected).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from bridge.storage import open_store
from bridge.storage.port import Store


@asynccontextmanager
async def sqlite_in_memory() -> AsyncIterator[Store]:
    store = await open_store("sqlite:///:memory:")
    try:
        yield store
    finally:  # an open aiosqlite connection's thread would keep pytest from exiting
        await store.close()


BACKENDS: dict[str, Callable[[], AbstractAsyncContextManager[Store]]] = {
    "sqlite": sqlite_in_memory,
}
