"""One bot per database: two instances on the same file would both poll Telegram, answer
twice and fight over SQLite's lock. The first holds an OS lock on ``<database>.lock``; the
operating system drops it when the process ends however it ends (SIGKILL included), so a
crash never leaves a stale lock behind."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # not POSIX: no lock (the bot still runs)
    fcntl = None  # type: ignore[assignment]


class AlreadyRunning(RuntimeError):
    """Another process holds this database's instance lock."""


def database_file(url: str) -> Path | None:
    """``sqlite:///data/bridge.db`` → ``data/bridge.db``; None for an in-memory database."""
    scheme, _, rest = url.partition("://")
    if scheme != "sqlite":
        return None
    path = rest[1:] if rest.startswith("/") else rest
    return None if not path or path == ":memory:" else Path(path)


class InstanceLock:
    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = database.with_name(database.name + ".lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise `AlreadyRunning` with what to do about it."""
        if fcntl is None or self._file is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise AlreadyRunning(
                f"Another Bridge bot is already running on {self.database}"
                f"{f' (process {holder})' if holder.isdigit() else ''}: stop it first, or"
                " give this one its own DATABASE_URL. Two bots on one database would answer"
                " every message twice."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is None:
            return
        if fcntl is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        self._file.close()
        self._file = None
