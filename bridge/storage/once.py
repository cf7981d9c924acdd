"""Once per update: a Telegram update's effect and the record that it was handled commit in
the same transaction, so a crash can never leave an effect without its record (which made a
redelivered `/inmail` charge twice).

The intake opens a `processing` scope around each update; the store's write transaction
reads it. The first transaction of the update that changes something inserts the update's
key before its COMMIT; if the key is already there (the unique constraint), that effect was
applied by an earlier attempt and the transaction is rolled back with `AlreadyApplied`.
Later write transactions of the same attempt just commit. Read-only transactions (and
`store.read()`) record nothing: an update that only reads is recorded by the intake when done.

Writes that are idempotent by nature — the member's identity refreshed from the update
itself — run under `unrecorded()`, so that they can't take the record in place of the
handler's real effect. Each handler keeps its real effect in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime


@dataclass
class UpdateScope:
    key: str
    update_id: int
    received_at: datetime
    recorded: bool = False  # a transaction of this attempt committed the record
    # A storage failure met by a handler: the intake retries the whole update.
    failure: BaseException | None = None


_scope: ContextVar[UpdateScope | None] = ContextVar("bridge_update_scope", default=None)
_unrecorded: ContextVar[bool] = ContextVar("bridge_update_unrecorded", default=False)


def current() -> UpdateScope | None:
    """The update being processed by this task, if any."""
    return _scope.get()


def recording() -> UpdateScope | None:
    """The scope a write transaction must record into now (None: record nothing)."""
    scope = _scope.get()
    if scope is None or scope.recorded or _unrecorded.get():
        return None
    return scope


@contextmanager
def processing(key: str, update_id: int, received_at: datetime) -> Iterator[UpdateScope]:
    scope = UpdateScope(key=key, update_id=update_id, received_at=received_at)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


@contextmanager
def unrecorded() -> Iterator[None]:
    """Writes inside are idempotent by nature (replaying them changes nothing): they do not
    count as the update's effect."""
    token = _unrecorded.set(True)
    try:
        yield
    finally:
        _unrecorded.reset(token)
