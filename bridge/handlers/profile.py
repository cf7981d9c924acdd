"""Members and the network: /start, /profile, /edit, /find, /degree, /connections,
/remove, /block, /unblock — and the profile card's buttons."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Update

from bridge.core.members import profile_field
from bridge.core.models import PROFILE_FIELDS, MemberView, ProfileCard
from bridge.core.search import SearchPage
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import (
    AcceptFromProfile,
    AskIntroduction,
    Button,
    CampaignFromSearch,
    ChooseHandle,
    ConnectionsPage,
    EditField,
    FindPage,
    InMailFromProfile,
    InviteFromProfile,
    KeepConnection,
    MessageFromProfile,
    RemoveConnection,
    SaveLead,
    SaveSearch,
    ViewProfile,
    WithdrawFromProfile,
)
from bridge.handlers.commands import Command, Usage, argument_text, handle_and_rest, only_handle
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import Row, keyboard

PAGE = 10


async def start(update: Update, context: BridgeContext) -> None:
    """Welcome (back); `/start p_<handle>` opens that member's profile (a deep link)."""
    member = context.member
    await context.core.outbox.member_back(member.id)
    payload = argument_text(update)
    if payload.startswith("p_"):
        target = await context.core.members.resolve(payload[2:])
        await show_profile(update, context, target.id)
        return
    await context.reply(
        update,
        "profile",
        "welcome" if context.newcomer else "welcome_back",
        member=member,
        bot_username=context.bot.username,
        keyboard=_edit_keyboard(context),
    )


def _edit_keyboard(context: BridgeContext):
    """One button per profile field and one for the handle: the next text message becomes
    its value."""
    buttons: list[tuple[str, Button]] = [
        (context.t("profile", "edit_button", field=f), EditField(field=f)) for f in PROFILE_FIELDS
    ]
    buttons.append((context.t("profile", "handle_button"), ChooseHandle()))
    return keyboard([buttons[:3], buttons[3:]])


async def show_profile(update: Update, context: BridgeContext, target_id: int) -> None:
    card = await context.core.network.profile(context.member.id, target_id)
    markup = _edit_keyboard(context) if "edit" in card.actions else _profile_keyboard(context, card)
    await context.send_html(chat_id_of(update), context.t("profile", "card", card=card), markup)


# The profile card's actions that are buttons, each pointing at the member shown.
_ACTIONS: dict[str, Callable[..., Button]] = {
    "invite": InviteFromProfile,
    "message": MessageFromProfile,
    "inmail": InMailFromProfile,
    "accept": AcceptFromProfile,
    "withdraw": WithdrawFromProfile,
}


def _profile_keyboard(context: BridgeContext, card: ProfileCard):
    row = [
        (context.t("profile", "button", action=a), _ACTIONS[a](member_id=card.view.id))
        for a in card.actions
        if a in _ACTIONS
    ]
    save: list[tuple[str, Button]] = [
        (context.t("leads", "save_button"), SaveLead(member_id=card.view.id))
    ]
    intro: Row = []  # a longer label: a row of its own
    if "intro" in card.actions:
        intro.append(
            (
                context.t("profile", "button", action="intro"),
                AskIntroduction(member_id=card.view.id),
            )
        )
    return keyboard([row, save, intro])


async def profile(update: Update, context: BridgeContext) -> None:
    """A profile card: yours, or `@handle`'s, with buttons that fit the degree."""
    text = argument_text(update)
    target_id = context.member.id
    if text:
        target_id = (await context.core.members.resolve(text.split()[0])).id
    await show_profile(update, context, target_id)


async def edit(update: Update, context: BridgeContext) -> None:
    """/edit <field> <text>: set headline, company, location, industry or about."""
    field, _, value = argument_text(update).partition(" ")
    if not field:
        raise Usage("edit")
    member = await context.core.members.edit_profile(
        context.member.id, field.lower(), value.strip()
    )
    await context.reply(update, "profile", "edited", field=profile_field(field), member=member)


async def handle(update: Update, context: BridgeContext) -> None:
    """/handle name: choose your handle; /handle alone shows it and how to change it."""
    text = argument_text(update)
    if not text:
        await context.reply(update, "profile", "handle_now", member=context.member)
        return
    member = await context.core.members.choose_handle(context.member.id, text.split()[0])
    await context.reply(update, "profile", "handle_set", member=member)


async def find(update: Update, context: BridgeContext) -> None:
    """/find <words>: members ranked by degree, names masked by degree, 10 a page."""
    query = argument_text(update)
    if not query:
        raise Usage("find")
    page = await context.core.network.find(context.member.id, query)
    text, markup = _results(context, page)
    await context.send_html(chat_id_of(update), text, markup)


def _results(context: BridgeContext, page: SearchPage):
    rows: list[Row] = [
        [(context.t("profile", "result_button", view=r), ViewProfile(member_id=r.id))]
        for r in page.results
    ]
    nav: Row = []
    if page.has_previous:
        nav.append(("◀️", FindPage(search_id=page.search_id, offset=max(page.offset - PAGE, 0))))
    if page.has_next:
        nav.append(("▶️", FindPage(search_id=page.search_id, offset=page.offset + PAGE)))
    rows.append(nav)
    if page.results:
        more: Row = [
            (context.t("saved_searches", "save_button"), SaveSearch(search_id=page.search_id))
        ]
        if context.core.campaigns.may_run(context.member):
            more.append(
                (
                    context.t("campaigns", "from_search_button"),
                    CampaignFromSearch(search_id=page.search_id),
                )
            )
        rows.append(more)
    text = context.t(
        "profile",
        "results",
        query=page.query,
        results=page.results,
        offset=page.offset,
        total=page.total,
        capped=page.capped,
    )
    return text, keyboard(rows)


