"""A real python-telegram-bot `Application` (polling, handlers) against the sandbox, driven
by simulated users: the way end-to-end tests use it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from .conftest import TOKEN, Sandbox, secs


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = " ".join(context.args or [])
    name = update.effective_user.first_name
    await update.message.reply_html(
        f"Welcome, <b>{name.replace('&', '&amp;').replace('<', '&lt;')}</b>! {payload}",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Ping", callback_data="ping")]]),
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer("pong")
    await update.callback_query.edit_message_text("Pinged")


async def echo_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_voice(
        update.message.voice.file_id, disable_notification=True, do_quote=True
    )


@pytest.fixture
async def app(sandbox: Sandbox) -> AsyncIterator[Application]:
    url = sandbox.server.url
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{url}/bot")
        .base_file_url(f"{url}/file/bot")
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(pressed))
    application.add_handler(MessageHandler(filters.VOICE, echo_voice))
    await application.initialize()
    await application.start()
    await application.updater.start_polling(
        poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
    )
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def test_a_conversation_with_a_real_application(sandbox: Sandbox, app: Application) -> None:
    alice = sandbox.alice
    alice.first_name = "<Al> & Co"
    await alice.send_text("/start ref_7")
    welcome = await alice.wait_for_text("Welcome")
    assert welcome.text == "Welcome, <Al> & Co! ref_7"
    answer = await alice.press_button(welcome, "Ping")
    assert answer is not None and answer["text"] == "pong"
    await alice.wait_for(lambda chat: welcome.text == "Pinged")
    assert welcome.edited and welcome.reply_markup == []
    voice = await alice.send_voice(duration=12)
    echoed = await alice.wait_for_kind("voice")
    assert (echoed.file_id, secs(echoed.duration), echoed.silent) == (voice.file_id, 12, True)
    assert echoed.reply_to == voice.message_id
    await alice.wait_idle(quiet=0.2)
    await sandbox.server.wait_until_confirmed(timeout=5)
    assert sandbox.server.rejected == []
