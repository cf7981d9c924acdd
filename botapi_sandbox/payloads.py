"""Bot API JSON objects built from the sandbox's state (Message, the media objects, File),
shaped like Telegram's so that python-telegram-bot parses them as it would the real ones."""

from __future__ import annotations

import time
from typing import Any

from botapi_sandbox.state import ChatMessage, StoredFile
from botapi_sandbox.users import SimUser


def media(stored: StoredFile) -> dict[str, Any]:
    """The message fields of one file, by kind (a GIF is animation + document)."""
    base = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
    }
    kind = stored.kind
    if kind == "photo":
        width, height = stored.width or 640, stored.height or 480
        return {
            "photo": [
                {**base, "width": width // 4, "height": height // 4},
                {**base, "width": width, "height": height},
            ]
        }
    if kind == "voice":
        return {
            "voice": {
                **base,
                "duration": stored.duration or 0,
                "mime_type": stored.mime_type or "audio/ogg",
            }
        }
    if kind == "video_note":
        return {
            "video_note": {**base, "duration": stored.duration or 0, "length": stored.length or 240}
        }
    if kind == "sticker":
        return {
            "sticker": {
                **base,
                "width": 512,
                "height": 512,
                "type": "regular",
                "is_animated": False,
                "is_video": False,
                "emoji": stored.emoji or "👍",
            }
        }
    if kind in ("video", "animation"):
        payload: dict[str, Any] = {
            kind: {
                **base,
                "width": stored.width or 640,
                "height": stored.height or 480,
                "duration": stored.duration or 0,
                "mime_type": stored.mime_type or "video/mp4",
            }
        }
        if kind == "animation":
            payload["document"] = {
                **base,
                "mime_type": stored.mime_type or "video/mp4",
                "file_name": stored.file_name or "animation.mp4",
            }
        return payload
    if kind == "audio":
        return {
            "audio": {
                **base,
                "duration": stored.duration or 0,
                "mime_type": stored.mime_type or "audio/mpeg",
                **({"file_name": stored.file_name} if stored.file_name else {}),
            }
        }
    return {
        "document": {
            **base,
            "file_name": stored.file_name or "file",
            "mime_type": stored.mime_type or "application/octet-stream",
        }
    }


def file_object(stored: StoredFile) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }


def message(
    bot_user: dict[str, Any],
    user: SimUser,
    msg: ChatMessage,
    files: dict[str, StoredFile],
    with_reply: bool = True,
) -> dict[str, Any]:
    """A Message in `user`'s private chat; `reply_to_message` one level deep, as Telegram."""
    payload: dict[str, Any] = {
        "message_id": msg.message_id,
        "date": msg.date,
        "chat": user.as_chat(),
        "from": bot_user if msg.from_bot else user.as_user(),
    }
    if msg.text is not None:
        payload["text"] = msg.text
        if msg.entities:
            payload["entities"] = msg.entities
    if msg.file_id is not None and msg.file_id in files:
        payload.update(media(files[msg.file_id]))
        for kind in ("voice", "video_note", "video", "animation", "audio"):
            if kind in payload and msg.duration is not None:
                payload[kind] = {**payload[kind], "duration": msg.duration}
    if msg.caption:
        payload["caption"] = msg.caption
        if msg.entities:
            payload["caption_entities"] = msg.entities
    if msg.invoice is not None:
        payload["invoice"] = dict(msg.invoice)
    if msg.payment is not None:
        payload[msg.kind] = dict(msg.payment)  # successful_payment or refunded_payment
    if msg.reply_markup:
        payload["reply_markup"] = {"inline_keyboard": msg.reply_markup}
    if msg.edited:
        payload["edit_date"] = int(time.time())
    if msg.forwarded_from:
        payload["forward_origin"] = {
            "type": "hidden_user",
            "date": msg.date,
            "sender_user_name": msg.forwarded_from,
        }
    if with_reply and msg.reply_to is not None:
        quoted = user.message(msg.reply_to)
        if quoted is not None and not quoted.deleted:
            payload["reply_to_message"] = message(bot_user, user, quoted, files, with_reply=False)
    return payload