async def degree(update: Update, context: BridgeContext) -> None:
    """/degree @handle: 1st/2nd/3rd/out of network, mutual connections, one path."""
    target = await context.core.members.resolve(only_handle(update, "degree"))
    info = await context.core.network.degree_info(context.member.id, target.id)
    view = context.addressed(target)
    await context.reply(update, "profile", "degree", info=info, target=view)


async def connections(update: Update, context: BridgeContext) -> None:
    """/connections: 1st-degree connections, paged."""
    views, total = await context.core.network.connections(context.member.id, 0, PAGE)
    text, markup = _connections_page(context, views, total, 0)
    await context.send_html(chat_id_of(update), text, markup)


def _connections_page(
    context: BridgeContext, views: list[MemberView], total: int, offset: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    nav: Row = []
    if offset > 0:
        nav.append(("◀️", ConnectionsPage(offset=max(offset - PAGE, 0))))
    if offset + PAGE < total:
        nav.append(("▶️", ConnectionsPage(offset=offset + PAGE)))
    rows: list[Row] = [
        [(context.t("profile", "result_button", view=v), ViewProfile(member_id=v.id))]
        for v in views
    ]
    rows.append(nav)
    text = context.t("profile", "connections", views=views, total=total, offset=offset)
    return text, keyboard(rows)


async def remove(update: Update, context: BridgeContext) -> None:
    """/remove @handle: asks first ([Remove] / [Keep]); the connection goes on Remove."""
    target = await context.core.members.resolve(only_handle(update, "remove"))
    await context.core.network.check_connected(context.member.id, target.id)
    t = context.t
    await context.reply(
        update,
        "profile",
        "confirm_remove",
        target=context.addressed(target),
        keyboard=keyboard(
            [
                [
                    (
                        t("profile", "remove_button", confirm=True),
                        RemoveConnection(member_id=target.id),
                    ),
                    (
                        t("profile", "remove_button", confirm=False),
                        KeepConnection(member_id=target.id),
                    ),
                ]
            ]
        ),
    )


async def block(update: Update, context: BridgeContext) -> None:
    handle, _ = handle_and_rest(update, "block")
    target = await context.core.members.resolve(handle)
    await context.core.members.block(context.member.id, target.id)
    await context.reply(update, "profile", "blocked", handle=target.handle)


async def unblock(update: Update, context: BridgeContext) -> None:
    handle, _ = handle_and_rest(update, "unblock")
    target = await context.core.members.resolve(handle)
    await context.core.members.unblock(context.member.id, target.id)
    await context.reply(update, "profile", "unblocked", handle=target.handle)


async def on_view(update: Update, context: BridgeContext, data: ViewProfile) -> Toast:
    """A name in search results or connections: that member's profile card, below."""
    await show_profile(update, context, data.member_id)
    return None


async def on_connections_page(
    update: Update, context: BridgeContext, data: ConnectionsPage
) -> Toast:
    """◀️ / ▶️ under /connections: the page turns in place."""
    views, total = await context.core.network.connections(context.member.id, data.offset, PAGE)
    text, markup = _connections_page(context, views, total, data.offset)
    await edit_in_place(update, text, markup)
    return None


async def on_find_page(update: Update, context: BridgeContext, data: FindPage) -> Toast:
    """◀️ / ▶️ under /find results: the page turns in place."""
    page = await context.core.network.find_page(
        context.member.id, data.search_id, data.offset, PAGE
    )
    text, markup = _results(context, page)
    await edit_in_place(update, text, markup)
    return None


async def on_edit_field(update: Update, context: BridgeContext, data: EditField) -> Toast:
    """✏️ Headline (etc.): "Send your new headline", with its limit and current value."""
    asked = await context.core.prompts.ask_field(context.member.id, data.field)
    await context.reply(
        update,
        "profile",
        "field_prompt",
        field=asked.field,
        limit=asked.limit,
        current=asked.current,
    )
    return None


async def on_choose_handle(update: Update, context: BridgeContext, data: ChooseHandle) -> Toast:
    """🔖 Handle: "Send the handle you want", with the rules and the current one."""
    member = await context.core.prompts.ask_handle(context.member.id)
    await context.reply(update, "profile", "handle_prompt", member=member)
    return None


async def on_remove(update: Update, context: BridgeContext, data: RemoveConnection) -> Toast:
    """🗑 Remove, after /remove: "… is no longer a connection"."""
    seen = await context.core.network.remove_connection(context.member.id, data.member_id)
    await edit_in_place(update, context.t("profile", "removed", target=seen))
    return None


async def on_keep(update: Update, context: BridgeContext, data: KeepConnection) -> Toast:
    """Keep, after /remove: "… stays one of your connections"."""
    seen = await context.core.network.view_of(context.member.id, data.member_id)
    await edit_in_place(update, context.t("profile", "kept", target=seen))
    return None


COMMANDS = [
    Command("start", start, menu=False),
    Command("profile", profile),
    Command("edit", edit),
    Command("handle", handle),
    Command("find", find),
    Command("connections", connections),
    Command("degree", degree),
    Command("remove", remove),
    Command("block", block),
    Command("unblock", unblock),
]


def handlers() -> list:
    return [
        ButtonHandler(ViewProfile, on_view),
        ButtonHandler(ConnectionsPage, on_connections_page),
        ButtonHandler(FindPage, on_find_page),
        ButtonHandler(EditField, on_edit_field),
        ButtonHandler(ChooseHandle, on_choose_handle),
        ButtonHandler(RemoveConnection, on_remove),
        ButtonHandler(KeepConnection, on_keep),
    ]
