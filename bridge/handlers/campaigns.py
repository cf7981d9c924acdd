"""Campaigns: /campaign new (name, then find:/leads:/list:, wait:, note:, welcome:, follow_up:),
/campaigns with each one's steps, counts and rates and ⏸ ▶️ ⏹ buttons, and the JobQueue
tick that runs the steps the database says are due."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bridge.core.models import CampaignStatus, CampaignSummary
from bridge.core.prompts import Prompt, PromptKind
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import CampaignFromList, CampaignFromSearch, SetCampaignStatus
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import Row, keyboard

NEW = {"new", "nouvelle"}  # /campaign new, in each language we speak


def _card(
    context: BridgeContext, summary: CampaignSummary, name: str = "summary"
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A campaign's text with the buttons that fit its status."""
    campaign = summary.campaign
    row: Row = []
    if campaign.status != CampaignStatus.STOPPED:
        other = (
            CampaignStatus.PAUSED
            if campaign.status == CampaignStatus.ACTIVE
            else CampaignStatus.ACTIVE
        )
        for status in (other, CampaignStatus.STOPPED):
            row.append(
                (
                    context.t("campaigns", "button", status=status.value),
                    SetCampaignStatus(campaign_id=campaign.id, status=status),
                )
            )
    return context.t("campaigns", name, s=summary), keyboard([row])


async def campaign(update: Update, context: BridgeContext) -> None:
    """/campaign new <name>, then one line per setting: the campaign starts."""
    word, _, spec = argument_text(update).partition(" ")
    first, _, rest = word.partition("\n")  # "/campaign new\nName…" too
    if first.lower() not in NEW:
        raise Usage("campaign")
    text = f"{rest}\n{spec}" if rest else spec
    if not text.strip():
        raise Usage("campaign")
    summary = await context.core.campaigns.create(context.member.id, text)
    await context.send_html(chat_id_of(update), *_card(context, summary, "created"))


async def on_from_search(update: Update, context: BridgeContext, data: CampaignFromSearch) -> Toast:
    """📣 under /find results: "Send your campaign…", its leads that search's results."""
    query = await context.core.campaigns.ask_from_search(context.member.id, data.search_id)
    await context.reply(update, "campaigns", "ask_from_search", query=query)
    return None


async def create_answering(
    update: Update, context: BridgeContext, prompt: Prompt, text: str
) -> None:
    """The answer to 📣 (under /find results or /leads <list>): the campaign starts (and the
    question ends with it)."""
    core, me = context.core.campaigns, context.member.id
    if prompt.kind == PromptKind.CAMPAIGN_LIST:
        summary = await core.create_from_list(me, prompt, text)
    else:
        summary = await core.create_from_search(me, prompt, text)
    await context.send_html(chat_id_of(update), *_card(context, summary, "created"))


async def on_from_list(update: Update, context: BridgeContext, data: CampaignFromList) -> Toast:
    """📣 under /leads <list>: "Send your campaign…", its leads that list's."""
    name = await context.core.campaigns.ask_from_list(context.member.id, data.list_name)
    await context.reply(update, "campaigns", "ask_from_list", name=name)
    return None


async def campaigns(update: Update, context: BridgeContext) -> None:
    """/campaigns: one message per campaign, with its buttons."""
    summaries = await context.core.campaigns.overview(context.member.id)
    await context.reply(update, "campaigns", "listing", summaries=summaries)
    for summary in summaries:
        await context.send_html(chat_id_of(update), *_card(context, summary))


async def on_status(update: Update, context: BridgeContext, data: SetCampaignStatus) -> Toast:
    """⏸ Pause / ▶️ Resume / ⏹ Stop: the campaign's card shows it, in place."""
    summary = await context.core.campaigns.set_status(
        context.member.id, data.campaign_id, data.status
    )
    await edit_in_place(update, *_card(context, summary))
    return context.plain("campaigns", "changed", status=data.status.value)


async def run_campaigns(context: BridgeContext) -> None:
    """JobQueue tick: the due steps run (each claims its lead in its own transaction), then
    the worker sends what they owe."""
    if await context.core.campaigns.run_due():
        worker = context.bot_data.get("worker")
        if worker is not None:
            worker.poke()


COMMANDS = [Command("campaign", campaign), Command("campaigns", campaigns)]


def handlers() -> list:
    return [
        ButtonHandler(SetCampaignStatus, on_status),
        ButtonHandler(CampaignFromSearch, on_from_search),
        ButtonHandler(CampaignFromList, on_from_list),
    ]
