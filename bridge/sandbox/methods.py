"""The Bot API methods the sandbox performs, one coroutine each: (server, bot, params) →
the result Telegram would return. Parameters arrive validated and typed (`contract.py`)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bridge.sandbox.contract import ApiError, bad
from bridge.sandbox.state import ChatMessage
from bridge.sandbox.telegram_html import parse_html, utf16_len

if TYPE_CHECKING:
    from bridge.sandbox.server import SandboxBot, SandboxServer

Method = Callable[["SandboxServer", "SandboxBot", dict[str, Any]], Awaitable[Any]]
METHODS: dict[str, Method] = {}

TEXT_MAX, CAPTION_MAX, CALLBACK_MAX = 4096, 1024, 64
MEDIA_PARAM = {"sendPhoto": ("photo", "photo"), "sendVoice": ("voice", "voice"),
               "sendVideoNote": ("video_note", "video_note"),
               "sendAnimation": ("animation", "animation"), "sendVideo": ("video", "video"),
               "sendAudio": ("audio", "audio"), "sendDocument": ("document", "document"),
               "sendSticker": ("sticker", "sticker")}


def method(name: str) -> Callable[[Method], Method]:
    def register(fn: Method) -> Method:
        METHODS[name] = fn
        return fn
    return register


def _formatted(text: str, params: dict[str, Any], limit: int, what: str
               ) -> tuple[str, list[dict[str, Any]]]:
    mode = (params.get("parse_mode") or "").lower()
    if mode == "html":
        text, entities = parse_html(text)
    elif mode:
        raise bad(f"unsupported parse_mode {params['parse_mode']}")
    else:
        entities = params.get("entities") or params.get("caption_entities") or []
    if what == "text" and not text.strip():
        raise bad("message text is empty")
    if utf16_len(text) > limit:
        raise bad("message is too long" if what == "text" else "message caption is too long")
    return text, entities


def _keyboard(params: dict[str, Any]) -> list[list[dict[str, Any]]]:
    markup = params.get("reply_markup")
    if not markup:
        return []
    rows = markup.get("inline_keyboard")
    if rows is None:
        return []
    for row in rows:
        for button in row:
            if not button.get("text"):
                raise bad("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_MAX:
                raise bad("BUTTON_DATA_INVALID")
    return rows


def _reply_to(params: dict[str, Any]) -> int | None:
    if params.get("reply_parameters"):
        return int(params["reply_parameters"]["message_id"])
    if params.get("reply_to_message_id"):
        return int(params["reply_to_message_id"])
    return None


async def _deliver(server: SandboxServer, params: dict[str, Any], message: ChatMessage
                   ) -> dict[str, Any]:
    user = server.user_for(params["chat_id"])
    if message.reply_to is not None and user.message(message.reply_to) is None:
        if not (params.get("reply_parameters") or {}).get("allow_sending_without_reply"):
            raise bad("message to be replied not found")
    message.message_id = user.next_message_id()
    await user.record(message)
    return server.message_payload(user, message)


@method("getMe")
async def get_me(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    return {**bot.as_user(), "can_join_groups": False, "can_read_all_group_messages": False,
            "supports_inline_queries": False}


@method("getUpdates")
async def get_updates(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    if bot.webhook:
        raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active;"
                            " use deleteWebhook to delete the webhook first")
    queue = bot.updates
    queue.confirm(params.get("offset"))
    allowed = params.get("allowed_updates")
    if allowed is not None:
        bot.allowed_updates = allowed  # type: ignore[attr-defined]
    allowed = getattr(bot, "allowed_updates", None)
    timeout = float(params.get("timeout") or 0)
    updates = await queue.wait(min(timeout, 50), allowed)
    limit = int(params.get("limit") or 100)
    chosen = updates[:limit]
    queue.delivered_ids.extend(u["update_id"] for u in chosen)
    return chosen


@method("deleteWebhook")
async def delete_webhook(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    bot.webhook = None
    if params.get("drop_pending_updates"):
        bot.updates.pending.clear()
    return True


@method("getWebhookInfo")
async def webhook_info(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    return {"url": bot.webhook or "", "has_custom_certificate": False,
            "pending_update_count": len(bot.updates.pending)}


@method("setMyCommands")
async def set_commands(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    commands = params["commands"]
    for command in commands:
        if not 1 <= len(command.get("command", "")) <= 32 or \
                not 1 <= len(command.get("description", "")) <= 256:
            raise bad("BOT_COMMAND_INVALID")
    bot.commands[params.get("language_code", "")] = commands
    return True


@method("getMyCommands")
async def get_commands(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    return bot.commands.get(params.get("language_code", ""), [])


@method("deleteMyCommands")
async def delete_commands(server: SandboxServer, bot: SandboxBot,
                          params: dict[str, Any]) -> Any:
    bot.commands.pop(params.get("language_code", ""), None)
    return True


@method("sendChatAction")
async def chat_action(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    server.user_for(params["chat_id"])
    return True


@method("sendMessage")
async def send_message(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    text, entities = _formatted(params["text"], params, TEXT_MAX, "text")
    message = ChatMessage(message_id=0, from_bot=True, date=int(time.time()), text=text,
                          entities=entities, reply_to=_reply_to(params),
                          reply_markup=_keyboard(params),
                          silent=bool(params.get("disable_notification")))
    return await _deliver(server, params, message)


def _media(name: str) -> Method:
    kind, field = MEDIA_PARAM[name]

    async def send(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
        stored = server.file_for(params[field], kind)
        if stored.kind != kind and not (kind == "document"):
            # Telegram refuses e.g. a voice file id sent as a video note
            raise bad(f"wrong file type: can't use file of type {stored.kind} as {kind}")
        caption, entities = (None, [])
        if params.get("caption"):
            caption, entities = _formatted(params["caption"], params, CAPTION_MAX, "caption")
        message = ChatMessage(message_id=0, from_bot=True, date=int(time.time()), kind=kind,
                              caption=caption, entities=entities, file_id=stored.file_id,
                              duration=params.get("duration", stored.duration),
                              length=params.get("length", stored.length),
                              file_name=stored.file_name, reply_to=_reply_to(params),
                              reply_markup=_keyboard(params),
                              silent=bool(params.get("disable_notification")))
        return await _deliver(server, params, message)

    return send


for _name in MEDIA_PARAM:
    METHODS[_name] = _media(_name)


@method("copyMessage")
async def copy_message(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    source = server.user_for(params["from_chat_id"]).message(int(params["message_id"]))
    if source is None:
        raise bad("message to copy not found")
    caption, entities = source.caption, source.entities
    if params.get("caption") is not None:
        caption, entities = _formatted(params["caption"], params, CAPTION_MAX, "caption")
    message = ChatMessage(message_id=0, from_bot=True, date=int(time.time()),
                          kind=source.kind, text=source.text, caption=caption,
                          entities=entities, file_id=source.file_id,
                          duration=source.duration, length=source.length,
                          file_name=source.file_name, reply_to=_reply_to(params),
                          reply_markup=_keyboard(params),
                          silent=bool(params.get("disable_notification")))
    sent = await _deliver(server, params, message)
    return {"message_id": sent["message_id"]}


def _bot_message(server: SandboxServer, params: dict[str, Any]):
    user = server.user_for(params.get("chat_id"))
    message = user.message(int(params.get("message_id") or 0))
    if message is None or message.deleted:
        raise bad("message to edit not found")
    return user, message


@method("editMessageText")
async def edit_text(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    user, message = _bot_message(server, params)
    if not message.from_bot:
        raise bad("message can't be edited")
    text, entities = _formatted(params["text"], params, TEXT_MAX, "text")
    keyboard = _keyboard(params)
    if text == message.text and entities == message.entities and \
            keyboard == message.reply_markup:
        raise bad("message is not modified: specified new message content and reply markup"
                  " are exactly the same as a current content and reply markup of the message")
    message.edits.append(message.content)
    message.text, message.entities, message.reply_markup = text, entities, keyboard
    message.edited = True
    await user.touched(message, "edit")
    return server.message_payload(user, message)


@method("editMessageCaption")
async def edit_caption(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    user, message = _bot_message(server, params)
    caption, entities = _formatted(params.get("caption") or "", params, CAPTION_MAX,
                                   "caption")
    if caption == message.caption:
        raise bad("message is not modified")
    message.edits.append(message.content)
    message.caption, message.entities, message.edited = caption, entities, True
    message.reply_markup = _keyboard(params)
    await user.touched(message, "edit")
    return server.message_payload(user, message)


@method("editMessageReplyMarkup")
async def edit_markup(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    user, message = _bot_message(server, params)
    keyboard = _keyboard(params)
    if keyboard == message.reply_markup:
        raise bad("message is not modified")
    message.reply_markup = keyboard
    await user.touched(message, "edit")
    return server.message_payload(user, message)


@method("deleteMessage")
async def delete_message(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    user, message = _bot_message(server, params)
    message.deleted = True
    await user.touched(message, "delete")
    return True


@method("answerCallbackQuery")
async def answer_callback(server: SandboxServer, bot: SandboxBot,
                          params: dict[str, Any]) -> Any:
    query_id = params["callback_query_id"]
    user_id = int(query_id[2:].split("-")[0]) if query_id.startswith("cq") else 0
    user = server.users.get(user_id)
    if user is None:
        raise bad("query is too old and response timeout expired or query ID is invalid")
    if any(a["callback_query_id"] == query_id for a in user.callback_answers):
        raise bad("query is too old and response timeout expired or query ID is invalid")
    if len(params.get("text") or "") > 200:
        raise bad("MESSAGE_TOO_LONG")
    async with user.changed:
        user.callback_answers.append(params)
        user.changed.notify_all()
    return True


ALLOWED_REACTIONS = set("👍👎❤🔥🥰👏😁🤔🤯😱🤬😢🎉🤩🤮💩🙏👌🕊🤡🥱🥴😍🐳🌚🌭💯🤣⚡🍌🏆💔🤨😐🍓🍾"
                        "💋🖕😈😴😭🤓👻👀🎃🙈😇😨🤝✍🤗🫡🎅🎄☃💅🤪🗿🆒💘🙉🦄😘💊🙊😎👾🤷😡") | {
    "❤️", "👨‍💻", "🤷‍♂️", "🤷‍♀️", "❤‍🔥", "🌚", "😂"}


@method("setMessageReaction")
async def set_reaction(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    user = server.user_for(params["chat_id"])
    message = user.message(int(params["message_id"]))
    if message is None:
        raise bad("message to react not found")
    emojis = [r.get("emoji") for r in params.get("reaction") or []]
    if any(e not in ALLOWED_REACTIONS for e in emojis):
        raise bad("REACTION_INVALID")
    message.reactions["bot"] = emojis
    await user.touched(message, "reaction")
    return True


@method("getFile")
async def get_file(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    stored = server.files.get(params["file_id"])
    if stored is None:
        raise bad("invalid file_id")
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data), "file_path": f"{stored.kind}/{stored.file_id}"}


@method("getChat")
async def get_chat(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    user = server.user_for(params["chat_id"])
    return {**user.as_chat(), "accent_color_id": 0, "max_reaction_count": 1}


@method("close")
async def close(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    return True


@method("logOut")
async def log_out(server: SandboxServer, bot: SandboxBot, params: dict[str, Any]) -> Any:
    return True
