"""Rendering what the outbox owes a member into their chat: one function per notification
kind. Each returns the chat copies it created (and those it deleted), so replies, edits and
reactions can find them."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

from telegram import Bot, InlineKeyboardMarkup, ReactionTypeEmoji
from telegram.error import BadRequest, TelegramError
from telegram.warnings import PTBUserWarning

from bridge.core.app import Core
from bridge.core.models import (
    ChatCopy,
    Delivery,
    InboxFilter,
    MessageKind,
    Notification,
    NotificationKind,
    ReplyChip,
)
from bridge.handlers.buttons import (
    AcceptInvitation,
    AcceptWithReply,
    DeclineIntroduction,
    DeclineInvitation,
    ForwardIntroduction,
    InMailInterested,
    InMailNotInterested,
    InMailReply,
    OpenConversation,
    ReplyToInvitation,
    ShowConversation,
    ViewProfile,
)
from bridge.handlers.digest_message import PAGE, render_digest
from bridge.handlers.keyboards import Row, keyboard
from bridge.runtime.media import CAPTIONED, send_attachment
from bridge.runtime.render import TELEGRAM_CAPTION_MAX, Renderer, split_html

log = logging.getLogger(__name__)
# Texts are sent with the raw call (see `_send_html`), which PTB would rather we didn't.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.sendMessage'", category=PTBUserWarning)


class Skip(Exception):
    """Nothing to push for this notification (it stays in the inbox)."""


@dataclass
class Sent:
    """What a delivery changed in the chat: copies it created, copies it deleted."""

    copies: list[ChatCopy] = field(default_factory=list)
    removed: list[ChatCopy] = field(default_factory=list)


def _ref(n: Notification) -> int:
    """What the notification is about (every kind but the digest has it): a row without one
    has nothing to push, like one whose subject is gone."""
    if n.ref_id is None:
        raise Skip(f"{n.kind} without a reference")
    return n.ref_id


def _not_modified(exc: BadRequest) -> bool:
    """Telegram refuses an edit to what the message already shows: it shows it, all is well."""
    return "not modified" in exc.message.lower()


class Notifier:
    def __init__(self, bot: Bot, core: Core, renderer: Renderer) -> None:
        self.bot, self.core, self.renderer = bot, core, renderer
        self._labels: dict[tuple[str, str, str, str], str] = {}

    def _label(self, lang: str, feature: str, name: str, action: str = "") -> str:
        """A button's label under every relayed message: the same text for a language
        (no member's data in it), rendered once rather than once per message."""
        key = (lang, feature, name, action)
        label = self._labels.get(key)
        if label is None:
            params = {"action": action} if action else {}
            label = self._labels[key] = self.renderer.text(lang, feature, name, **params)
        return label

    async def deliver(
        self, n: Notification, silent: bool = False, prepared: Delivery | None = None
    ) -> Sent:
        """Send `n`; `prepared`: a message's delivery as the plan read it (else read here)."""
        if n.kind == NotificationKind.EDIT:
            return await self._edit(n)
        if n.kind == NotificationKind.MESSAGE:
            return Sent(copies=await self._message(n, silent, prepared))
        handler = {
            NotificationKind.INVITATION: self._invitation,
            NotificationKind.ACCEPTED: self._accepted,
            NotificationKind.REACTION: self._reaction,
            NotificationKind.DIGEST: self._digest,
            NotificationKind.INMAIL_ANSWERED: self._inmail_news,
            NotificationKind.CREDIT_REFUNDED: self._inmail_news,
            NotificationKind.STARS_RECEIPT: self._payment_news,
            NotificationKind.STARS_REFUNDED: self._payment_news,
            NotificationKind.REMINDER: self._reminder,
            NotificationKind.INTRODUCTION_ASKED: self._introduction_asked,
            NotificationKind.INTRODUCED: self._introduced,
            NotificationKind.SEARCH_ALERT: self._search_alert,
        }.get(n.kind)
        if handler is None:
            raise Skip(f"no renderer for {n.kind}")
        return Sent(copies=await handler(n, silent))

    async def _send_html(
        self, chat_id: int, html: str, markup=None, reply_to=None, silent: bool = False
    ) -> list[int]:
        """The text's parts, each one sendMessage; the ids Telegram gave them.

        The raw call, not `Bot.send_message`: only the new message's id is read from the
        answer, and building a `Message` from it (every field, nested objects) cost more of
        a relayed message's CPU than anything of ours around it. Rate limits, retries and
        errors are PTB's as for any call."""
        ids = []
        chunks = split_html(html)
        for i, chunk in enumerate(chunks):
            params: dict[str, object] = {
                "chat_id": chat_id,
                "text": chunk,
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
                "disable_notification": silent or i > 0,
            }
            if markup is not None and i == len(chunks) - 1:
                params["reply_markup"] = markup.to_dict()
            if reply_to is not None and i == 0:
                params["reply_parameters"] = {"message_id": reply_to}
            sent = await self.bot.do_api_request("sendMessage", api_kwargs=params)
            ids.append(int(sent["message_id"]))
        return ids

    def _render_message(self, d: Delivery) -> str:
        lang = self.renderer.lang(d.recipient.language)
        return self.renderer.text(lang, "relay", "delivered", d=d)

    def _message_keyboard(self, d: Delivery) -> InlineKeyboardMarkup | None:
        """Under a relayed message (its last copy: the media, when it has one): 👤 Profile,
        the sender's card, and an InMail's answers."""
        lang = self.renderer.lang(d.recipient.language)
        t = self._label
        rows: list[Row] = []
        if d.message.kind == MessageKind.INMAIL and d.inmail is not None:
            rows.append(
                [
                    (t(lang, "inmail", "button", "yes"), InMailInterested(inmail_id=d.inmail.id)),
                    (
                        t(lang, "inmail", "button", "no"),
                        InMailNotInterested(inmail_id=d.inmail.id),
                    ),
                    (t(lang, "inmail", "button", "reply"), InMailReply(inmail_id=d.inmail.id)),
                ]
            )
        rows.append([(t(lang, "contacts", "profile_button"), ViewProfile(member_id=d.sender.id))])
        return keyboard(rows)

    async def _message(
        self, n: Notification, silent: bool, prepared: Delivery | None = None
    ) -> list[ChatCopy]:
        d = prepared or await self.core.messaging.for_delivery(_ref(n), n.member_id)
        if d is None:  # gone since the core planned it (`Outbox.plan` says what is shown)
            raise Skip("message gone")
        chat = d.recipient.telegram_id
        reply_to = None
        if d.message.reply_to_id is not None:
            copies = await self.core.messaging.copies_of(d.message.reply_to_id, n.member_id)
            reply_to = copies[-1].telegram_message_id if copies else None
        markup = self._message_keyboard(d)
        html = self._render_message(d)
        ids: list[int] = []
        attachment = d.message.attachment
        if attachment is None:
            ids = await self._send_html(chat, html, markup, reply_to, silent)
        elif attachment.kind in CAPTIONED and len(html) <= TELEGRAM_CAPTION_MAX:
            sent = await send_attachment(self.bot, chat, attachment, html, reply_to, silent, markup)
            ids = [sent.message_id]
        else:  # header (and long caption) first, then the media as itself (with the buttons)
            ids = await self._send_html(chat, html, None, reply_to, silent)
            sent = await send_attachment(self.bot, chat, attachment, None, None, True, markup)
            ids.append(sent.message_id)
        return [
            ChatCopy(
                message_id=d.message.id, member_id=n.member_id, chat_id=chat, telegram_message_id=i
            )
            for i in ids
        ]

    async def _invitation(self, n: Notification, silent: bool) -> list[ChatCopy]:
        # Still pending: the core's plan checked it, under this chat's lock.
        item = await self.core.invitations.view(n.member_id, _ref(n))
        invitation = item.invitation
        recipient = await self.core.members.get(n.member_id)
        lang = self.renderer.lang(recipient.language)
        html = self.renderer.text(lang, "invitations", "received", item=item)
        ids = await self._send_html(
            recipient.telegram_id,
            html,
            received_keyboard_for(self.renderer, lang, invitation),
            silent=silent,
        )
        # The message with the buttons: answering elsewhere (/accept) shows the outcome there.
        await self.core.invitations.record_copies(
            invitation.id, n.member_id, [(recipient.telegram_id, ids[-1])]
        )
        return await self._note_copies(
            invitation.conversation_id, n.member_id, recipient.telegram_id, ids
        )

    async def _note_copies(
        self, conversation_id: int, member_id: int, chat_id: int, ids: list[int]
    ) -> list[ChatCopy]:
        """A reply to the invitation message answers in its thread: map it to the note."""
        note_id = await self.core.messaging.latest_message_id(conversation_id)
        if note_id is None:
            return []
        return [
            ChatCopy(
                message_id=note_id, member_id=member_id, chat_id=chat_id, telegram_message_id=i
            )
            for i in ids
        ]

    async def _introduction_asked(self, n: Notification, silent: bool) -> list[ChatCopy]:
        """To the asked connection: the request, its note, 🤝 Introduce them / ✖️ Decline."""
        member = await self.core.members.get(n.member_id)
        intro = await self.core.introductions.for_delivery(_ref(n), n.member_id)
        if intro is None:
            raise Skip("introduction gone")
        lang, t = self.renderer.lang(member.language), self.renderer.text
        markup = keyboard(
            [
                [
                    (
                        t(lang, "introductions", "answer_button", forward=True),
                        ForwardIntroduction(introduction_id=intro.id),
                    ),
                    (
                        t(lang, "introductions", "answer_button", forward=False),
                        DeclineIntroduction(introduction_id=intro.id),
                    ),
                ]
            ]
        )
        html = t(lang, "introductions", "request", intro=intro)
        await self._send_html(member.telegram_id, html, markup, silent=silent)
        return []

    async def _introduced(self, n: Notification, silent: bool) -> list[ChatCopy]:
        """To each of the two introduced: who, by whom, the note, and 💬 Write to …"""
        member = await self.core.members.get(n.member_id)
        intro = await self.core.introductions.for_delivery(_ref(n), n.member_id)
        if intro is None or intro.conversation_id is None:
            raise Skip("introduction gone")
        lang, t = self.renderer.lang(member.language), self.renderer.text
        me_requester = intro.requester.id == member.id
        other = intro.target if me_requester else intro.requester
        markup = keyboard(
            [
                [
                    (
                        t(lang, "introductions", "write_button", view=other),
                        OpenConversation(conversation_id=intro.conversation_id),
                    )
                ]
            ]
        )
        html = t(lang, "introductions", "introduced", intro=intro, me_requester=me_requester)
        await self._send_html(member.telegram_id, html, markup, silent=silent)
        return []

    async def _search_alert(self, n: Notification, silent: bool) -> list[ChatCopy]:
        """With the daily digest: the members who joined and match a saved search."""
        member = await self.core.members.get(n.member_id)
        alerts = await self.core.saved_searches.alerts(member.id, n.payload)
        if not alerts:
            raise Skip("nobody new to list")  # deleted searches, blocked members
        lang = self.renderer.lang(member.language)
        html = self.renderer.text(lang, "saved_searches", "alert", alerts=alerts)
        rows = [
            [
                (
                    self.renderer.text(lang, "profile", "result_button", view=v),
                    ViewProfile(member_id=v.id),
                )
            ]
            for a in alerts
            for v in a.members
        ]
        await self._send_html(member.telegram_id, html, keyboard(rows), silent=silent)
        return []

    async def _accepted(self, n: Notification, silent: bool) -> list[ChatCopy]:
        invitation = await self.core.invitations.get_for(n.member_id, _ref(n))
        sender = await self.core.members.get(n.member_id)
        other = await self.core.members.get(invitation.recipient_id)
        lang = self.renderer.lang(sender.language)
        view = self.core.network.view(sender.id, other)
        html = self.renderer.text(lang, "invitations", "they_accepted", other=view)
        await self._send_html(sender.telegram_id, html, silent=silent)
        return []

    async def _edit(self, n: Notification) -> Sent:
        """Make the recipient's copies show exactly the edited message.

        Copies are kept in chat order, the media (if any) last. Text parts are edited in
        place; growth sends new parts (and the media again below them, so it stays last);
        shrinking deletes the surplus parts. A captioned kind keeps the whole message in its
        caption while it fits in 1,024 characters, header included, and moves to text parts
        above the media when it does not. Edits never ring."""
        d = await self.core.messaging.for_delivery(_ref(n), n.member_id)
        copies = await self.core.messaging.copies_of(_ref(n), n.member_id)
        copies = [c for c in copies if not c.is_original]  # theirs is theirs to edit
        if d is None or not copies:  # gone since the core planned it
            raise Skip("nothing to edit")
        html = self._render_message(d)
        attachment = d.message.attachment
        media = copies[-1] if attachment is not None else None
        texts = copies[:-1] if media is not None else copies
        chat = copies[0].chat_id
        # The buttons are on the last copy (the media, or the last text part): an edit
        # without them would take them away.
        markup = self._message_keyboard(d)
        if (
            media is not None
            and attachment is not None
            and attachment.kind in CAPTIONED
            and len(html) <= TELEGRAM_CAPTION_MAX
        ):
            await self._edit_caption(media, html, markup)
            await self._delete(chat, texts)
            return Sent(removed=texts)
        parts = split_html(html)
        text_markup = markup if media is None else None
        for k, (copy, part) in enumerate(zip(texts, parts, strict=False)):
            last = k == len(parts) - 1 and k == len(texts) - 1
            await self._edit_text(copy, part, text_markup if last else None)
        surplus = texts[len(parts) :]
        await self._delete(chat, surplus)
        sent = Sent(removed=list(surplus))
        if len(parts) > len(texts):
            ids: list[int] = []
            try:
                for part in parts[len(texts) :]:
                    message = await self.bot.send_message(
                        chat, part, disable_notification=True, disable_web_page_preview=True
                    )
                    ids.append(message.message_id)
                if media is not None and attachment is not None:
                    again = await send_attachment(
                        self.bot, chat, attachment, None, None, True, markup
                    )
                    ids.append(again.message_id)
                    await self._delete(chat, [media])
                    sent.removed.append(media)
            except Exception:
                # The retry sends these again: take back what this attempt added.
                await self._take_back(chat, ids)
                raise
            sent.copies = [
                ChatCopy(
                    message_id=d.message.id,
                    member_id=n.member_id,
                    chat_id=chat,
                    telegram_message_id=i,
                )
                for i in ids
            ]
        return sent

    async def _edit_text(
        self, copy: ChatCopy, html: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        try:
            await self.bot.edit_message_text(
                html,
                copy.chat_id,
                copy.telegram_message_id,
                disable_web_page_preview=True,
                reply_markup=markup,
            )
        except BadRequest as exc:
            if not _not_modified(exc):
                raise

    async def _edit_caption(
        self, copy: ChatCopy, html: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        try:
            await self.bot.edit_message_caption(
                copy.chat_id, copy.telegram_message_id, caption=html, reply_markup=markup
            )
        except BadRequest as exc:
            if not _not_modified(exc):
                raise

    async def _delete(self, chat_id: int, copies: list[ChatCopy]) -> None:
        if copies:
            await self.bot.delete_messages(chat_id, [c.telegram_message_id for c in copies])

    async def _take_back(self, chat_id: int, ids: list[int]) -> None:
        if not ids:
            return
        try:
            await self.bot.delete_messages(chat_id, ids)
        except TelegramError as exc:
            log.warning("could not take back parts %s of a failed edit: %s", ids, exc)

    async def _digest(self, n: Notification, silent: bool) -> list[ChatCopy]:
        member = await self.core.members.get(n.member_id)
        digest = await self.core.inbox.digest(member.id, None, PAGE)
        text, markup = render_digest(self.renderer, member, digest, self.core.now(), True)
        await self._send_html(member.telegram_id, text, markup, silent=silent)
        return []

    async def _reaction(self, n: Notification, silent: bool) -> list[ChatCopy]:
        message = await self.core.messaging.get_message(n.member_id, _ref(n))
        reactions = await self.core.messaging.reactions_of(n.member_id, message.id)
        theirs = [r.emoji for r in reactions if r.member_id != n.member_id]
        copies = await self.core.messaging.copies_of(message.id, n.member_id)
        if not copies:  # gone since the core planned it
            raise Skip("no copy to react on")
        target = copies[-1]
        await self.bot.set_message_reaction(
            target.chat_id,
            target.telegram_message_id,
            [ReactionTypeEmoji(theirs[0])] if theirs else [],
        )
        return []

    async def _reminder(self, n: Notification, silent: bool) -> list[ChatCopy]:
        """⏰ Time to follow up with …, with 💬 Open to that conversation."""
        view = await self.core.reminders.for_delivery(_ref(n), n.member_id)
        member = await self.core.members.get(n.member_id)
        if view is None or member is None:
            raise Skip("reminder gone")
        lang, t = self.renderer.lang(member.language), self.renderer.text
        markup = keyboard(
            [
                [
                    (
                        t(lang, "inbox", "action", a="open"),
                        OpenConversation(conversation_id=view.reminder.conversation_id),
                    )
                ]
            ]
        )
        await self._send_html(
            member.telegram_id, t(lang, "reminders", "due", view=view), markup, None, silent
        )
        return []  # no stored message shows there: nothing to map

    async def _inmail_news(self, n: Notification, silent: bool) -> list[ChatCopy]:
        """Tell an InMail's sender what became of it: the recipient's answer, or the credit
        coming back; with a button to the conversation."""
        news = await self.core.credits.news_for_sender(n)
        sender, inmail, t = news.sender, news.inmail, self.renderer.text
        lang = self.renderer.lang(sender.language)
        if n.kind == NotificationKind.INMAIL_ANSWERED:
            html = t(
                lang,
                "inmail",
                "sender_answered",
                other=news.other,
                subject=inmail.subject,
                status=news.status.value,
            )
        else:
            html = t(
                lang,
                "inmail",
                "refunded",
                other=news.other,
                subject=inmail.subject,
                answered=news.answered,
                balance=news.balance,
            )
        interested = news.interested
        markup = keyboard(
            [
                [
                    (
                        t(lang, "inmail", "conversation_button", reply=interested),
                        OpenConversation(conversation_id=inmail.conversation_id)
                        if interested
                        else ShowConversation(
                            conversation_id=inmail.conversation_id, filter=InboxFilter.ALL
                        ),
                    )
                ]
            ]
        )
        await self._send_html(sender.telegram_id, html, markup, silent=silent)
        return []

    async def _payment_news(self, n: Notification, silent: bool) -> list[ChatCopy]:
        """A Stars payment's receipt, or its refund: everything is in the row's payload,
        written with the payment (the template of the same name as the kind)."""
        member = await self.core.members.get(n.member_id)
        lang = self.renderer.lang(member.language)
        html = self.renderer.text(lang, "payments", n.kind.value, zone=member.timezone, **n.payload)
        await self._send_html(member.telegram_id, html, silent=silent)
        return []


def received_keyboard_for(renderer: Renderer, lang: str, invitation):
    t = renderer.text
    return keyboard(
        [
            [
                (
                    t(lang, "invitations", "button", action="accept"),
                    AcceptInvitation(invitation_id=invitation.id),
                ),
                (
                    t(lang, "invitations", "button", action="decline"),
                    DeclineInvitation(invitation_id=invitation.id),
                ),
                (
                    t(lang, "invitations", "button", action="reply"),
                    ReplyToInvitation(invitation_id=invitation.id),
                ),
            ],
            [
                (
                    t(lang, "invitations", "chip_button", chip=chip.value),
                    AcceptWithReply(invitation_id=invitation.id, chip=chip),
                )
                for chip in ReplyChip
            ],
        ]
    )
