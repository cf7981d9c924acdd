"""Saved leads: /save @handle [list], /unsave @handle [list], /leads [list] (each lead with
✖️ to take it off), and the profile card's ⭐ Save lead."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bridge.core.models import Lead
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import CampaignFromList, SaveLead, UnsaveLead
from bridge.handlers.commands import Command, argument_text, handle_and_rest
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import Row, keyboard

SHOWN = 20  # leads with a button under /leads (the text lists more)


async def save(update: Update, context: BridgeContext) -> None:
    """/save @handle [list]"""
    handle, rest = handle_and_rest(update, "save")
    target = await context.core.members.resolve(handle)
    lead = await context.core.leads.save(context.member.id, target.id, rest or None)
    await context.reply(update, "leads", "saved", lead=lead)


async def unsave(update: Update, context: BridgeContext) -> None:
    """/unsave @handle [list] — off that list, or off every list."""
    handle, rest = handle_and_rest(update, "unsave")
    target = await context.core.members.resolve(handle)
    await context.core.leads.unsave(context.member.id, target.id, rest or None)
    await context.reply(update, "leads", "unsaved", other=context.addressed(target))


def _listing(
    context: BridgeContext, leads: list[Lead], chosen: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    rows: list[Row] = [
        [(context.t("leads", "unsave_button", lead=lead), UnsaveLead(member_id=lead.contact.id))]
        for lead in leads[:SHOWN]
    ]
    listed = leads[0].list_name if chosen and leads else None
    if listed and listed.isascii() and context.core.campaigns.may_run(context.member):
        # 📣 a campaign from this list (a name that can't ride in a button: list: … does it)
        button = CampaignFromList(list_name=listed)
        rows.append([(context.t("campaigns", "from_search_button"), button)])
    text = context.t("leads", "listing", leads=leads, chosen=chosen, now=context.core.now())
    return text, keyboard(rows)


async def leads(update: Update, context: BridgeContext) -> None:
    """/leads [list] — with each lead's degree, last contact and whether they answered."""
    chosen = argument_text(update) or None
    found = await context.core.leads.list(context.member.id, chosen)
    await context.send_html(chat_id_of(update), *_listing(context, found, chosen))


async def on_save(update: Update, context: BridgeContext, data: SaveLead) -> Toast:
    """⭐ Save lead on a profile card: saved, said in a toast."""
    lead = await context.core.leads.save(context.member.id, data.member_id)
    return context.plain("leads", "saved_toast", lead=lead)


async def on_unsave(update: Update, context: BridgeContext, data: UnsaveLead) -> Toast:
    """✖️ under /leads: off every list, the listing edited in place."""
    await context.core.leads.unsave(context.member.id, data.member_id)
    found = await context.core.leads.list(context.member.id)
    await edit_in_place(update, *_listing(context, found, None))
    return context.plain("leads", "unsaved_toast")


COMMANDS = [Command("save", save), Command("unsave", unsave), Command("leads", leads)]


def handlers() -> list:
    return [ButtonHandler(SaveLead, on_save), ButtonHandler(UnsaveLead, on_unsave)]
