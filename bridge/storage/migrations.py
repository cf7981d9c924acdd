"""Numbered, described schema upgrades applied at start-up, each in its own transaction.

Files are ``migrations/NNNN_name.sql``; the first line is a ``-- description`` comment.
Each file is run as one script by the database's own script execution (any SQL, triggers
included); it must not BEGIN or COMMIT itself: the runner wraps it, with its version row,
in one transaction.
A database whose version is newer than the code knows is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str


class DatabaseTooNew(RuntimeError):
    pass


# Every backend's bookkeeping table (plain DDL on both).
SCHEMA_VERSION_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
    " description TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


def pending(migrations: Sequence[Migration], current: int) -> list[Migration]:
    """The migrations a database at version `current` lacks, in order; `DatabaseTooNew`
    when it is newer than these (a database is refused rather than guessed at)."""
    known = migrations[-1].version if migrations else 0
    if current > known:
        raise DatabaseTooNew(
            f"database schema is version {current}, this code knows up to {known}:"
            " refusing to start (upgrade the code)"
        )
    return [m for m in migrations if m.version > current]


def load_migrations() -> list[Migration]:
    folder = resources.files("bridge.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        version = int(entry.name.split("_", 1)[0])
        sql = entry.read_text(encoding="utf-8")
        first = sql.splitlines()[0] if sql else ""
        description = first.removeprefix("--").strip() or entry.name
        found.append(Migration(version, description, sql))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, got {versions}")
    return found
