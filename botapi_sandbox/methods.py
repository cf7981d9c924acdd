"""The chat methods the sandbox performs (sending, copying, editing, deleting, reacting,
answering button presses, files), with Telegram's limits and error texts. Bot-level
methods are in `bot_methods.py`; both register into `registry.METHODS`."""

from __future__ import annotations

import time
from typing import Any

from botapi_sandbox import bot_methods  # noqa: F401  (registers its methods)
from botapi_sandbox.bots import SandboxBot
from botapi_sandbox.contract import ApiError, bad, contract
from botapi_sandbox.payloads import file_object
from botapi_sandbox.registry import METHODS, Method, method
from botapi_sandbox.serving import Server
from botapi_sandbox.state import ChatMessage
from botapi_sandbox.telegram_html import normalize, parse_html, utf16_len
from botapi_sandbox.users import SimUser

Params = dict[str, Any]
TEXT_MAX, CAPTION_MAX, CALLBACK_MAX, ANSWER_MAX = 4096, 1024, 64, 200
MEDIA_PARAM = {
    "sendPhoto": "photo",
    "sendVoice": "voice",
    "sendVideoNote": "video_note",
    "sendAnimation": "animation",
    "sendVideo": "video",
    "sendAudio": "audio",
    "sendDocument": "document",
    "sendSticker": "sticker",
}
# Kinds Telegram lets one send as another (a GIF message is both animation and document).
COMPATIBLE = {("animation", "document"), ("document", "animation")}
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are"
    " exactly the same as a current content and reply markup of the message"
)


def formatted(raw: str, params: Params, *, caption: bool) -> tuple[str, list[dict[str, Any]]]:
    """Text (or caption) and entities as Telegram stores them, within Telegram's limit."""
    mode = (params.get("parse_mode") or "").lower()
    if mode == "html":
        text, entities = parse_html(raw)
    elif mode:
        raise bad(f"unsupported parse_mode {params['parse_mode']!r} (the sandbox speaks HTML)")
    else:
        text = raw
        entities = params.get("caption_entities" if caption else "entities") or []
        for entity in entities:
            if (
                entity["offset"] < 0
                or entity["length"] <= 0
                or entity["offset"] + entity["length"] > utf16_len(text)
            ):
                raise bad("can't parse entities: entity offset or length is out of the text")
    text, entities = normalize(text, entities, allow_empty=caption)
    if len(text) > (CAPTION_MAX if caption else TEXT_MAX):
        raise bad("message caption is too long" if caption else "message is too long")
    return text, entities


