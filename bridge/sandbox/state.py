"""What the sandbox remembers: each simulated user's chat with the bot, message by message,
and the bot's queue of updates with Telegram's offset semantics."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import asdict, dataclass, field
from typing import Any

MEDIA_KINDS = ("voice", "video_note", "photo", "animation", "video", "audio", "document",
               "sticker")


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


@dataclass
class ChatMessage:
    """One message in a user's chat as their Telegram client shows it."""

    message_id: int
    from_bot: bool
    date: int
    kind: str = "text"
    text: str | None = None
    caption: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    file_id: str | None = None
    duration: int | None = None
    length: int | None = None
    file_name: str | None = None
    reply_to: int | None = None
    reply_markup: list[list[dict[str, Any]]] = field(default_factory=list)
    edited: bool = False
    edits: list[str] = field(default_factory=list)
    reactions: dict[str, list[str]] = field(default_factory=dict)  # "user"/"bot" → emojis
    silent: bool = False
    deleted: bool = False
    seq: int = 0
    at: float = field(default_factory=time.monotonic)  # when the sandbox saw it

    @property
    def content(self) -> str:
        return self.text if self.text is not None else (self.caption or "")

    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.reply_markup for button in row]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class UpdateQueue:
    """Updates wait until the bot confirms them with a higher offset, as on Telegram."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.pending: list[dict[str, Any]] = []
        self.changed = asyncio.Condition()
        self.delivered_ids: list[int] = []  # every update_id handed to the bot (with repeats)

    async def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._ids), kind: payload}
        async with self.changed:
            self.pending.append(update)
            self.changed.notify_all()
        return update

    def confirm(self, offset: int | None) -> None:
        if offset is not None:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def available(self, allowed: list[str] | None) -> list[dict[str, Any]]:
        if not allowed:
            allowed_set = {"message", "edited_message", "callback_query", "my_chat_member"}
        else:
            allowed_set = set(allowed)
        return [u for u in self.pending if (set(u) - {"update_id"}) & allowed_set]

    async def wait(self, timeout: float, allowed: list[str] | None) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        async with self.changed:
            while not self.available(allowed):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self.changed.wait(), remaining)
                except TimeoutError:
                    break
        return self.available(allowed)
