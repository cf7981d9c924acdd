"""The storage port and its implementations, chosen by the `DATABASE_URL` scheme."""

from __future__ import annotations

from bridge.storage.port import Store


async def open_store(url: str) -> Store:
    """Open the database a URL names: ``sqlite:///path/to.db``, ``sqlite:///:memory:`` or
    ``postgresql://user:password@host:port/database`` (``postgres://`` too)."""
    scheme, _, rest = url.partition("://")
    if scheme == "sqlite":
        from bridge.storage.sqlite import SqliteStore

        path = rest[1:] if rest.startswith("/") else rest
        return await SqliteStore.open(path or ":memory:")
    if scheme in ("postgresql", "postgres"):
        from bridge.storage.postgres import PostgresStore

        return await PostgresStore.open(url)
    raise ValueError(
        f"unsupported DATABASE_URL scheme {scheme!r}: use sqlite:///path/to/file.db"
        " or postgresql://user:password@host/database"
    )
