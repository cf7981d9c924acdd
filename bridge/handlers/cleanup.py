"""/cleanup and its commands (/readall, /archive_old [days], /withdraw_old [days]): bulk
actions, each after a question with the count it would change and Yes / Cancel buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bridge.core import errors
from bridge.core.cleanup import DEFAULT_DAYS, BulkAction, BulkCount, check_days
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import AskBulk, CancelBulk, ConfirmBulk
from bridge.handlers.commands import Command, argument_text
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import keyboard


def _days(update: Update) -> int:
    """The optional number of days after the command (30 when none), checked by the core's
    rule (the menu shows it before any action runs)."""
    text = argument_text(update).split()
    if not text:
        return DEFAULT_DAYS
    word = text[0].lower().removesuffix("d").removesuffix("j")  # "60d", "60j"
    if not word.isdigit() or len(word) > 6:
        raise errors.InvalidDays(value=text[0][:12], min=1, max=3650)
    return check_days(int(word))


def _question(context: BridgeContext, count: BulkCount) -> tuple[str, InlineKeyboardMarkup | None]:
    text = context.t("cleanup", "question", count=count)
    if not count.count:
        return text, None
    return text, keyboard(
        [
            [
                (
                    context.t("cleanup", "confirm_button", count=count),
                    ConfirmBulk(action=count.action, days=count.days),
                ),
                (context.t("cleanup", "cancel_button"), CancelBulk()),
            ]
        ]
    )


async def cleanup(update: Update, context: BridgeContext) -> None:
    """/cleanup [days]: the three bulk actions as buttons."""
    days = _days(update)
    rows = [
        [
            (
                context.t("cleanup", "action_button", action=a.value, days=days),
                AskBulk(action=a, days=days),
            )
        ]
        for a in BulkAction
    ]
    await context.send_html(
        chat_id_of(update), context.t("cleanup", "menu", days=days), keyboard(rows)
    )


async def _ask(update: Update, context: BridgeContext, action: BulkAction) -> None:
    count = await context.core.cleanup.preview(context.member.id, action, _days(update))
    await context.send_html(chat_id_of(update), *_question(context, count))


async def read_everything(update: Update, context: BridgeContext) -> None:
    """/readall: mark every unread message read, after a Yes."""
    await _ask(update, context, BulkAction.READ_ALL)


async def archive_old(update: Update, context: BridgeContext) -> None:
    """/archive_old [days]: archive conversations with nothing new for that long."""
    await _ask(update, context, BulkAction.ARCHIVE_QUIET)


async def withdraw_old(update: Update, context: BridgeContext) -> None:
    """/withdraw_old [days]: withdraw invitations pending for longer than that."""
    await _ask(update, context, BulkAction.WITHDRAW_OLD)


async def on_ask(update: Update, context: BridgeContext, data: AskBulk) -> Toast:
    """A /cleanup button: the question, in place."""
    count = await context.core.cleanup.preview(context.member.id, data.action, data.days)
    await edit_in_place(update, *_question(context, count))
    return None


async def on_confirm(update: Update, context: BridgeContext, data: ConfirmBulk) -> Toast:
    """Yes: done, and how many it changed, in place of the question."""
    done = await context.core.cleanup.apply(context.member.id, data.action, data.days)
    await edit_in_place(update, context.t("cleanup", "done", count=done))
    return None


async def on_cancel(update: Update, context: BridgeContext, data: CancelBulk) -> Toast:
    """Cancel: nothing changed, said in place of the question."""
    await edit_in_place(update, context.t("cleanup", "cancelled"))
    return None


COMMANDS = [
    Command("cleanup", cleanup),
    Command("readall", read_everything),
    Command("archive_old", archive_old),
    Command("withdraw_old", withdraw_old),
]


def handlers() -> list:
    return [
        ButtonHandler(AskBulk, on_ask),
        ButtonHandler(ConfirmBulk, on_confirm),
        ButtonHandler(CancelBulk, on_cancel),
    ]
