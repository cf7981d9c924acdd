"""Follow-up reminders: /remind @handle 3d [text], /reminders with a Cancel button each, and
the JobQueue tick that fires what the database says is due."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bridge.core.models import ReminderView
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import CancelReminder, RemindFromCard
from bridge.handlers.commands import Command, Usage, handle_and_rest
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import keyboard


async def remind(update: Update, context: BridgeContext) -> None:
    """/remind @handle 3d [text] — set (or replace) the reminder on that conversation."""
    handle, rest = handle_and_rest(update, "remind", need_rest=True)
    delay, _, text = rest.partition(" ")
    if "\n" in delay:
        delay, _, more = delay.partition("\n")
        text = f"{more}\n{text}".strip()
    target = await context.core.members.resolve(handle)
    shown = await context.core.reminders.remind(context.member.id, target.id, delay, text)
    await context.reply(update, "reminders", "set", view=shown)


def _list(
    context: BridgeContext, views: list[ReminderView]
) -> tuple[str, InlineKeyboardMarkup | None]:
    rows = [
        [
            (
                context.t("reminders", "cancel_button", view=v),
                CancelReminder(reminder_id=v.reminder.id),
            )
        ]
        for v in views
    ]
    return context.t("reminders", "listing", views=views), keyboard(rows)


async def reminders(update: Update, context: BridgeContext) -> None:
    """/reminders — the pending ones, each with ✖️ Cancel."""
    if context.args:
        raise Usage("reminders")
    views = await context.core.reminders.pending(context.member.id)
    await context.send_html(chat_id_of(update), *_list(context, views))


async def on_cancel(update: Update, context: BridgeContext, data: CancelReminder) -> Toast:
    """✖️ Cancel under /reminders: cancelled, the list edited in place."""
    views = await context.core.reminders.cancel(context.member.id, data.reminder_id)
    await edit_in_place(update, *_list(context, views))
    return context.plain("reminders", "cancelled")


CARD_DELAY = "3d"  # the card's ⏰ button


async def on_card_remind(update: Update, context: BridgeContext, data: RemindFromCard) -> Toast:
    """⏰ on a conversation card: a reminder in three days; the toast says when."""
    shown = await context.core.reminders.remind_in(
        context.member.id, data.conversation_id, CARD_DELAY
    )
    return context.plain("reminders", "set_toast", view=shown)


async def fire_reminders(context: BridgeContext) -> None:
    """JobQueue tick: due reminders fire (with their notifications), then the worker sends."""
    if await context.core.reminders.fire_due():
        worker = context.bot_data.get("worker")
        if worker is not None:
            worker.poke()


COMMANDS = [Command("remind", remind), Command("reminders", reminders)]


def handlers() -> list:
    return [ButtonHandler(CancelReminder, on_cancel), ButtonHandler(RemindFromCard, on_card_remind)]
