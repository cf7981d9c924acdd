"""Your data: /export (and the 📦 button on /settings) sends the member a zip of everything
the network holds about them, as they may see it."""

from __future__ import annotations

from telegram import InputFile, Update

from bridge.handlers.button_handler import ButtonHandler, Toast
from bridge.handlers.buttons import ExportData
from bridge.handlers.commands import Command
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.runtime.export_file import export_zip


async def _send_export(update: Update, context: BridgeContext) -> None:
    data = await context.core.export.collect(context.member.id)
    day = data.exported_at.date().isoformat()
    await context.bot.send_document(
        chat_id_of(update),
        InputFile(export_zip(data, context.member.id), filename=f"bridge-{day}.zip"),
        caption=context.t("data", "export_caption", data=data),
    )


async def export(update: Update, context: BridgeContext) -> None:
    """/export: a zip with your profile, connections, messages and credit ledger."""
    await _send_export(update, context)


async def on_export(update: Update, context: BridgeContext, data: ExportData) -> Toast:
    """📦 Export my data, on /settings: the same file."""
    await _send_export(update, context)
    return None


COMMANDS = [Command("export", export)]


def handlers() -> list:
    return [ButtonHandler(ExportData, on_export)]
