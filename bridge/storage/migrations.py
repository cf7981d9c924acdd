"""Numbered, described schema upgrades applied at start-up, each in its own transaction.

Files are ``migrations/NNNN_name.sql``; the first line is a ``-- description`` comment.
Each file is run as one script by the database's own script execution (any SQL, triggers
included); it must not BEGIN or COMMIT itself: the runner wraps it, with its version row,
in one transaction.
A database whose version is newer than the code knows is refused rather than guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str


class DatabaseTooNew(RuntimeError):
    pass


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
