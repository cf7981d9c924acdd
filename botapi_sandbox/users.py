"""Simulated Telegram users: they send text, commands, replies, media, edits, button presses
and reactions to the bot (each creating the Update Telegram would), block and unblock it,
and keep their chat as their client shows it, so that tests can wait for what they see."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import Any, Protocol

from botapi_sandbox.bots import SandboxBot
from botapi_sandbox.state import DEFAULT_MIME, MEDIA_KINDS, ChatMessage, StoredFile

_query_numbers = itertools.count(1)
TEST_STARS = 2500  # what a simulated user has to spend at first


class UserServer(Protocol):
    """What a simulated user needs of the server it talks through (the server assembles
    the users, so they know it by this shape, not by importing it)."""

    callback_queries: dict[str, SimUser]

    @property
    def default_bot(self) -> SandboxBot: ...

    async def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None: ...

    def event(self, kind: str, user: SimUser, message: ChatMessage) -> None: ...
    def message_payload(self, user: SimUser, message: ChatMessage) -> dict[str, Any]: ...
    def media_payload(self, stored: StoredFile) -> dict[str, Any]: ...
    def store_file(
        self, kind: str, data: bytes, *, owner: str = "bot", **details: Any
    ) -> StoredFile: ...
    async def pay(self, user: SimUser, message: ChatMessage) -> Any: ...


class SimUser:
    def __init__(
        self,
        server: UserServer,
        user_id: int,
        first_name: str,
        last_name: str,
        username: str | None,
        language_code: str,
    ) -> None:
        self.server = server
        self.id = user_id
        self.first_name, self.last_name = first_name, last_name
        self.username, self.language_code = username, language_code
        self.chat: list[ChatMessage] = []  # both directions, in order (deleted ones kept)
        self.blocked = False
        self.callback_answers: list[dict[str, Any]] = []  # answerCallbackQuery parameters
        self.chat_actions: list[str] = []  # "typing", ... as the bot sent them
        self.last_query_id: str | None = None  # of the last button press
        self.changed = asyncio.Condition()
        self.version = 0  # bumped on every change of the chat
        self._ids = itertools.count(1)
        self._mark = 0  # index in `chat` after the user's last action
        self.stars = TEST_STARS  # the user's Telegram Stars balance (`payments.py`)

    # -- identity -----------------------------------------------------------------------

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def as_user(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    def as_chat(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    # -- the chat -----------------------------------------------------------------------

    def next_message_id(self) -> int:
        return next(self._ids)

    def message(self, message_id: int) -> ChatMessage | None:
        return next((m for m in self.chat if m.message_id == message_id), None)

    async def _notify(self) -> None:
        async with self.changed:
            self.version += 1
            self.changed.notify_all()

    async def record(self, message: ChatMessage) -> None:
        self.chat.append(message)
        await self._notify()
        self.server.event("message", self, message)

    async def touched(self, message: ChatMessage, kind: str) -> None:
        """A message changed ("edit", "delete", "reaction")."""
        await self._notify()
        self.server.event(kind, self, message)

    async def answered(self, params: dict[str, Any]) -> None:
        """The bot answered one of this user's button presses."""
        self.callback_answers.append(params)
        await self._notify()

    # -- actions ------------------------------------------------------------------------

    async def _send(self, message: ChatMessage, payload: dict[str, Any]) -> ChatMessage:
        if self.blocked:  # the client's "Restart" button: unblock, then send
            await self.unblock_bot()
        await self.record(message)
        self._mark = len(self.chat)
        await self.server.push_update("message", payload)
        return message

    def _base(self, message: ChatMessage) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.as_user(),
            "chat": self.as_chat(),
            "date": message.date,
        }
        if message.reply_to is not None:
            quoted = self.message(message.reply_to)
            if quoted is None:
                raise ValueError(f"no message {message.reply_to} in {self.first_name}'s chat")
            payload["reply_to_message"] = self.server.message_payload(self, quoted)
            payload["reply_to_message"].pop("reply_to_message", None)
        return payload

    async def send_text(self, text: str, reply_to: int | None = None) -> ChatMessage:
        """A text message; a leading /command gets its bot_command entity, as on Telegram."""
        message = ChatMessage(
            message_id=self.next_message_id(),
            from_bot=False,
            date=int(time.time()),
            text=text,
            reply_to=reply_to,
        )
        payload = self._base(message)
        payload["text"] = text
        if text.startswith("/") and len(text) > 1 and not text[1].isspace():
            command = text.split()[0]
            message.entities = [
                {
                    "type": "bot_command",
                    "offset": 0,
                    "length": len(command.encode("utf-16-le")) // 2,
                }
            ]
            payload["entities"] = message.entities
        return await self._send(message, payload)

    async def send_media(
        self,
        kind: str,
        *,
        duration: int | None = None,
        length: int | None = None,
        caption: str | None = None,
        data: bytes = b"",
        file_name: str | None = None,
        mime_type: str | None = None,
        emoji: str | None = None,
        reply_to: int | None = None,
    ) -> ChatMessage:
        """Any media message; the file is stored so the bot can getFile or resend it."""
        if kind not in MEDIA_KINDS:
            raise ValueError(f"unknown media kind {kind!r}; one of {MEDIA_KINDS}")
        visual = kind in ("photo", "video", "animation")
        stored = self.server.store_file(
            kind,
            data or b"\x00" * 64,
            owner=str(self.id),
            mime_type=mime_type or DEFAULT_MIME[kind],
            file_name=file_name,
            duration=duration,
            length=length,
            width=640 if visual else None,
            height=480 if visual else None,
            emoji=emoji,
        )
        message = ChatMessage(
            message_id=self.next_message_id(),
            from_bot=False,
            date=int(time.time()),
            kind=kind,
            caption=caption or None,
            file_id=stored.file_id,
            duration=duration,
            length=length,
            file_name=file_name,
            emoji=emoji,
            reply_to=reply_to,
        )
        payload = self._base(message)
        payload.update(self.server.media_payload(stored))
        if caption:
            payload["caption"] = caption
        return await self._send(message, payload)

    async def send_voice(self, duration: int = 3, **kw: Any) -> ChatMessage:
        return await self.send_media("voice", duration=duration, **kw)

    async def send_video_note(self, duration: int = 5, length: int = 240, **kw: Any) -> ChatMessage:
        return await self.send_media("video_note", duration=duration, length=length, **kw)

    async def send_photo(self, caption: str | None = None, **kw: Any) -> ChatMessage:
        return await self.send_media("photo", caption=caption, **kw)

    async def send_document(
        self,
        file_name: str = "cv.pdf",
        data: bytes = b"%PDF-1.4",
        mime_type: str = "application/pdf",
        **kw: Any,
    ) -> ChatMessage:
        return await self.send_media(
            "document", file_name=file_name, data=data, mime_type=mime_type, **kw
        )

    async def send_animation(self, duration: int = 2, **kw: Any) -> ChatMessage:
        return await self.send_media("animation", duration=duration, **kw)

    async def send_video(self, duration: int = 10, **kw: Any) -> ChatMessage:
        return await self.send_media("video", duration=duration, **kw)

    async def send_audio(self, duration: int = 180, **kw: Any) -> ChatMessage:
        return await self.send_media("audio", duration=duration, **kw)

    async def send_sticker(self, emoji: str = "👍", **kw: Any) -> ChatMessage:
        return await self.send_media("sticker", emoji=emoji, **kw)

    async def edit_text(self, message_id: int, text: str) -> ChatMessage:
        """Edit one of the user's own messages (its caption, for media): edited_message."""
        message = self.message(message_id)
        if message is None or message.from_bot or message.deleted:
            raise ValueError(f"{self.first_name} has no message {message_id} to edit")
        message.edits.append(message.content)
        if message.kind == "text":
            message.text = text
        else:
            message.caption = text
        message.edited = True
        payload = self.server.message_payload(self, message)
        payload["edit_date"] = int(time.time())
        self._mark = len(self.chat)
        await self.touched(message, "edit")
        await self.server.push_update("edited_message", payload)
        return message

    async def press(
        self, message_id: int, callback_data: str, force: bool = False, timeout: float = 10
    ) -> dict[str, Any] | None:
        """Press an inline button: a callback_query update. Returns the bot's
        answerCallbackQuery parameters ({text, show_alert, ...}), None if none came in
        `timeout`. Only buttons that exist can be pressed unless `force` (forged data)."""
        query_id = await self.press_nowait(message_id, callback_data, force=force)
        return await self.wait_answer(query_id, timeout)

    async def press_nowait(self, message_id: int, callback_data: str, force: bool = False) -> str:
        """Press without waiting for the answer; the callback query's id."""
        message = self.message(message_id)
        if message is None or not message.from_bot or message.deleted:
            raise ValueError(f"no bot message {message_id} in {self.first_name}'s chat")
        if not force and callback_data not in [b.get("callback_data") for b in message.buttons()]:
            raise ValueError(f"no button {callback_data!r} on message {message_id}")
        query_id = f"{self.id}{next(_query_numbers):07d}"
        self.server.callback_queries[query_id] = self
        self.last_query_id = query_id
        self._mark = len(self.chat)
        await self.server.push_update(
            "callback_query",
            {
                "id": query_id,
                "from": self.as_user(),
                "chat_instance": str(-self.id),
                "data": callback_data,
                "message": self.server.message_payload(self, message),
            },
        )
        return query_id

    async def press_button(
        self, message: ChatMessage, label: str, timeout: float = 10
    ) -> dict[str, Any] | None:
        """Press the button whose label contains `label` (case-insensitive)."""
        for button in message.buttons():
            if label.lower() in button["text"].lower() and "callback_data" in button:
                return await self.press(
                    message.message_id, button["callback_data"], timeout=timeout
                )
        raise ValueError(f"no button like {label!r} in {message.buttons()}")

    async def wait_answer(self, query_id: str, timeout: float) -> dict[str, Any] | None:
        def answer() -> dict[str, Any] | None:
            return next(
                (a for a in self.callback_answers if a["callback_query_id"] == query_id), None
            )

        try:
            return await self.wait_for(lambda _chat: answer(), timeout)
        except TimeoutError:
            return None

    async def pay(self, message_id: int) -> Any:
        """Press Pay under the bot's invoice `message_id`: the bot's pre-checkout answer
        decides; the charge, or `payments.PaymentFailed` with what the client shows."""
        message = self.message(message_id)
        if message is None:
            raise ValueError(f"no message {message_id} in {self.first_name}'s chat")
        self._mark = len(self.chat)
        return await self.server.pay(self, message)

    async def paid(self, invoice: ChatMessage, payment: dict[str, Any]) -> None:
        """Telegram's service message for a payment: in the chat, and to the bot."""
        await self._service("successful_payment", payment)

    async def refunded(self, payment: dict[str, Any]) -> None:
        """Telegram's service message for a refunded payment: in the chat, and to the bot."""
        await self._service("refunded_payment", payment)

    async def _service(self, kind: str, payment: dict[str, Any]) -> None:
        message = ChatMessage(
            message_id=self.next_message_id(),
            from_bot=False,
            date=int(time.time()),
            kind=kind,
            payment=payment,
        )
        payload = self._base(message)
        payload[kind] = payment
        await self.record(message)
        await self.server.push_update("message", payload)

    async def react(self, message_id: int, emoji: str | None) -> ChatMessage:
        """Set (or with None, remove) the user's reaction: a message_reaction update."""
        message = self.message(message_id)
        if message is None or message.deleted:
            raise ValueError(f"no message {message_id} in {self.first_name}'s chat")
        old = [{"type": "emoji", "emoji": e} for e in message.reactions.get("user", [])]
        message.reactions["user"] = [emoji] if emoji else []
        new = [{"type": "emoji", "emoji": emoji}] if emoji else []
        self._mark = len(self.chat)
        await self.touched(message, "reaction")
        await self.server.push_update(
            "message_reaction",
            {
                "chat": self.as_chat(),
                "message_id": message_id,
                "user": self.as_user(),
                "date": int(time.time()),
                "old_reaction": old,
                "new_reaction": new,
            },
        )
        return message

    async def block_bot(self, blocked: bool = True) -> None:
        """Block (or unblock) the bot: the bot's sends then fail with 403, and the bot gets
        a my_chat_member update (kicked / member), as on Telegram."""
        if blocked == self.blocked:
            return
        self.blocked = blocked
        bot = self.server.default_bot
        old, new = ("member", "kicked") if blocked else ("kicked", "member")

        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": bot.as_user()}
            if status == "kicked":
                data["until_date"] = 0
            return data

        await self._notify()
        await self.server.push_update(
            "my_chat_member",
            {
                "chat": self.as_chat(),
                "from": self.as_user(),
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    async def unblock_bot(self) -> None:
        await self.block_bot(False)

    # -- waiting ------------------------------------------------------------------------

    def bot_messages(self, since_mark: bool = True) -> list[ChatMessage]:
        start = self._mark if since_mark else 0
        return [m for m in self.chat[start:] if m.from_bot and not m.deleted]

    def texts(self) -> list[str]:
        return [m.content for m in self.chat if m.from_bot and not m.deleted]

    async def wait_for(
        self, predicate: Callable[[list[ChatMessage]], Any], timeout: float = 10
    ) -> Any:
        """Until `predicate(chat)` is truthy (re-checked on every change); its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self.changed:
            while True:
                result = predicate(self.chat)
                if result:
                    return result
                remaining = deadline - loop.time()
                if remaining <= 0:
                    shown = "\n".join(
                        f"  {'bot' if m.from_bot else 'me '}: {m.content!r}" for m in self.chat[-8:]
                    )
                    raise TimeoutError(f"{self.first_name}'s chat never matched; last:\n{shown}")
                try:
                    await asyncio.wait_for(self.changed.wait(), remaining)
                except TimeoutError:
                    pass

    async def wait_for_text(
        self, needle: str, timeout: float = 10, since_mark: bool = True
    ) -> ChatMessage:
        """The first bot message containing `needle`, among those after the user's last
        action (or, with ``since_mark=False``, in the whole chat)."""
        start = self._mark if since_mark else 0

        def find(chat: list[ChatMessage]) -> ChatMessage | None:
            return next(
                (m for m in chat[start:] if m.from_bot and not m.deleted and needle in m.content),
                None,
            )

        return await self.wait_for(find, timeout)

    async def wait_for_reaction(
        self, message: ChatMessage, emoji: str, timeout: float = 10
    ) -> ChatMessage:
        """Until the bot has set `emoji` on `message` (one of the user's own)."""

        def find(chat: list[ChatMessage]) -> ChatMessage | None:
            return message if emoji in message.reactions.get("bot", []) else None

        return await self.wait_for(find, timeout)

    async def wait_for_kind(self, kind: str, timeout: float = 10) -> ChatMessage:
        start = self._mark

        def find(chat: list[ChatMessage]) -> ChatMessage | None:
            return next((m for m in chat[start:] if m.from_bot and m.kind == kind), None)

        return await self.wait_for(find, timeout)

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10) -> None:
        """Until the chat has not changed for `quiet` seconds (the bot is done answering)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self.changed:
            while True:
                seen = self.version

                def moved(since: int = seen) -> bool:
                    return self.version != since

                try:
                    await asyncio.wait_for(self.changed.wait_for(moved), quiet)
                except TimeoutError:
                    return
                if loop.time() > deadline:
                    raise TimeoutError(f"{self.first_name}'s chat never went quiet")
