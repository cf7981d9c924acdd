"""Simulated Telegram users: they send text, commands, replies, media, button presses and
reactions to the bot, and keep their chat as their client would show it."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bridge.sandbox.state import ChatMessage, StoredFile

if TYPE_CHECKING:
    from bridge.sandbox.server import SandboxServer

_media_ids = itertools.count(1)


class SimUser:
    def __init__(self, server: SandboxServer, user_id: int, first_name: str, last_name: str,
                 username: str | None, language_code: str) -> None:
        self.server = server
        self.id = user_id
        self.first_name, self.last_name = first_name, last_name
        self.username, self.language_code = username, language_code
        self.chat: list[ChatMessage] = []
        self.blocked = False
        self.callback_answers: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._mark = 0  # index in chat after the user's last action
        self.changed = asyncio.Condition()

    # -- identity ---------------------------------------------------------------------

    def as_user(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name,
                                "language_code": self.language_code}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    def as_chat(self) -> dict[str, Any]:
        data = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    def next_message_id(self) -> int:
        return next(self._ids)

    def message(self, message_id: int) -> ChatMessage | None:
        for message in self.chat:
            if message.message_id == message_id:
                return message
        return None

    async def record(self, message: ChatMessage) -> None:
        async with self.changed:
            self.chat.append(message)
            self.changed.notify_all()
        self.server.event("message", self, message)

    async def touched(self, message: ChatMessage, kind: str) -> None:
        async with self.changed:
            self.changed.notify_all()
        self.server.event(kind, self, message)

    # -- actions ------------------------------------------------------------------------

    async def _send(self, message: ChatMessage, payload: dict[str, Any]) -> ChatMessage:
        self._mark = len(self.chat) + 1
        await self.record(message)
        await self.server.push_update("message", payload)
        return message

    def _base(self, message: ChatMessage) -> dict[str, Any]:
        payload = {"message_id": message.message_id, "from": self.as_user(),
                   "chat": self.as_chat(), "date": message.date}
        if message.reply_to is not None:
            quoted = self.message(message.reply_to)
            if quoted is not None:
                payload["reply_to_message"] = self.server.message_payload(self, quoted)
        return payload

    async def send_text(self, text: str, reply_to: int | None = None) -> ChatMessage:
        message = ChatMessage(message_id=self.next_message_id(), from_bot=False,
                              date=int(time.time()), text=text, reply_to=reply_to)
        payload = self._base(message)
        payload["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            payload["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(command)}]
            message.entities = payload["entities"]
        return await self._send(message, payload)

    async def send_media(self, kind: str, *, duration: int | None = None,
                         length: int | None = None, caption: str | None = None,
                         data: bytes = b"", file_name: str | None = None,
                         mime_type: str | None = None, emoji: str | None = None,
                         reply_to: int | None = None) -> ChatMessage:
        number = next(_media_ids)
        stored = StoredFile(file_id=f"{kind}-{self.id}-{number}",
                            file_unique_id=f"u{kind}{self.id}{number}", kind=kind,
                            data=data or b"\x00" * 64, mime_type=mime_type,
                            file_name=file_name, duration=duration, length=length,
                            width=640 if kind in ("photo", "video", "animation") else None,
                            height=480 if kind in ("photo", "video", "animation") else None,
                            emoji=emoji)
        self.server.files[stored.file_id] = stored
        message = ChatMessage(message_id=self.next_message_id(), from_bot=False,
                              date=int(time.time()), kind=kind, caption=caption,
                              file_id=stored.file_id, duration=duration, length=length,
                              file_name=file_name, reply_to=reply_to)
        payload = self._base(message)
        payload.update(self.server.media_payload(stored))
        if caption:
            payload["caption"] = caption
        return await self._send(message, payload)

    async def send_voice(self, duration: int = 3, **kw: Any) -> ChatMessage:
        return await self.send_media("voice", duration=duration, mime_type="audio/ogg", **kw)

    async def send_video_note(self, duration: int = 5, length: int = 240,
                              **kw: Any) -> ChatMessage:
        return await self.send_media("video_note", duration=duration, length=length, **kw)

    async def send_photo(self, caption: str | None = None, **kw: Any) -> ChatMessage:
        return await self.send_media("photo", caption=caption, **kw)

    async def send_document(self, file_name: str = "cv.pdf", data: bytes = b"%PDF-1.4",
                            mime_type: str = "application/pdf", **kw: Any) -> ChatMessage:
        return await self.send_media("document", file_name=file_name, data=data,
                                     mime_type=mime_type, **kw)

    async def edit_text(self, message_id: int, text: str) -> None:
        message = self.message(message_id)
        assert message is not None and not message.from_bot
        message.edits.append(message.content)
        message.text, message.edited = text, True
        payload = self._base(message)
        payload.update(text=text, edit_date=int(time.time()))
        self._mark = len(self.chat)
        await self.touched(message, "edit")
        await self.server.push_update("edited_message", payload)

    async def press(self, message_id: int, callback_data: str, force: bool = False,
                    timeout: float = 10) -> dict[str, Any] | None:
        """Press an inline button; returns the bot's answerCallbackQuery parameters."""
        message = self.message(message_id)
        if message is None or not message.from_bot:
            raise ValueError(f"no bot message {message_id} in {self.first_name}'s chat")
        if not force and callback_data not in [b.get("callback_data") for b in
                                               message.buttons()]:
            raise ValueError(f"no button {callback_data!r} on message {message_id}")
        query_id = f"cq{self.id}-{next(_media_ids)}"
        self._mark = len(self.chat)
        await self.server.push_update("callback_query", {
            "id": query_id, "from": self.as_user(), "chat_instance": str(self.id),
            "data": callback_data, "message": self.server.message_payload(self, message),
        })
        return await self.wait_answer(query_id, timeout)

    async def press_button(self, message: ChatMessage, label: str,
                           timeout: float = 10) -> dict[str, Any] | None:
        for button in message.buttons():
            if label.lower() in button["text"].lower():
                return await self.press(message.message_id, button["callback_data"],
                                        timeout=timeout)
        raise ValueError(f"no button like {label!r} in {message.buttons()}")

    async def wait_answer(self, query_id: str, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        async with self.changed:
            while True:
                for answer in self.callback_answers:
                    if answer["callback_query_id"] == query_id:
                        return answer
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                try:
                    await asyncio.wait_for(self.changed.wait(), remaining)
                except TimeoutError:
                    return None

    async def react(self, message_id: int, emoji: str | None) -> None:
        message = self.message(message_id)
        assert message is not None
        old = [{"type": "emoji", "emoji": e} for e in message.reactions.get("user", [])]
        message.reactions["user"] = [emoji] if emoji else []
        new = [{"type": "emoji", "emoji": emoji}] if emoji else []
        self._mark = len(self.chat)
        await self.touched(message, "reaction")
        await self.server.push_update("message_reaction", {
            "chat": self.as_chat(), "message_id": message_id, "user": self.as_user(),
            "date": int(time.time()), "old_reaction": old, "new_reaction": new,
        })

    async def block_bot(self, blocked: bool = True) -> None:
        self.blocked = blocked
        now = int(time.time())
        bot = self.server.default_bot
        old, new = ("member", "kicked") if blocked else ("kicked", "member")

        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": bot.as_user()}
            if status == "kicked":
                data["until_date"] = 0
            return data

        await self.server.push_update("my_chat_member", {
            "chat": self.as_chat(), "from": self.as_user(), "date": now,
            "old_chat_member": member(old), "new_chat_member": member(new),
        })

    # -- waiting ------------------------------------------------------------------------

    def bot_messages(self, since_mark: bool = True) -> list[ChatMessage]:
        start = self._mark if since_mark else 0
        return [m for m in self.chat[start:] if m.from_bot and not m.deleted]

    async def wait_for(self, predicate: Callable[[list[ChatMessage]], Any],
                       timeout: float = 10) -> Any:
        deadline = time.monotonic() + timeout
        async with self.changed:
            while True:
                result = predicate(self.chat)
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    shown = "\n".join(f"  {'bot' if m.from_bot else 'me '}: {m.content!r}"
                                      for m in self.chat[-8:])
                    raise TimeoutError(f"{self.first_name}'s chat never matched; last:\n{shown}")
                try:
                    await asyncio.wait_for(self.changed.wait(), remaining)
                except TimeoutError:
                    pass

    async def wait_for_text(self, needle: str, timeout: float = 10,
                            since_mark: bool = True) -> ChatMessage:
        """The first bot message (after the user's last action) whose text contains `needle`."""
        start = self._mark if since_mark else 0

        def find(chat: list[ChatMessage]) -> ChatMessage | None:
            for message in chat[start:]:
                if message.from_bot and not message.deleted and needle in message.content:
                    return message
            return None

        return await self.wait_for(find, timeout)

    async def wait_for_kind(self, kind: str, timeout: float = 10) -> ChatMessage:
        start = self._mark

        def find(chat: list[ChatMessage]) -> ChatMessage | None:
            return next((m for m in chat[start:] if m.from_bot and m.kind == kind), None)

        return await self.wait_for(find, timeout)

    def texts(self) -> list[str]:
        return [m.content for m in self.chat if m.from_bot and not m.deleted]