def keyboard(params: Params) -> list[list[dict[str, Any]]]:
    """The inline keyboard of a message, checked as Telegram checks it (other markups —
    reply keyboards, remove, force reply — are accepted and not shown)."""
    rows = (params.get("reply_markup") or {}).get("inline_keyboard")
    if rows is None:
        return []
    actions = set(contract()["types"]["InlineKeyboardButton"]["fields"]) - {
        "text",
        "style",
        "icon_custom_emoji_id",
    }
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise bad("can't parse inline keyboard button: Text must be non-empty")
            if not actions & button.keys():
                raise bad(
                    "can't parse inline keyboard button: Text buttons are unallowed in"
                    " the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_MAX:
                raise bad("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                raise bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    return [
        [{k: v for k, v in b.items() if k in ("text", "callback_data", "url")} for b in row]
        for row in rows
    ]


def reply_target(params: Params) -> int | None:
    if params.get("reply_parameters"):
        return int(params["reply_parameters"]["message_id"])
    if params.get("reply_to_message_id"):  # the pre-7.0 parameter, still accepted
        return int(params["reply_to_message_id"])
    return None


def new_message(params: Params, **fields: Any) -> ChatMessage:
    return ChatMessage(
        message_id=0,
        from_bot=True,
        date=int(time.time()),
        reply_to=reply_target(params),
        reply_markup=keyboard(params),
        silent=bool(params.get("disable_notification")),
        **fields,
    )


async def deliver(
    server: Server, bot: SandboxBot, params: Params, message: ChatMessage
) -> tuple[SimUser, dict[str, Any]]:
    user = server.chat_user(bot, params["chat_id"])
    if message.reply_to is not None:
        quoted = user.message(message.reply_to)
        if quoted is None or quoted.deleted:
            allow = (params.get("reply_parameters") or {}).get(
                "allow_sending_without_reply", params.get("allow_sending_without_reply")
            )
            if not allow:
                raise bad("message to be replied not found")
            message.reply_to = None
    message.message_id = user.next_message_id()
    await user.record(message)
    return user, server.message_payload(user, message)


@method("sendMessage")
async def send_message(server: Server, bot: SandboxBot, params: Params) -> Any:
    server.chat_user(bot, params["chat_id"])  # Telegram checks the chat first
    text, entities = formatted(params["text"], params, caption=False)
    return (await deliver(server, bot, params, new_message(params, text=text, entities=entities)))[
        1
    ]


def _media_method(name: str) -> Method:
    kind = MEDIA_PARAM[name]

    async def send(server: Server, bot: SandboxBot, params: Params) -> Any:
        server.chat_user(bot, params["chat_id"])
        stored = server.file_for(params[kind], kind, params)
        if stored.kind != kind and (stored.kind, kind) not in COMPATIBLE:
            raise bad("type of file mismatch")
        caption, entities = formatted(params.get("caption") or "", params, caption=True)
        message = new_message(
            params,
            kind=kind,
            caption=caption or None,
            entities=entities,
            file_id=stored.file_id,
            file_name=stored.file_name,
            duration=params.get("duration", stored.duration),
            length=params.get("length", stored.length),
            emoji=params.get("emoji", stored.emoji),
        )
        return (await deliver(server, bot, params, message))[1]

    return send


for _name in MEDIA_PARAM:
    METHODS[_name] = _media_method(_name)


@method("sendChatAction")
async def chat_action(server: Server, bot: SandboxBot, params: Params) -> Any:
    user = server.chat_user(bot, params["chat_id"])
    user.chat_actions.append(params["action"])
    return True


def _source(server: Server, bot: SandboxBot, params: Params, what: str) -> ChatMessage:
    source = server.chat_user(bot, params["from_chat_id"]).message(params["message_id"])
    if source is None or source.deleted:
        raise bad(f"message to {what} not found")
    return source


@method("copyMessage")
async def copy_message(server: Server, bot: SandboxBot, params: Params) -> Any:
    source = _source(server, bot, params, "copy")
    server.chat_user(bot, params["chat_id"])
    text, caption, entities = source.text, source.caption, source.entities
    if source.kind != "text" and "caption" in params:
        caption, entities = formatted(params["caption"], params, caption=True)
        caption = caption or None
    copy = new_message(
        params,
        kind=source.kind,
        text=text,
        caption=caption,
        entities=list(entities),
        file_id=source.file_id,
        duration=source.duration,
        length=source.length,
        file_name=source.file_name,
        emoji=source.emoji,
    )
    if "reply_markup" not in params:
        copy.reply_markup = list(source.reply_markup)
    _, sent = await deliver(server, bot, params, copy)
    return {"message_id": sent["message_id"]}


@method("forwardMessage")
async def forward_message(server: Server, bot: SandboxBot, params: Params) -> Any:
    source = _source(server, bot, params, "forward")
    origin_user = server.chat_user(bot, params["from_chat_id"])
    author = bot.first_name if source.from_bot else origin_user.full_name
    copy = ChatMessage(
        message_id=0,
        from_bot=True,
        date=int(time.time()),
        kind=source.kind,
        text=source.text,
        caption=source.caption,
        entities=list(source.entities),
        file_id=source.file_id,
        duration=source.duration,
        length=source.length,
        file_name=source.file_name,
        emoji=source.emoji,
        silent=bool(params.get("disable_notification")),
        forwarded_from=author,
    )
    return (await deliver(server, bot, params, copy))[1]


def _target(
    server: Server, bot: SandboxBot, params: Params, missing: str = "message to edit not found"
) -> tuple[SimUser, ChatMessage]:
    if params.get("inline_message_id"):
        raise bad("inline messages are not supported by the sandbox")
    if "chat_id" not in params:
        raise bad("chat_id is empty")
    if "message_id" not in params:
        raise bad("message identifier is not specified")
    user = server.chat_user(bot, params["chat_id"])
    message = user.message(params["message_id"])
    if message is None or message.deleted:
        raise bad(missing)
    return user, message


async def _edited(server: Server, user: SimUser, message: ChatMessage) -> Any:
    message.edited = True
    await user.touched(message, "edit")
    return server.message_payload(user, message)


@method("editMessageText")
async def edit_text(server: Server, bot: SandboxBot, params: Params) -> Any:
    user, message = _target(server, bot, params)
    if not message.from_bot:
        raise bad("message can't be edited")
    if message.kind != "text":
        raise bad("there is no text in the message to edit")
    text, entities = formatted(params["text"], params, caption=False)
    buttons = keyboard(params)
    if (text, entities, buttons) == (message.text, message.entities, message.reply_markup):
        raise bad(NOT_MODIFIED)
    message.edits.append(message.content)
    message.text, message.entities, message.reply_markup = text, entities, buttons
    return await _edited(server, user, message)


@method("editMessageCaption")
async def edit_caption(server: Server, bot: SandboxBot, params: Params) -> Any:
    user, message = _target(server, bot, params)
    if not message.from_bot:
        raise bad("message can't be edited")
    if message.kind == "text":
        raise bad("there is no caption in the message to edit")
    caption, entities = formatted(params.get("caption") or "", params, caption=True)
    buttons = keyboard(params)
    if (caption or None, entities, buttons) == (
        message.caption,
        message.entities,
        message.reply_markup,
    ):
        raise bad(NOT_MODIFIED)
    message.edits.append(message.content)
    message.caption, message.entities, message.reply_markup = caption or None, entities, buttons
    return await _edited(server, user, message)


@method("editMessageReplyMarkup")
async def edit_markup(server: Server, bot: SandboxBot, params: Params) -> Any:
    user, message = _target(server, bot, params)
    if not message.from_bot:
        raise bad("message can't be edited")
    buttons = keyboard(params)
    if buttons == message.reply_markup:
        raise bad(NOT_MODIFIED)
    message.reply_markup = buttons
    await user.touched(message, "edit")
    return server.message_payload(user, message)


@method("deleteMessage")
async def delete_message(server: Server, bot: SandboxBot, params: Params) -> Any:
    user, message = _target(server, bot, params, "message to delete not found")
    message.deleted = True
    await user.touched(message, "delete")
    return True


@method("deleteMessages")
async def delete_messages(server: Server, bot: SandboxBot, params: Params) -> Any:
    ids = params["message_ids"]
    if not 1 <= len(ids) <= 100:
        raise bad("too many messages to delete" if ids else "message identifiers are empty")
    user = server.chat_user(bot, params["chat_id"])
    for message_id in ids:  # as Telegram: the ones not found are skipped
        message = user.message(message_id)
        if message is not None and not message.deleted:
            message.deleted = True
            await user.touched(message, "delete")
    return True


@method("answerCallbackQuery")
async def answer_callback(server: Server, bot: SandboxBot, params: Params) -> Any:
    query_id = params["callback_query_id"]
    user = server.callback_queries.get(query_id)
    if user is None or any(a["callback_query_id"] == query_id for a in user.callback_answers):
        raise bad("query is too old and response timeout expired or query ID is invalid")
    if len(params.get("text") or "") > ANSWER_MAX:
        raise bad("MESSAGE_TOO_LONG")
    await user.answered(params)
    return True


def _reaction_emojis() -> set[str]:
    return set(contract()["reaction_emojis"])


@method("setMessageReaction")
async def set_reaction(server: Server, bot: SandboxBot, params: Params) -> Any:
    user = server.chat_user(bot, params["chat_id"])
    message = user.message(params["message_id"])
    if message is None or message.deleted:
        raise bad("message to react not found")
    reactions = params.get("reaction") or []
    if len(reactions) > 1:
        raise bad("REACTIONS_TOO_MANY")
    emojis = []
    for reaction in reactions:
        if reaction.get("type") != "emoji":
            raise bad("REACTION_INVALID")
        emoji = reaction["emoji"].replace("\ufe0f", "")
        if emoji not in _reaction_emojis():
            raise bad("REACTION_INVALID")
        emojis.append(reaction["emoji"])
    message.reactions["bot"] = emojis
    await user.touched(message, "reaction")
    return True


@method("getFile")
async def get_file(server: Server, bot: SandboxBot, params: Params) -> Any:
    stored = server.files.get(params["file_id"])
    if stored is None:
        raise bad("invalid file_id")
    if len(stored.data) > 20 * 1024 * 1024:
        raise bad("file is too big")
    return file_object(stored)


@method("getChat")
async def get_chat(server: Server, bot: SandboxBot, params: Params) -> Any:
    user = server.chat_user(bot, params["chat_id"], sending=False)
    gifts = {name: False for name in contract()["types"]["AcceptedGiftTypes"]["fields"]}
    return {
        **user.as_chat(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": gifts,
    }


__all__ = ["METHODS", "ApiError"]
