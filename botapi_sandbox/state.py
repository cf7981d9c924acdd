"""What the sandbox remembers: files, each simulated user's chat with the bot message by
message, and each bot's queue of updates with Telegram's offset semantics."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from botapi_sandbox.contract import ApiError, update_fields
from botapi_sandbox.telegram_html import to_html

MEDIA_KINDS = ("voice", "video_note", "photo", "animation", "video", "audio", "document", "sticker")
DEFAULT_MIME = {
    "voice": "audio/ogg",
    "video_note": "video/mp4",
    "photo": "image/jpeg",
    "animation": "video/mp4",
    "video": "video/mp4",
    "audio": "audio/mpeg",
    "document": "application/octet-stream",
    "sticker": "image/webp",
}
# What Telegram sends when a bot never chose (or reset) its allowed_updates.
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes = b""
    mime_type: str | None = None
    file_name: str | None = None
    duration: int | None = None
    length: int | None = None
    width: int | None = None
    height: int | None = None
    emoji: str | None = None

    @property
    def file_path(self) -> str:
        return f"{self.kind}/{self.file_id}"


@dataclass
class ChatMessage:
    """One message in a user's chat as their Telegram client shows it."""

    message_id: int
    from_bot: bool
    date: int
    kind: str = "text"  # "text" or one of MEDIA_KINDS
    text: str | None = None  # plain text, after Telegram parsed the HTML
    caption: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)  # of the text or caption
    file_id: str | None = None
    duration: int | None = None
    length: int | None = None
    file_name: str | None = None
    emoji: str | None = None  # a sticker's
    reply_to: int | None = None
    reply_markup: list[list[dict[str, Any]]] = field(default_factory=list)
    edited: bool = False
    edits: list[str] = field(default_factory=list)  # earlier contents, oldest first
    reactions: dict[str, list[str]] = field(default_factory=dict)  # "user"/"bot" → emojis
    silent: bool = False  # sent with disable_notification
    deleted: bool = False
    forwarded_from: str | None = None  # the original sender's name, for a forward
    invoice: dict[str, Any] | None = None  # an invoice's Invoice object (`payments.py`)
    invoice_payload: str | None = None  # the bot's payload of that invoice (not shown)
    paid: bool = False  # the invoice was paid
    payment: dict[str, Any] | None = None  # a successful/refunded_payment service message's
    seq: int = 0  # the control API's sequence number of the last change
    at: float = field(default_factory=time.monotonic)  # when the sandbox saw it

    @property
    def content(self) -> str:
        if self.invoice is not None:
            return f"{self.invoice['title']}\n{self.invoice['description']}"
        if self.payment is not None:
            done = "refunded" if self.kind == "refunded_payment" else "paid"
            return f"⭐ {self.payment['total_amount']} {done}"
        return self.text if self.text is not None else (self.caption or "")

    @property
    def html(self) -> str:
        """The content as safe HTML, entities re-applied (what a client would render)."""
        return to_html(self.content, self.entities)

    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.reply_markup for button in row]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["html"] = self.html
        return data


class UpdateQueue:
    """A bot's updates: they wait until the bot confirms them with a higher offset (or its
    webhook accepts them), as on Telegram; updates of a kind the bot did not allow are
    never created."""

    CONFLICT = (
        "Conflict: terminated by other getUpdates request; make sure that only one "
        "bot instance is running"
    )

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.pending: list[dict[str, Any]] = []
        self.recent: deque[dict[str, Any]] = deque(maxlen=1000)  # the last updates queued
        self.allowed: list[str] | None = None  # None: Telegram's default
        self.changed = asyncio.Condition()
        self.delivered_ids: list[int] = []  # every update_id handed to the bot (repeats too)
        self.dropped = 0  # updates not created because of allowed_updates
        self._poll = 0  # the generation of the newest getUpdates call
        self.closed = False

    def allows(self, kind: str) -> bool:
        if self.allowed:
            return kind in self.allowed
        return kind not in NOT_BY_DEFAULT

    async def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        if kind not in update_fields():
            raise ValueError(f"not an Update field: {kind}")
        if not self.allows(kind):
            self.dropped += 1
            return None
        return await self._queue({"update_id": next(self._ids), kind: payload})

    async def push_raw(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Queue an update as given, unchecked (a malformed one, to test a bot's resilience);
        it gets the next update_id."""
        return await self._queue({"update_id": next(self._ids), **fields})

    async def redeliver(self, update_id: int) -> dict[str, Any]:
        """Queue one of the recent updates again, identical, as Telegram does when a bot
        died before confirming it."""
        update = next((u for u in self.recent if u["update_id"] == update_id), None)
        if update is None:
            raise ValueError(f"no recent update {update_id}")
        async with self.changed:
            self.pending = sorted([*self.pending, dict(update)], key=lambda u: u["update_id"])
            self.changed.notify_all()
        return update

    async def _queue(self, update: dict[str, Any]) -> dict[str, Any]:
        self.recent.append(update)
        async with self.changed:
            self.pending.append(update)
            self.changed.notify_all()
        return update

    async def confirm(self, offset: int | None) -> None:
        """Forget what the bot confirmed: updates below `offset`; a negative offset keeps
        only the last ``-offset`` updates, as Telegram documents."""
        if offset is None or offset == 0:
            return
        async with self.changed:
            if offset < 0:
                self.pending = self.pending[offset:]
            else:
                self.pending = [u for u in self.pending if u["update_id"] >= offset]
            self.changed.notify_all()

    async def drop(self, update_id: int) -> None:
        async with self.changed:
            self.pending = [u for u in self.pending if u["update_id"] != update_id]
            self.changed.notify_all()

    async def clear(self) -> None:
        async with self.changed:
            self.pending.clear()
            self.changed.notify_all()

    async def wait(self, timeout: float, limit: int = 100) -> list[dict[str, Any]]:
        """Long polling: the pending updates, waiting up to `timeout` for the first one. A
        newer call ends an older one with 409 Conflict, as on Telegram."""
        self._poll += 1
        mine = self._poll
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self.changed:
            self.changed.notify_all()  # wakes an older poller, which then sees the conflict
            while not self.pending and not self.closed:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self.changed.wait(), remaining)
                except TimeoutError:
                    break
                if self._poll != mine:
                    raise ApiError(409, self.CONFLICT)
            chosen = [dict(u) for u in self.pending[:limit]]
        self.delivered_ids.extend(u["update_id"] for u in chosen)
        return chosen

    async def close(self) -> None:
        """End pending long polls at once (the server is stopping)."""
        async with self.changed:
            self.closed = True
            self.changed.notify_all()

    async def wait_empty(self, timeout: float) -> None:
        """Until every update is confirmed."""
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: not self.pending), timeout)
