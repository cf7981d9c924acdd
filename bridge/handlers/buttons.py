"""Inline buttons: one small typed class per kind of button (aiogram's `CallbackData` shape).

A button's callback data is ``<prefix>[:<field>…]`` in ASCII, at most 64 bytes (Telegram's
limit), checked when packing: ints in hex, booleans ``0``/``1``, enums by value, short words
from ``[A-Za-z0-9._-]``. `Button.parse` never trusts it: an unknown prefix, a wrong number of
fields or a malformed or out-of-range one is None (answered "no longer valid"); what parses
is only a claim, which the core authorizes against the member who pressed.

Prefixes are short because data counts against the limit; a class whose fields change takes
a new prefix or a new field count, so data packed by an older version parses to None rather
than to something else.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bridge.core.cleanup import BulkAction
from bridge.core.inbox import CardAction
from bridge.core.models import CampaignStatus, InboxFilter, InvitePolicy, ReplyChip

MAX_BYTES = 64
SEPARATOR = ":"
_PREFIX = re.compile(r"^[a-z]{2}$")
_HEX = re.compile(r"^[0-9a-f]{1,14}$")

Id = Annotated[int, Field(ge=0, lt=2**53)]  # a row id, an offset: what a button points at
Word = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{0,40}$")]  # a code, a cursor


class Button(BaseModel):
    """Base of every button's data: subclasses name their prefix (``prefix="ia"``) and
    declare typed fields; `pack` and `parse` do the rest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prefix: ClassVar[str]
    _kinds: ClassVar[dict[str, type[Button]]] = {}

    def __init_subclass__(cls, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix is None or not _PREFIX.match(prefix):
            raise TypeError(f"{cls.__name__} needs a prefix of two lowercase letters")
        if prefix in Button._kinds:
            raise TypeError(
                f"prefix {prefix!r} of {cls.__name__} is taken by {Button._kinds[prefix].__name__}"
            )
        cls.prefix = prefix
        Button._kinds[prefix] = cls

    @classmethod
    def kinds(cls) -> dict[str, type[Button]]:
        """Every kind of button, by prefix."""
        return dict(Button._kinds)

    def pack(self) -> str:
        """The callback data; ValueError if it would not fit in Telegram's 64 bytes."""
        parts = [self.prefix, *(_encode(getattr(self, name)) for name in type(self).model_fields)]
        data = SEPARATOR.join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data too long ({len(data.encode())} bytes): {data!r}")
        return data

    @classmethod
    def parse(cls, data: object) -> Self | None:
        """This kind of button's data, or None for anything else: another kind, malformed,
        out of range, forged. On `Button` itself: whichever kind the prefix names."""
        if not isinstance(data, str) or not data.isascii() or len(data) > MAX_BYTES:
            return None
        prefix, *raw = data.split(SEPARATOR)
        kind = Button._kinds.get(prefix)
        if kind is None or not issubclass(kind, cls):
            return None
        fields = kind.model_fields
        if len(raw) != len(fields):
            return None
        try:
            values = {
                name: _decode(info.annotation, text)
                for (name, info), text in zip(fields.items(), raw, strict=True)
            }
            return kind.model_validate(values)  # type: ignore[return-value]
        except (ValueError, ValidationError):
            return None


def _encode(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, int):
        return f"{value:x}"
    return str(value)


def _decode(annotation: object, text: str) -> object:
    if annotation is bool:
        if text not in ("0", "1"):
            raise ValueError(f"not a flag: {text!r}")
        return text == "1"
    if annotation is int:
        if not _HEX.match(text):
            raise ValueError(f"not a hex number: {text!r}")
        return int(text, 16)
    return text  # enums and words: pydantic checks them


# --- invitations ------------------------------------------------------------------------
class AcceptInvitation(Button, prefix="ia"):
    invitation_id: Id


class DeclineInvitation(Button, prefix="id"):
    invitation_id: Id


class AcceptWithReply(Button, prefix="ic"):
    """A quick-reply chip under a received invitation: accept, and send the chip's words."""

    invitation_id: Id
    chip: ReplyChip


class ReplyToInvitation(Button, prefix="ir"):
    invitation_id: Id


class WithdrawInvitation(Button, prefix="iw"):
    invitation_id: Id


class InviteFromProfile(Button, prefix="pi"):
    """The profile card's Invite: asks whether to add a note."""

    member_id: Id


class SendInvitation(Button, prefix="is"):
    """ "Send without a note"."""

    member_id: Id


class WriteNote(Button, prefix="it"):
    """ "Write a note": the next text is the note."""

    member_id: Id


class AcceptFromProfile(Button, prefix="pa"):
    member_id: Id  # who invited the presser


class WithdrawFromProfile(Button, prefix="pw"):
    member_id: Id  # whom the presser invited


# --- profiles and the network -----------------------------------------------------------
class ViewProfile(Button, prefix="pv"):
    member_id: Id


class MessageFromProfile(Button, prefix="pm"):
    member_id: Id


class InMailFromProfile(Button, prefix="pn"):
    member_id: Id


class EditField(Button, prefix="pe"):
    field: Word  # a profile field: the core checks it


class ChooseHandle(Button, prefix="hc"):
    """🔖 Handle on one's own card: the next text message becomes the new handle."""


class MessageSearchPage(Button, prefix="ms"):
    """Older ▶️ under /search results: the saved query's messages below `before_id`."""

    search_id: Id
    before_id: Id


class AskBulk(Button, prefix="bq"):
    """A /cleanup button: the question ("Archive 12 conversations…?") for that action."""

    action: BulkAction
    days: Id


class ConfirmBulk(Button, prefix="by"):
    """Yes, under the question: do it (on what is due when pressed)."""

    action: BulkAction
    days: Id


class CancelBulk(Button, prefix="bn"):
    """Cancel, under the question: nothing changes."""


class ExportData(Button, prefix="xd"):
    """📦 Export my data, on /settings: the /export file."""


class DeleteAccount(Button, prefix="xa"):
    """Delete my account, under /delete_account's question: done, for the presser."""


class KeepAccount(Button, prefix="xk"):
    """Keep it, under /delete_account's question: nothing changes."""


class UndoSend(Button, prefix="ud"):
    """↩️ Undo under "Sending…": the held message never leaves (the core checks it is the
    presser's and still held)."""

    outgoing_id: Id


class SetUndoWindow(Button, prefix="uw"):
    """An undo-window choice on /settings: off, 5, 10 or 30 seconds."""

    seconds: Id


class ConnectionsPage(Button, prefix="np"):
    offset: Id


class FindPage(Button, prefix="fg"):
    search_id: Id
    offset: Id


class RemoveConnection(Button, prefix="rc"):
    member_id: Id


class KeepConnection(Button, prefix="rk"):
    member_id: Id


# --- InMail -----------------------------------------------------------------------------
class InMailInterested(Button, prefix="my"):
    inmail_id: Id


class InMailNotInterested(Button, prefix="mn"):
    inmail_id: Id


class InMailReply(Button, prefix="mr"):
    inmail_id: Id


# --- the inbox and digests --------------------------------------------------------------
class InboxPage(Button, prefix="ip"):
    filter: InboxFilter
    cursor: Word = ""  # empty: the first page


class SmartInboxPage(Button, prefix="iq"):
    """A page of a filter with smart conditions: the conditions
    (`inbox_filters.encode_smart`, no ``_`` in them) and the cursor share one word, so the
    button fits in 64 bytes with the longest filter's name."""

    filter: InboxFilter
    # "<conditions>_<cursor>": 48 characters, 63 bytes with "iq:invitations:"
    view: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{0,48}$")]

    @classmethod
    def of(cls, filter: InboxFilter, smart: str, cursor: str = "") -> SmartInboxPage:
        return cls(filter=filter, view=f"{smart}_{cursor}")

    @property
    def smart(self) -> str:
        return self.view.partition("_")[0]

    @property
    def cursor(self) -> str:
        return self.view.partition("_")[2]


class ShowConversation(Button, prefix="cs"):
    conversation_id: Id
    filter: InboxFilter  # where "⬅️ Inbox" goes back to


class ActOnConversation(Button, prefix="ca"):
    """The conversation card's Mark read / unread, Archive / Unarchive, Spam / Not spam."""

    action: CardAction
    conversation_id: Id
    filter: InboxFilter


class DeleteConversation(Button, prefix="cd"):
    conversation_id: Id
    filter: InboxFilter


class OpenConversation(Button, prefix="co"):
    conversation_id: Id


class ReadAll(Button, prefix="ra"):
    filter: InboxFilter


class ContactTagsOnCard(Button, prefix="tc"):
    """A conversation card's 🏷 Tags: the other member's tags, each a toggle."""

    conversation_id: Id
    filter: InboxFilter  # where the card goes back to


class NoteOnCard(Button, prefix="tn"):
    """A conversation card's 📝 Note: the next text is the note on the other member."""

    conversation_id: Id


class ToggleTag(Button, prefix="tt"):
    conversation_id: Id
    tag_id: Id
    filter: InboxFilter


class RemindFromCard(Button, prefix="rf"):
    """A conversation card's ⏰: remind me in a few days if nobody writes."""

    conversation_id: Id
    filter: InboxFilter  # the card stays, under the filter it was opened from


class CancelReminder(Button, prefix="rx"):
    reminder_id: Id


class SaveLead(Button, prefix="ls"):
    """A profile card's ⭐ Save lead (to the default list)."""

    member_id: Id


class UnsaveLead(Button, prefix="lu"):
    """✖️ under /leads: off every list."""

    member_id: Id


class DigestPage(Button, prefix="dp"):
    cursor: Word


class DigestInvitations(Button, prefix="il"):
    """The digest's invitations button: the received invitations, each with its answers."""


# --- introductions ----------------------------------------------------------------------
class AskIntroduction(Button, prefix="ai"):
    """🙋 Ask for an introduction, on a 2nd/3rd-degree profile card."""

    member_id: Id


class IntroductionVia(Button, prefix="av"):
    """One of the connections who could introduce the actor to `member_id`."""

    member_id: Id
    via_id: Id


class ForwardIntroduction(Button, prefix="af"):
    introduction_id: Id


class DeclineIntroduction(Button, prefix="ad"):
    introduction_id: Id


# --- saved searches ---------------------------------------------------------------------
class SaveSearch(Button, prefix="ss"):
    """🔔 Save this search, under /find results."""

    search_id: Id


class DeleteSavedSearch(Button, prefix="sd"):
    saved_id: Id


# --- campaigns --------------------------------------------------------------------------
class CampaignFromSearch(Button, prefix="cf"):
    """📣 Campaign under /find results: its leads are that search's results."""

    search_id: Id


class CampaignFromList(Button, prefix="cl"):
    """📣 Campaign under /leads <list>: its leads are that list's (names are ASCII to fit)."""

    list_name: Word


class SetCampaignStatus(Button, prefix="cp"):
    """⏸ Pause / ▶️ Resume / ⏹ Stop under a campaign in /campaigns."""

    campaign_id: Id
    status: CampaignStatus


# --- settings ---------------------------------------------------------------------------
class SetLanguage(Button, prefix="sl"):
    code: Word


class SetInvitePolicy(Button, prefix="sp"):
    policy: InvitePolicy


class SetInMailOptOut(Button, prefix="so"):
    opted_out: bool


class SetNotifyMode(Button, prefix="sn"):
    mode: Word


class SetPrivateBrowsing(Button, prefix="sv"):
    private: bool


# --- relaying and admin -----------------------------------------------------------------
class SendHeld(Button, prefix="hs"):
    """ "Send to …" under a message that had no conversation."""

    held_id: Id


class ReviewReport(Button, prefix="rr"):
    report_id: Id


# --- payments in Telegram Stars ---------------------------------------------------------
class BuyOffer(Button, prefix="bo"):
    """An offer of /buy: sends its invoice (the core checks the offer is still on sale)."""

    offer_id: Word


# --- message templates ------------------------------------------------------------------
class UseTemplate(Button, prefix="tu"):
    """A template of /templates: how to send it."""

    name: Word


class DeleteTemplate(Button, prefix="tx"):
    name: Word


# --- invitations without a note (settings) ----------------------------------------------
class SetAutoReply(Button, prefix="ao"):
    on: bool


class EditAutoReply(Button, prefix="ae"):
    """ "Edit the automatic reply": the next text is it."""


class SetRequireNote(Button, prefix="nq"):
    required: bool


class ShowOffers(Button, prefix="bs"):
    """⭐ Buy with Stars, under /credits: what /buy shows."""
