"""The embedded SQLite implementation of the storage port (aiosqlite, WAL)."""

from bridge.storage.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]
