"""Members and the network: /start, /profile, /edit, /find, /degree, /connections,
/remove, /block, /unblock — and the profile card's buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bridge.core.members import field_limit, profile_field
from bridge.core.models import PROFILE_FIELDS, ProfileCard
from bridge.core.search import SearchPage
from bridge.handlers.callbacks import Callback, Op, cb
from bridge.handlers.commands import Command, Usage, argument_text, handle_and_rest, only_handle
from bridge.handlers.context import BridgeContext
from bridge.handlers.keyboards import keyboard

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
    await context.reply(update, "profile", "welcome" if context.newcomer else "welcome_back",
                        member=member, bot_username=context.bot.username,
                        keyboard=_edit_keyboard(context))


def _edit_keyboard(context: BridgeContext):
    """One button per profile field: the next text message becomes its value."""
    buttons = [(context.t("profile", "edit_button", field=f), cb(Op.EDIT_FIELD, 0, f))
               for f in PROFILE_FIELDS]
    return keyboard([buttons[:3], buttons[3:]])


async def show_profile(update: Update, context: BridgeContext, target_id: int) -> None:
    card = await context.core.network.profile(context.member.id, target_id)
    markup = _edit_keyboard(context) if "edit" in card.actions else _profile_keyboard(context,
                                                                                      card)
    await context.send_html(update.effective_chat.id, context.t("profile", "card", card=card),
                            markup)


def _profile_keyboard(context: BridgeContext, card: ProfileCard):
    target = card.view.id
    ops = {"invite": Op.PROFILE_INVITE, "message": Op.PROFILE_MESSAGE,
           "inmail": Op.PROFILE_INMAIL, "accept": Op.PROFILE_ACCEPT,
           "withdraw": Op.PROFILE_WITHDRAW}
    row = [(context.t("profile", "button", action=a), cb(ops[a], target))
           for a in card.actions if a in ops]
    return keyboard([row])


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
    member = await context.core.members.edit_profile(context.member.id, field.lower(),
                                                     value.strip())
    await context.reply(update, "profile", "edited",
                        field=profile_field(field), member=member)


async def find(update: Update, context: BridgeContext) -> None:
    """/find <words>: members ranked by degree, names masked by degree, 10 a page."""
    query = argument_text(update)
    if not query:
        raise Usage("find")
    page = await context.core.network.find(context.member.id, query)
    text, markup = _results(context, page)
    await context.send_html(update.effective_chat.id, text, markup)


def _results(context: BridgeContext, page: SearchPage):
    rows = [[(context.t("profile", "result_button", view=r), cb(Op.PROFILE_VIEW, r.id))]
            for r in page.results]
    nav = []
    if page.has_previous:
        nav.append(("◀️", cb(Op.FIND_PAGE, page.search_id, str(max(page.offset - PAGE, 0)))))
    if page.has_next:
        nav.append(("▶️", cb(Op.FIND_PAGE, page.search_id, str(page.offset + PAGE))))
    rows.append(nav)
    text = context.t("profile", "results", query=page.query, results=page.results,
                     offset=page.offset, total=page.total, capped=page.capped)
    return text, keyboard(rows)


async def degree(update: Update, context: BridgeContext) -> None:
    """/degree @handle: 1st/2nd/3rd/out of network, mutual connections, one path."""
    target = await context.core.members.resolve(only_handle(update, "degree"))
    info = await context.core.network.degree_info(context.member.id, target.id)
    view = context.addressed(target)
    await context.reply(update, "profile", "degree", info=info, target=view)


async def connections(update: Update, context: BridgeContext) -> None:
    """/connections: 1st-degree connections, paged."""
    await _connections_page(update, context, 0, edit=False)


async def _connections_page(update: Update, context: BridgeContext, offset: int,
                            edit: bool) -> None:
    views, total = await context.core.network.connections(context.member.id, offset, PAGE)
    nav = []
    if offset > 0:
        nav.append(("◀️", cb(Op.CONNECTIONS_PAGE, max(offset - PAGE, 0))))
    if offset + PAGE < total:
        nav.append(("▶️", cb(Op.CONNECTIONS_PAGE, offset + PAGE)))
    rows = [[(context.t("profile", "result_button", view=v), cb(Op.PROFILE_VIEW, v.id))]
            for v in views] + [nav]
    text = context.t("profile", "connections", views=views, total=total, offset=offset)
    if edit and update.callback_query:
        await update.callback_query.edit_message_text(text, parse_mode="HTML",
                                                      reply_markup=keyboard(rows))
    else:
        await context.send_html(update.effective_chat.id, text, keyboard(rows))


async def remove(update: Update, context: BridgeContext) -> None:
    """/remove @handle: asks first ([Remove] / [Keep]); the connection goes on Remove."""
    target = await context.core.members.resolve(only_handle(update, "remove"))
    await context.core.network.check_connected(context.member.id, target.id)
    t = context.t
    await context.reply(update, "profile", "confirm_remove", target=context.addressed(target),
                        keyboard=keyboard([[
                            (t("profile", "remove_button", confirm=True),
                             cb(Op.REMOVE_CONFIRM, target.id)),
                            (t("profile", "remove_button", confirm=False),
                             cb(Op.REMOVE_KEEP, target.id))]]))


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


async def on_button(update: Update, context: BridgeContext) -> None:
    """Profile view and connection paging buttons."""
    query = update.callback_query
    data = Callback.parse(query.data)
    assert data is not None
    core, me = context.core, context.member.id
    if data.op == Op.PROFILE_VIEW:
        await query.answer()
        await show_profile(update, context, data.arg)
    elif data.op == Op.CONNECTIONS_PAGE:
        await query.answer()
        await _connections_page(update, context, data.arg, edit=True)
    elif data.op == Op.FIND_PAGE:
        offset = int(data.extra) if data.extra.isdecimal() and len(data.extra) < 9 else 0
        page = await context.core.network.find_page(context.member.id, data.arg, offset, PAGE)
        text, markup = _results(context, page)
        await query.answer()
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup,
                                      disable_web_page_preview=True)
    elif data.op == Op.EDIT_FIELD:
        field = await core.prompts.ask_field(me, data.extra)  # replaces any other question
        await query.answer()
        await context.reply(update, "profile", "field_prompt", field=field,
                            limit=field_limit(core.deps.rules, field),
                            current=getattr(context.member, field))
    elif data.op in (Op.REMOVE_CONFIRM, Op.REMOVE_KEEP):
        target = await core.members.get(data.arg)
        view = core.network.view(me, target)  # as they were seen when it was asked
        if data.op == Op.REMOVE_CONFIRM:
            await core.network.remove_connection(me, target.id)
        await query.answer()
        await query.edit_message_text(
            context.t("profile", "removed" if data.op == Op.REMOVE_CONFIRM else "kept",
                      target=view), parse_mode="HTML", reply_markup=None)


COMMANDS = [
    Command("start", start, menu=False),
    Command("profile", profile),
    Command("edit", edit),
    Command("find", find),
    Command("connections", connections),
    Command("degree", degree),
    Command("remove", remove),
    Command("block", block),
    Command("unblock", unblock),
]


def handlers() -> list:
    ops = "|".join([Op.PROFILE_VIEW, Op.CONNECTIONS_PAGE, Op.FIND_PAGE, Op.EDIT_FIELD,
                    Op.REMOVE_CONFIRM, Op.REMOVE_KEEP])
    return [CallbackQueryHandler(on_button, pattern=rf"^({ops}):")]
