"""Telegram media ⇄ the core's `Attachment`: read what a user sent, send it on as the same
kind (a voice note stays a voice note) by its stored file id."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from telegram import Bot, InlineKeyboardMarkup, Message

from bridge.core.models import Attachment, AttachmentKind

# Kinds whose send method accepts a caption (video notes and stickers don't).
CAPTIONED = {
    AttachmentKind.PHOTO,
    AttachmentKind.ANIMATION,
    AttachmentKind.VIDEO,
    AttachmentKind.DOCUMENT,
    AttachmentKind.AUDIO,
    AttachmentKind.VOICE,
}


def _seconds(value: int | timedelta | None) -> int | None:
    """PTB gives durations as timedelta (or int, by its compatibility setting); we store seconds."""
    if value is None:
        return None
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)


class _Common(TypedDict):
    """What every send method takes alike (typed, so `**common` is checked per method)."""

    reply_to_message_id: int | None
    disable_notification: bool
    reply_markup: InlineKeyboardMarkup | None


def attachment_of(message: Message) -> Attachment | None:
    """The one attachment a user message carries, with what the inbox needs to describe it."""
    if message.voice:
        vo = message.voice
        return Attachment(
            kind=AttachmentKind.VOICE,
            file_id=vo.file_id,
            file_unique_id=vo.file_unique_id,
            duration=_seconds(vo.duration),
            file_size=vo.file_size,
            mime_type=vo.mime_type,
        )
    if message.video_note:
        vn = message.video_note
        return Attachment(
            kind=AttachmentKind.VIDEO_NOTE,
            file_id=vn.file_id,
            file_unique_id=vn.file_unique_id,
            duration=_seconds(vn.duration),
            file_size=vn.file_size,
            length=vn.length,
        )
    if message.animation:  # before document: a GIF also carries a document
        an = message.animation
        return Attachment(
            kind=AttachmentKind.ANIMATION,
            file_id=an.file_id,
            file_unique_id=an.file_unique_id,
            duration=_seconds(an.duration),
            file_size=an.file_size,
            mime_type=an.mime_type,
            width=an.width,
            height=an.height,
            file_name=an.file_name,
        )
    if message.photo:
        p = message.photo[-1]
        return Attachment(
            kind=AttachmentKind.PHOTO,
            file_id=p.file_id,
            file_unique_id=p.file_unique_id,
            file_size=p.file_size,
            width=p.width,
            height=p.height,
        )
    if message.video:
        v = message.video
        return Attachment(
            kind=AttachmentKind.VIDEO,
            file_id=v.file_id,
            file_unique_id=v.file_unique_id,
            duration=_seconds(v.duration),
            file_size=v.file_size,
            mime_type=v.mime_type,
            width=v.width,
            height=v.height,
            file_name=v.file_name,
        )
    if message.audio:
        a = message.audio
        return Attachment(
            kind=AttachmentKind.AUDIO,
            file_id=a.file_id,
            file_unique_id=a.file_unique_id,
            duration=_seconds(a.duration),
            file_size=a.file_size,
            mime_type=a.mime_type,
            title=a.title,
            file_name=a.file_name,
        )
    if message.document:
        d = message.document
        return Attachment(
            kind=AttachmentKind.DOCUMENT,
            file_id=d.file_id,
            file_unique_id=d.file_unique_id,
            file_size=d.file_size,
            mime_type=d.mime_type,
            file_name=d.file_name,
        )
    if message.sticker:
        s = message.sticker
        return Attachment(
            kind=AttachmentKind.STICKER,
            file_id=s.file_id,
            file_unique_id=s.file_unique_id,
            file_size=s.file_size,
            emoji=s.emoji,
            width=s.width,
            height=s.height,
        )
    return None


async def send_attachment(
    bot: Bot,
    chat_id: int,
    attachment: Attachment,
    caption: str | None,
    reply_to: int | None,
    silent: bool,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    common: _Common = {
        "reply_to_message_id": reply_to,
        "disable_notification": silent,
        "reply_markup": markup,
    }
    text = caption or None  # only for CAPTIONED kinds; HTML: the bot's default parse mode
    kind, file_id = attachment.kind, attachment.file_id
    if kind == AttachmentKind.VOICE:
        return await bot.send_voice(
            chat_id, file_id, duration=attachment.duration, caption=text, **common
        )
    if kind == AttachmentKind.VIDEO_NOTE:
        return await bot.send_video_note(
            chat_id, file_id, duration=attachment.duration, length=attachment.length, **common
        )
    if kind == AttachmentKind.ANIMATION:
        return await bot.send_animation(chat_id, file_id, caption=text, **common)
    if kind == AttachmentKind.PHOTO:
        return await bot.send_photo(chat_id, file_id, caption=text, **common)
    if kind == AttachmentKind.VIDEO:
        return await bot.send_video(chat_id, file_id, caption=text, **common)
    if kind == AttachmentKind.AUDIO:
        return await bot.send_audio(chat_id, file_id, caption=text, **common)
    if kind == AttachmentKind.DOCUMENT:
        return await bot.send_document(chat_id, file_id, caption=text, **common)
    return await bot.send_sticker(chat_id, file_id, **common)
