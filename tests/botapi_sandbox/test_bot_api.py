"""The Bot API as python-telegram-bot sees it: sending, editing, files, and Telegram's
refusals (also checked raw, for requests PTB would never make)."""

from __future__ import annotations

import aiohttp
import pytest
from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from .conftest import Raw, Sandbox, secs


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (123456, "bridge_bot", "Bridge", True)


async def test_html_is_shown_as_plain_text_with_entities(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.alice
    sent = await bot.send_message(
        alice.id,
        "Hello <b>&lt;b&gt;Bob&lt;/b&gt; &amp; Co</b>",
        parse_mode=ParseMode.HTML,
        disable_notification=True,
    )
    assert sent.text == "Hello <b>Bob</b> & Co"
    assert sent.entities[0].type == "bold" and sent.entities[0].offset == 6
    assert sent.from_user.id == 123456 and sent.chat.id == alice.id
    seen = alice.chat[-1]
    assert (seen.text, seen.from_bot, seen.silent) == ("Hello <b>Bob</b> & Co", True, True)
    assert seen.html == "Hello <b>&lt;b&gt;Bob&lt;/b&gt; &amp; Co</b>"
    second = await bot.send_message(alice.id, "again")
    assert second.message_id == sent.message_id + 1 and not alice.chat[-1].silent


async def test_malformed_html_is_refused(sandbox: Sandbox, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)can.t parse entities: unsupported start tag"):
        await bot.send_message(sandbox.alice.id, "1 < 2", parse_mode=ParseMode.HTML)
    assert sandbox.alice.chat == []
    assert sandbox.server.rejected[-1][0] == "sendMessage"


async def test_limits(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.alice
    await bot.send_message(alice.id, "x" * 4096)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(alice.id, "x" * 4097)
    await bot.send_message(alice.id, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(alice.id, "<b> </b>", parse_mode=ParseMode.HTML)
    photo = await alice.send_photo()
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await bot.send_photo(alice.id, photo.file_id, caption="c" * 1025)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(alice.id, "pick", reply_markup=too_long)
    accented = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):  # 66 bytes
        await bot.send_message(alice.id, "pick", reply_markup=accented)


async def test_refusals_in_telegrams_format(sandbox: Sandbox, raw: Raw) -> None:
    alice = sandbox.alice
    status, body = await raw("sendMessage", chat_id=alice.id)
    assert (status, body) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"},
    )
    status, body = await raw("sendMessage", text="hi")
    assert body["description"] == "Bad Request: chat_id is empty"
    status, body = await raw("sendMessage", chat_id=42, text="hi")
    assert body["description"] == "Bad Request: chat not found"
    status, body = await raw("setMyCommands", how="form")
    assert body["description"] == 'Bad Request: parameter "commands" is required'
    status, body = await raw(
        "sendMessage", how="form", chat_id=alice.id, text="x", reply_markup="{not json"
    )
    assert status == 400 and "can't parse reply_markup" in body["description"]
    status, body = await raw(
        "sendMessage", chat_id=alice.id, text="x", reply_parameters={"quote": "no id"}
    )
    assert 'field "message_id" is missing' in body["description"]
    status, body = await raw(
        "sendMessage", chat_id=alice.id, text="x", disable_notification="maybe"
    )
    assert status == 400
    status, body = await raw("noSuchMethod")
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    status, body = await raw("getMe", token="999:wrong")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    status, body = await raw(
        "sendPoll", chat_id=alice.id, question="?", options=[{"text": "a"}, {"text": "b"}]
    )
    assert body["description"] == "Bad Request: method not supported by the sandbox"
    assert ("noSuchMethod", "Not Found") in sandbox.server.rejected
    assert alice.chat == []


async def test_any_transport_and_case_insensitive_names(sandbox: Sandbox, raw: Raw) -> None:
    alice = sandbox.alice
    for how in ("json", "form", "query"):
        status, body = await raw(
            "SENDMESSAGE",
            how=how,
            chat_id=alice.id,
            text=how,
            reply_markup='{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}',
        )
        assert status == 200 and body["result"]["text"] == how
        assert alice.chat[-1].reply_markup == [[{"text": "A", "callback_data": "a"}]]
    status, body = await raw("sendMessage", chat_id="@alice", text="by username")
    assert body["result"]["chat"]["id"] == alice.id


async def test_blocked_user_gives_403(sandbox: Sandbox, bot: Bot) -> None:
    await sandbox.bob.block_bot()
    with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
        await bot.send_message(sandbox.bob.id, "hello?")
    await sandbox.bob.unblock_bot()
    await bot.send_message(sandbox.bob.id, "hello again")
    assert [m.text for m in sandbox.bob.chat] == ["hello again"]


async def test_replies_edits_and_deletes(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.alice
    question = await alice.send_text("Where?")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Here", callback_data="here")]])
    answer = await bot.send_message(
        alice.id,
        "There",
        reply_markup=markup,
        reply_parameters=ReplyParameters(question.message_id),
    )
    assert answer.reply_to_message.text == "Where?"
    assert alice.message(answer.message_id).reply_to == question.message_id
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("There", alice.id, answer.message_id, reply_markup=markup)
    edited = await bot.edit_message_text(
        "<i>Over there</i>", alice.id, answer.message_id, parse_mode=ParseMode.HTML
    )
    assert edited.text == "Over there" and edited.reply_markup is None  # markup dropped
    shown = alice.message(answer.message_id)
    assert shown.edited and shown.edits == ["There"] and shown.reply_markup == []
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", alice.id, 999)
    with pytest.raises(BadRequest, match="(?i)message can't be edited"):
        await bot.edit_message_text("x", alice.id, question.message_id)
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await bot.send_message(alice.id, "x", reply_parameters=ReplyParameters(999))
    assert await bot.delete_message(alice.id, answer.message_id)
    assert alice.message(answer.message_id).deleted
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(alice.id, answer.message_id)


async def test_media_by_file_id_keeps_its_kind(sandbox: Sandbox, bot: Bot) -> None:
    alice, bob = sandbox.alice, sandbox.bob
    voice = await alice.send_voice(duration=42)
    sent = await bot.send_voice(
        bob.id, voice.file_id, caption="from <b>Alice</b>", parse_mode=ParseMode.HTML
    )
    assert secs(sent.voice.duration) == 42 and sent.caption == "from Alice"
    assert (bob.chat[-1].kind, bob.chat[-1].duration) == ("voice", 42)
    copied = await bot.copy_message(bob.id, alice.id, voice.message_id)
    copy = bob.message(copied.message_id)
    assert (copy.kind, secs(copy.duration), copy.file_id) == ("voice", 42, voice.file_id)
    note = await alice.send_video_note(duration=7, length=240)
    sent = await bot.send_video_note(bob.id, note.file_id)
    assert (secs(sent.video_note.duration), sent.video_note.length) == (7, 240)
    forwarded = await bot.forward_message(bob.id, alice.id, note.message_id)
    assert secs(forwarded.video_note.duration) == 7 and forwarded.forward_origin is not None
    sticker = await alice.send_sticker("🔥")
    assert (await bot.send_sticker(bob.id, sticker.file_id)).sticker.emoji == "🔥"
    with pytest.raises(BadRequest, match="(?i)wrong file identifier"):
        await bot.send_voice(bob.id, "no-such-file")
    with pytest.raises(BadRequest, match="(?i)type of file mismatch"):
        await bot.send_video_note(bob.id, voice.file_id)


async def test_upload_then_get_file_and_download(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.alice
    sent = await bot.send_document(alice.id, b"%PDF-1.4 hello", filename="cv.pdf", caption="my CV")
    assert sent.document.file_name == "cv.pdf" and alice.chat[-1].kind == "document"
    file = await bot.get_file(sent.document.file_id)
    assert await file.download_as_bytearray() == bytearray(b"%PDF-1.4 hello")
    voice = await bot.send_voice(alice.id, b"OggS...", duration=5)
    assert secs(voice.voice.duration) == 5
    again = await bot.send_voice(alice.id, voice.voice.file_id)  # a bot upload's id
    assert secs(again.voice.duration) == 5
    user_voice = await alice.send_voice(duration=3, data=b"user-bytes")
    downloaded = await (await bot.get_file(user_voice.file_id)).download_as_bytearray()
    assert downloaded == bytearray(b"user-bytes")
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sandbox.server.url}/file/bot1:wrong/{file.file_path}") as response,
    ):
        assert response.status == 401


async def test_reactions_commands_chat_and_actions(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.alice
    message = await alice.send_text("hi")
    assert await bot.set_message_reaction(alice.id, message.message_id, "👍")
    assert alice.message(message.message_id).reactions["bot"] == ["👍"]
    with pytest.raises(BadRequest, match="(?i)REACTION_INVALID"):
        await bot.set_message_reaction(alice.id, message.message_id, "🦖")
    assert await bot.send_chat_action(alice.id, "typing") and alice.chat_actions == ["typing"]
    await bot.set_my_commands([("start", "Start"), ("help", "Help")])
    await bot.set_my_commands([("aide", "Aide")], language_code="fr")
    await bot.set_my_commands([("grant", "Grant")], scope={"type": "chat", "chat_id": alice.id})
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert [c.command for c in await bot.get_my_commands(language_code="fr")] == ["aide"]
    scoped = await bot.get_my_commands(scope={"type": "chat", "chat_id": alice.id})
    assert [c.command for c in scoped] == ["grant"]
    await bot.delete_my_commands(language_code="fr")
    assert await bot.get_my_commands(language_code="fr") == ()
    await bot.set_my_description("A network")
    assert (await bot.get_my_description()).description == "A network"
    chat = await bot.get_chat(alice.id)
    assert (chat.id, chat.first_name, chat.username) == (alice.id, "Alice", "alice")
    assert sandbox.server.rejected[-1] == ("setMessageReaction", "Bad Request: REACTION_INVALID")


async def test_every_kind_of_reply_markup(sandbox: Sandbox, bot: Bot, raw: Raw) -> None:
    alice = sandbox.alice
    await bot.send_message(
        alice.id,
        "keyboard",
        reply_markup=ReplyKeyboardMarkup([["Yes", KeyboardButton("No")]], one_time_keyboard=True),
    )
    await bot.send_message(alice.id, "removed", reply_markup=ReplyKeyboardRemove())
    await bot.send_message(alice.id, "answer me", reply_markup=ForceReply())
    status, body = await raw(
        "sendMessage", chat_id=alice.id, text="x", reply_markup={"keyboard": [[{"no_text": 1}]]}
    )
    assert status == 400 and "can't parse reply_markup" in body["description"]
    assert [m.text for m in alice.chat] == ["keyboard", "removed", "answer me"]
