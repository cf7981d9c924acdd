"""Your data: /export (and the 📦 button on /settings) sends the member a zip of everything
the network holds about them, as they may see it; /delete_account erases them, after a
question with Delete / Keep buttons."""

from __future__ import annotations

from telegram import InputFile, Update

from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import DeleteAccount, ExportData, KeepAccount
from bridge.handlers.commands import Command
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import keyboard
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


async def delete_account(update: Update, context: BridgeContext) -> None:
    """/delete_account: what deleting means, and Delete my account / Keep it."""
    await context.reply(
        update,
        "data",
        "confirm_delete",
        keyboard=keyboard(
            [
                [
                    (context.t("data", "delete_button"), DeleteAccount()),
                    (context.t("data", "keep_button"), KeepAccount()),
                ]
            ]
        ),
    )


async def on_delete(update: Update, context: BridgeContext, data: DeleteAccount) -> Toast:
    """Delete my account: erased; the question becomes the goodbye."""
    ended = await context.core.leaving.leave(context.member.id)
    await edit_in_place(update, context.t("data", "deleted", connections=ended))
    return None


async def on_keep(update: Update, context: BridgeContext, data: KeepAccount) -> Toast:
    await edit_in_place(update, context.t("data", "kept"))
    return None


COMMANDS = [Command("export", export), Command("delete_account", delete_account)]


def handlers() -> list:
    return [
        ButtonHandler(ExportData, on_export),
        ButtonHandler(DeleteAccount, on_delete),
        ButtonHandler(KeepAccount, on_keep),
    ]
