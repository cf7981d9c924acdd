"""Every handler of the bot, registered in one visible place, and the command list that
feeds both Telegram's menu (`setMyCommands`, per language) and /help."""

from __future__ import annotations

import html

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bridge.handlers import relay
from bridge.handlers.command_menu import COMMANDS, FEATURES, visible_commands
from bridge.handlers.context import BridgeContext
from bridge.handlers.identity import chat_member_changed, identify
from bridge.locale import LANGUAGES
from bridge.runtime.render import Renderer

# Handler groups, in the order they run for each update (group 0 holds the commands and
# features; in each group only the first matching handler runs).
IDENTIFY = -2  # who is this: resolves the member for every later group
RELAYED_EDITS = -1  # an edit of a relayed message is mirrored, and handled: nothing after it
AFTER = 99  # whatever the update committed to the outbox goes out now

__all__ = ["COMMANDS", "publish_commands", "register"]


async def unknown_command(update: Update, context: BridgeContext) -> None:
    await context.reply(update, "common", "unknown_command")


async def edited_command(update: Update, context: BridgeContext) -> None:
    """A command edited after it ran: running it again would repeat it (a second invitation,
    a second credit spent), so nothing happens but this answer."""
    await context.reply(update, "common", "edited_command")


async def stale_button(update: Update, context: BridgeContext) -> None:
    """A button whose data no kind of button parses (forged, or from an older version):
    "This button is no longer valid", as an alert."""
    assert update.callback_query is not None  # CallbackQueryHandler: only button presses
    await update.callback_query.answer(context.plain("common", "stale_button"), show_alert=True)


async def poke_delivery(update: Update, context: BridgeContext) -> None:
    """After every update: whatever it committed to the outbox goes out now."""
    worker = context.bot_data.get("worker")
    if worker is not None:
        worker.poke()


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, identify), group=IDENTIFY)
    app.add_handler(relay.edit_handler(), group=RELAYED_EDITS)
    app.add_handler(
        ChatMemberHandler(chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER), group=0
    )
    private = filters.ChatType.PRIVATE
    # A /msg is a relayed message: its edit is mirrored like any other (relay.on_edit).
    relayed = filters.Regex(r"^/msg(@\w+)?(\s|$)")
    app.add_handler(
        MessageHandler(
            filters.UpdateType.EDITED_MESSAGE & filters.COMMAND & private & ~relayed, edited_command
        )
    )
    # Commands run on new messages only (CommandHandler would take edits too).
    new = filters.UpdateType.MESSAGE & private
    for command in COMMANDS:
        app.add_handler(CommandHandler(command.name, command.callback, filters=new))
    for feature in FEATURES:
        for handler in feature.handlers():
            app.add_handler(handler)
    app.add_handler(MessageHandler(filters.COMMAND & new, unknown_command))
    # A button no handler took: unknown, malformed or forged data, or an older version's.
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(TypeHandler(Update, poke_delivery), group=AFTER)


async def publish_commands(app: Application, renderer: Renderer) -> None:
    """setMyCommands in every language we speak (the default list is English)."""
    for lang in LANGUAGES:
        # The menu is plain text: undo the templates' HTML escaping (you&#39;re → you're).
        commands = [
            BotCommand(
                c.name, html.unescape(renderer.text(lang, "help", "description", name=c.name))
            )
            for c in visible_commands(is_admin=False)
        ]
        await app.bot.set_my_commands(commands, language_code=lang)
        if lang == "en":
            await app.bot.set_my_commands(commands)
