"""The network's nouns as pydantic models.

These are the values the storage port returns and the front end renders; the rules live in
the service modules (`members`, `invitations`, `messaging`, `inbox`, `credits`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=False, extra="forbid")


class Degree(IntEnum):
    """Distance in the network; ordering is ranking order (closest first)."""

    SELF = 0
    FIRST = 1
    SECOND = 2
    THIRD = 3
    OUT = 9

    @classmethod
    def from_distance(cls, distance: int | None) -> Degree:
        return cls(distance) if distance is not None and distance <= 3 else cls.OUT


class InvitePolicy(StrEnum):
    EVERYONE = "everyone"
    SECOND_DEGREE = "second_degree"


PROFILE_FIELDS = ("headline", "company", "location", "industry", "about")
# What members may type for a field in /edit: the French labels the bot shows them too.
PROFILE_FIELD_ALIASES = {
    "titre": "headline",
    "entreprise": "company",
    "lieu": "location",
    "secteur": "industry",
    "infos": "about",
}


class Member(Model):
    id: int
    telegram_id: int
    handle: str
    first_name: str
    last_name: str = ""
    username: str | None = None
    language: str = "en"
    headline: str = ""
    company: str = ""
    location: str = ""
    industry: str = ""
    about: str = ""
    invite_policy: InvitePolicy = InvitePolicy.EVERYONE
    inmail_opt_out: bool = False
    plan: str = "free"
    credits: int = 0
    plan_started_at: datetime
    renewals_done: int = 0
    reachable: bool = True
    created_at: datetime
    current_peer_id: int | None = None  # the conversation plain messages go to (/open)
    notify_mode: str = "instant"  # instant | digest | muted
    quiet_start: str | None = None  # "22:00", in `timezone`
    quiet_end: str | None = None  # "08:00"
    timezone: str = "UTC"
    digest_at: str | None = None  # "08:30" local: the daily digest's time
    last_digest_on: str | None = None  # local date of the last scheduled digest
    awaiting: str | None = None  # what their next text message is for (see `prompts`)
    auto_reply_on: bool = False  # answer invitations without a note with `auto_reply`
    auto_reply: str | None = None  # that answer (set in their language when switched on)
    require_note: bool = False  # invitations without a note are refused before sending
    left_at: datetime | None = None  # /delete_account: erased, shown as a former member
    undo_seconds: int = 0  # the undo window of their messages (0: off; at most 30)
    private_browsing: bool = False  # views they make are not recorded; they see no viewers

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class NewMember(Model):
    """What registration needs from a Telegram user."""

    telegram_id: int
    first_name: str
    last_name: str = ""
    username: str | None = None
    language: str = "en"


class MemberView(Model):
    """A member as one viewer may see them: the name is masked by degree."""

    id: int
    handle: str | None
    name: str
    headline: str
    company: str
    location: str
    industry: str
    degree: Degree
    named: bool = Field(description="False when the name is the anonymous label")
    former: bool = False  # the member deleted their account: "Former member"


class Tag(Model):
    """One of a member's own tags on their contacts: a name and the emoji that colours it."""

    id: int
    name: str
    colour: str


class ContactPreview(Model):
    """What the member keeps and knows about a contact, shown beside every message from them
    (and on `/open`): mutual connections, their tags on them, the first line of their note."""

    mutual: int
    tags: list[Tag] = Field(default_factory=list)
    note_line: str = ""


class InviteAllowance(Model):
    """What is left of the weekly invitation allowance: shown before it bites."""

    limit: int
    left: int
    next_at: datetime | None = None  # with none left: when the next one frees up


class ProfileCard(Model):
    view: MemberView
    about: str
    connections: int
    mutual: list[MemberView]
    actions: list[str]  # invite, accept, withdraw, message, intro, inmail, unblock
    note: str | None = None  # the viewer's private note on them
    allowance: InviteAllowance | None = None  # their own card: invitations left this week
    reinvite_after: datetime | None = None  # another's card: they can be invited again then
    tags: list[Tag] = Field(default_factory=list)  # the viewer's tags on them


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # pending for longer than `Rules.invitation_expiry`


class Invitation(Model):
    id: int
    sender_id: int
    recipient_id: int
    note: str | None
    status: InvitationStatus
    created_at: datetime
    responded_at: datetime | None = None
    conversation_id: int


class InviteOutcome(Model):
    allowance: InviteAllowance | None = None  # what is left after this invitation
    invitation: Invitation
    accepted_theirs: bool = False  # the target had invited us: our invite accepted theirs
    target: MemberView  # whom the actor invited, as they may see them now
    settled: InvitationAnswer | None = None  # their invitation, accepted by inviting them


class AttachmentKind(StrEnum):
    PHOTO = "photo"
    ANIMATION = "animation"
    VIDEO = "video"
    DOCUMENT = "document"
    AUDIO = "audio"
    VOICE = "voice"
    VIDEO_NOTE = "video_note"
    STICKER = "sticker"


class Attachment(Model):
    """A Telegram file reference: the bot re-sends it by file id, the kind kept."""

    kind: AttachmentKind
    file_id: str
    file_unique_id: str | None = None
    duration: int | None = None
    file_size: int | None = None
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    length: int | None = None  # video note diameter
    emoji: str | None = None  # sticker
    title: str | None = None  # audio


class MessageKind(StrEnum):
    MESSAGE = "message"
    NOTE = "invitation_note"
    INMAIL = "inmail"


class Message(Model):
    id: int
    conversation_id: int
    sender_id: int
    kind: MessageKind = MessageKind.MESSAGE
    text: str | None = None
    subject: str | None = None
    attachment: Attachment | None = None
    reply_to_id: int | None = None
    forwarded_from_id: int | None = None  # member who wrote the original
    created_at: datetime
    edited_at: datetime | None = None


class MessageEdit(Model):
    message_id: int
    old_text: str | None
    edited_at: datetime


class Reaction(Model):
    message_id: int
    member_id: int
    emoji: str
    created_at: datetime


class Conversation(Model):
    id: int
    member_a: int  # the smaller id: one conversation per pair
    member_b: int
    created_at: datetime
    last_message_id: int | None = None
    last_activity_at: datetime
    invitation_id: int | None = None
    inmail_id: int | None = None

    def other(self, member_id: int) -> int:
        return self.member_b if member_id == self.member_a else self.member_a


class Mailbox(StrEnum):
    """Where a conversation lives for one member: the main inbox, or the sales mailbox of
    the Sales Navigator and Recruiter plans (`Rules.sales_plans`)."""

    MAIN = "main"
    SALES = "sales"


class ConversationState(Model):
    """One member's side of a conversation: what they read, archived, deleted, flagged."""

    conversation_id: int
    member_id: int
    unread_count: int = 0
    last_read_message_id: int = 0
    archived: bool = False
    deleted: bool = False
    cleared_through: int = 0  # messages up to this id are gone for this member
    spam: bool = False
    inmail: bool = False  # this member received an InMail in it
    last_activity_at: datetime
    mailbox: Mailbox = Field(default_factory=lambda: Mailbox.MAIN)


class InboxFilter(StrEnum):
    ALL = "all"
    UNREAD = "unread"
    ARCHIVED = "archived"
    INMAIL = "inmail"
    SPAM = "spam"
    INVITATIONS = "invitations"
    SALES = "sales"  # the sales mailbox (Sales Navigator and Recruiter plans)


class UnreadSummary(Model):
    """ "12 unread messages from 5 people": a value (frozen), so equal ones may be shared."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    messages: int
    people: int


class InMailStatus(StrEnum):
    SENT = "sent"
    INTERESTED = "interested"
    NOT_INTERESTED = "not_interested"
    REPLIED = "replied"


class RefundState(StrEnum):
    PENDING = "pending"  # may still come back
    REFUNDED = "refunded"
    FORFEITED = "forfeited"  # the rule says it stays spent


class InMail(Model):
    id: int
    sender_id: int
    recipient_id: int
    conversation_id: int
    message_id: int
    subject: str
    status: InMailStatus = InMailStatus.SENT
    sent_at: datetime
    responded_at: datetime | None = None
    refund_state: RefundState = RefundState.PENDING
    refund_deadline: datetime
    sponsored: bool = False  # paid promotion, labelled as such; an ordinary InMail is not


class InMailNews(Model):
    """What an InMail's sender is told of it (its answer, its credit back), as they may see
    it."""

    inmail: InMail
    sender: Member  # whom to tell, in their language
    other: MemberView  # the recipient; answering with interest shows who they are
    status: InMailStatus  # the answer being told (the InMail may have moved on since)
    interested: bool  # answered with interest or a reply: the conversation is open
    answered: bool  # answered at all (a refund in time for the answer, or for none)
    balance: int  # the sender's credits now


# Lean read models: an inbox page or a digest shows a few columns of each line, and a digest
# batch builds tens of thousands of lines, so a line is a flat named tuple built straight from
# its row, holding only what it shows: pydantic's validation (or even `model_construct`) of the
# six full models a line joins cost more than the query, and every object a line is made of
# is one more for the garbage collector to walk. Names follow the full models' (`text`,
# `unread_count`, `last_activity_at`...), so templates read them alike.


class LineMember(NamedTuple):
    """The other member of a line as stored, before `views.seen_member` masks it."""

    id: int
    handle: str
    first_name: str
    last_name: str
    headline: str
    company: str
    location: str
    industry: str
    left_at: str | None  # as stored: only whether they left matters here

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SeenMember(NamedTuple):
    """`MemberView`'s fields as a lean tuple (`views.seen_member`, the same masking)."""

    id: int
    handle: str | None
    name: str
    headline: str
    company: str
    location: str
    industry: str
    degree: Degree
    named: bool
    former: bool = False


class LineAttachment(NamedTuple):
    """What a line says of an attachment (`common.j2`'s `kind`)."""

    kind: str
    duration: int | None
    file_name: str | None
    emoji: str | None


class LastMessage(NamedTuple):
    """A line's last message: who wrote it and its first words or attachment."""

    sender_id: int
    text: str | None
    attachment: LineAttachment | None


class Authored(NamedTuple):
    """A line's pending invitation or InMail: which one, and who sent it."""

    id: int
    sender_id: int


class InboxEntry(NamedTuple):
    """One line of an inbox page or a digest, the other member masked by degree."""

    conversation_id: int
    last_activity_at: datetime  # the conversation's: the line's age
    unread_count: int
    other: SeenMember
    last_message: LastMessage | None  # None when cleared for the member
    pending_invitation: Authored | None = None
    inmail: Authored | None = None


@dataclass(slots=True)
class Digest:
    """ "N unread messages from M people · P invitations · Q InMails", then one entry a person
    (a lean read model: a digest batch builds thousands)."""

    summary: UnreadSummary
    invitations: int
    inmails: int
    entries: list[InboxEntry]
    next_cursor: str | None
    # The member's invitations that expired unanswered in the last `EXPIRED_NEWS` (told once
    # a week or so, never pushed on their own: not a reason for a digest by itself).
    expired: int = 0
    # The sales mailbox's unread (Sales Navigator, Recruiter), told apart from the main
    # inbox's `summary`; its conversations are not among the entries.
    sales: UnreadSummary | None = None

    @property
    def empty(self) -> bool:
        """Nothing to tell, even asked for (/digest); a scheduled digest also needs more
        than expired invitations to be sent (`nothing_to_digest`)."""
        return nothing_to_digest(self.summary, self.invitations, self.sales) and not self.expired


def nothing_to_digest(
    summary: UnreadSummary, invitations: int, sales: UnreadSummary | None = None
) -> bool:
    """A digest tells unread messages (main and sales) and invitations waiting: with none,
    there is none (no scheduled digest is owed, a digest owed meanwhile read is not sent)."""
    return summary.messages == 0 and invitations == 0 and (sales is None or sales.messages == 0)


class SmartFilter(Model):
    """Conditions a member adds to an inbox filter (`/inbox awaiting #candidate`), all of
    which a conversation must meet (see `bridge.core.inbox_filters`)."""

    awaiting: bool = False  # their message is the last one: the member owes an answer
    waiting_days: int | None = None  # the member's is the last one, older than this
    degree: Degree | None = None  # the other member's degree now (1st, 2nd or 3rd)
    tag: Tag | None = None  # the member's tag on the other member
    files: bool = False  # with attachments
    since_days: int | None = None  # active in the last days

    @property
    def active(self) -> bool:
        return self != SmartFilter()


@dataclass(slots=True)
class InboxPage:
    """A page of the inbox (a lean read model, as its lines)."""

    filter: InboxFilter
    entries: list[InboxEntry]
    next_cursor: str | None
    summary: UnreadSummary  # unread among the conversations this filter shows
    prev_cursor: str | None = None
    invitations: int = 0  # pending invitations received
    smart: SmartFilter = field(default_factory=SmartFilter)
    matching: int | None = None  # how many conversations a smart filter matches


class ConversationView(Model):
    conversation: Conversation
    state: ConversationState
    other: MemberView
    messages: list[Message]
    can_send: bool
    preview: ContactPreview | None = None  # what the actor keeps and knows about them


class LedgerKind(StrEnum):
    GRANT = "grant"
    SPEND = "spend"
    REFUND = "refund"
    PURCHASE = "purchase"
    TAKEN_BACK = "taken_back"  # a refunded purchase's credits (what was left of them)


class MessageTemplate(Model):
    """A member's saved text for invitation notes, messages and InMails (`/template`)."""

    member_id: int
    name: str
    body: str
    updated_at: datetime


class StarOffer(Model):
    """Something /buy sells for Telegram Stars: a pack of InMail credits or a plan. Its id
    says what it is (``c10``: 10 credits, ``p.premium_career``: that plan), so a payment
    is honoured even if the offer is withdrawn between checkout and payment."""

    id: str
    stars: int
    credits: int = 0  # a pack's credits
    plan: str | None = None
    allowance: int = 0  # a plan's monthly credits


class StarPayment(Model):
    """A payment in Telegram Stars, recorded once by its Telegram charge id: what it bought
    (credits granted, a plan) and, once refunded, how many credits were taken back."""

    charge_id: str
    member_id: int
    offer_id: str
    stars: int
    credits: int = 0
    plan: str | None = None
    paid_at: datetime
    refunded_at: datetime | None = None
    credits_taken_back: int | None = None


class LedgerEntry(Model):
    id: int
    member_id: int
    kind: LedgerKind
    delta: int
    balance_after: int
    reason: str
    inmail_id: int | None = None
    created_at: datetime


class CreditAccount(Model):
    plan: str
    balance: int
    allowance: int
    cap: int
    renews_at: datetime | None
    pending_refunds: int
    entries: list[LedgerEntry]
    plans: dict[str, int] = Field(default_factory=dict)  # every plan's monthly allowance


class SpamReport(Model):
    id: int
    reporter_id: int
    reported_id: int
    conversation_id: int
    created_at: datetime
    reviewed: bool = False


class Reputation(StrEnum):
    """How a sender's invitations and InMails of the last 90 days were received, in a word
    (`bridge.core.reputation`), shown to whoever receives a new one from them."""

    REPORTED = "reported"  # someone reported them as spam
    NEW = "new"  # too few sent to say
    USUALLY_ANSWERED = "usually_answered"
    SOMETIMES_ANSWERED = "sometimes_answered"
    RARELY_ANSWERED = "rarely_answered"


class SenderRecord(Model):
    """A sender's last 90 days, counted by one SQL aggregate."""

    invitations: int  # sent
    accepted: int
    inmails: int  # sent
    answered_inmails: int  # any answer: interested, not interested, a reply
    spam_reports: int  # against them


class InvitationView(Model):
    invitation: Invitation
    other: MemberView
    reputation: Reputation | None = None  # of its sender, for its recipient


class ReplyChip(StrEnum):
    """The quick replies under a received invitation: accept, and say this (the words are
    the front end's, in the member's language)."""

    NICE = "nice"  # "Nice to meet you"
    TALK = "talk"  # "Let's talk"
    HAPPY = "happy"  # "Happy to connect"


class InvitationAnswer(Model):
    """An invitation accepted, declined or withdrawn, as the actor's chat shows it."""

    result: InvitationStatus
    item: InvitationView  # the invitation as the actor now sees it, and its other member
    # The actor's chat messages (chat id, message id) showing it with its buttons: they
    # now show the outcome instead.
    copies: list[tuple[int, int]] = Field(default_factory=list)


class ConversationCard(Model):
    """A conversation as the inbox card shows it: its last messages, the actor's state of
    it, and the invitation waiting there for their answer, if any."""

    view: ConversationView
    waiting: Invitation | None = None
    sales: bool = False  # the actor has a sales mailbox: the card can move it there and back


class DegreeInfo(Model):
    degree: Degree
    mutual: list[MemberView]
    path: list[MemberView]


class Delivery(Model):
    """A message the core accepted and committed, with what the front end needs to relay it."""

    message: Message
    conversation: Conversation
    sender: Member
    recipient: Member
    sender_as_seen: MemberView  # the sender as the recipient may see them (masked by degree)
    recipient_as_seen: MemberView | None = None  # the recipient as the sender may see them
    recipient_state: ConversationState
    inmail: InMail | None = None
    answered_inmail: InMail | None = None  # an InMail this message answered
    forwarded_from: MemberView | None = None  # the original author of a forwarded message
    preview: ContactPreview | None = None  # beside the message: the recipient's view of the sender
    sender_reputation: Reputation | None = None  # an InMail's: how its sender is answered


class Outgoing(Model):
    """A message in its undo window: accepted, not yet posted (nobody else sees it)."""

    id: int
    sender_id: int
    target_id: int
    text: str | None
    attachment: Attachment | None = None
    reply_to_id: int | None = None
    origin_chat_id: int | None = None  # the sender's own Telegram message
    origin_message_id: int | None = None
    confirm_chat_id: int | None = None  # the bot's "Sending… Undo" message
    confirm_message_id: int | None = None
    due_at: datetime
    created_at: datetime


class ChatCopy(Model):
    """Where a stored message shows in a member's Telegram chat (their original or our copy)."""

    message_id: int
    member_id: int
    chat_id: int
    telegram_message_id: int
    is_original: bool = False


class NotificationKind(StrEnum):
    MESSAGE = "message"  # a message (or InMail) for the recipient: ref = message id
    INVITATION = "invitation"  # ref = invitation id, for its recipient
    ACCEPTED = "accepted"  # ref = invitation id, for its sender
    EDIT = "edit"  # ref = message id: update the recipient's copies
    REACTION = "reaction"  # ref = message id: mirror reactions onto the recipient's copy
    DIGEST = "digest"  # an unread digest
    INMAIL_ANSWERED = "inmail_answered"  # ref = InMail id, for its sender: (not) interested
    CREDIT_REFUNDED = "credit_refunded"  # ref = InMail id, for its sender: the credit is back
    STARS_RECEIPT = "stars_receipt"  # payload: a Stars payment recorded, for its payer
    STARS_REFUNDED = "stars_refunded"  # payload: a Stars payment refunded, for its payer
    REMINDER = "reminder"  # ref = reminder id, for its member: follow up now
    INTRODUCTION_ASKED = "introduction_asked"  # ref = introduction id, for the intermediary
    INTRODUCED = "introduced"  # ref = introduction id, for the requester and the target
    SEARCH_ALERT = "search_alert"  # payload: each saved search's range of new member ids


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"  # nothing to push (muted, spam, gone): stays in the inbox
    HELD = "held"  # the member blocked the bot; resumes when they come back
    FAILED = "failed"  # Telegram refused it for good (400): visible to admins


class Notification(Model):
    """A notification owed to a member, from the outbox."""

    id: int
    member_id: int
    kind: NotificationKind
    ref_id: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict)  # JSON
    status: NotificationStatus = NotificationStatus.PENDING
    attempts: int = 0
    created_at: datetime
    due_at: datetime
    sent_at: datetime | None = None
    last_error: str | None = None
    sender_id: int | None = None  # for messages: who wrote (burst coalescing)
    silent: bool = False


class TagCount(Model):
    tag: Tag
    contacts: int  # how many of the member's contacts carry it


class ContactTags(Model):
    """A contact's tags as the member toggles them from a conversation card: every tag of
    the member, and which ones the contact carries."""

    contact: MemberView
    tags: list[Tag]
    on: list[int]  # the ids of the tags the contact carries


class ContactNote(Model):
    contact: MemberView
    text: str | None  # None: no note yet


class ReminderStatus(StrEnum):
    PENDING = "pending"
    FIRED = "fired"
    CANCELLED = "cancelled"


class Reminder(Model):
    """A member's follow-up reminder on a conversation (`/remind @handle 3d [text]`)."""

    id: int
    member_id: int
    conversation_id: int
    text: str
    due_at: datetime
    status: ReminderStatus
    created_at: datetime


class ReminderView(Model):
    reminder: Reminder
    contact: MemberView  # the conversation's other member, as the member may see them


class Lead(Model):
    """A saved lead as its member sees it (`leads.list`): the contact masked by degree, and
    how the conversation with them stands."""

    contact: MemberView  # with their degree now
    list_name: str
    saved_at: datetime
    last_contact_at: datetime | None  # the conversation's last activity; None: never talked
    answered: bool  # they wrote to the member at least once


class ProfileViewer(Model):
    """One member who viewed a profile, as the viewed member may see them."""

    view: MemberView
    at: datetime  # their latest view


class WhoViewed(Model):
    """/views: the last days' viewers, or why there are none to show."""

    private: bool  # the member browses privately: they see no viewers either
    days: int
    total: int  # distinct viewers in the window (more than `viewers` shows, maybe)
    viewers: list[ProfileViewer]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class MemberStats(Model):
    """/stats: one member's last days, the figures both the picture and its text show."""

    days: int
    invitations_sent: int
    invitations_accepted: int
    messages_received: int
    messages_answered: int
    median_reply_seconds: float | None  # None: nothing answered
    inmails_sent: int
    inmails_answered: int  # any answer: interested, not interested, a reply

    @property
    def acceptance_rate(self) -> float | None:
        return _rate(self.invitations_accepted, self.invitations_sent)

    @property
    def reply_rate(self) -> float | None:
        return _rate(self.messages_answered, self.messages_received)

    @property
    def inmail_answer_rate(self) -> float | None:
        return _rate(self.inmails_answered, self.inmails_sent)


class NetworkStats(Model):
    """/stats network (admins): the size of the network, its traffic, what waits to go out."""

    members: int
    connections: int
    messages_per_day: list[tuple[str, int]]  # (UTC date, messages), oldest first, every day
    backlog: int  # notifications waiting to be delivered (pending or held)


class IntroductionStatus(StrEnum):
    ASKED = "asked"
    FORWARDED = "forwarded"
    DECLINED = "declined"  # the requester is never told


class Introduction(Model):
    id: int
    requester_id: int
    target_id: int
    intermediary_id: int  # a connection of the requester, who knows the target
    note: str
    status: IntroductionStatus = IntroductionStatus.ASKED
    created_at: datetime
    answered_at: datetime | None = None


class IntroductionView(Model):
    """An introduction as one of its three members sees it (names masked as always, except
    between the two introduced: a common connection vouched for each)."""

    id: int
    requester: MemberView
    target: MemberView
    intermediary: MemberView
    note: str
    status: IntroductionStatus
    conversation_id: int | None = None  # once forwarded: the two introduced members' thread


class IntroductionChoice(Model):
    """Whom the actor may ask to introduce them to `target`."""

    target: MemberView
    via: list[MemberView]  # connections of the actor who know the target, closest first
    note_limit: int  # how long the note asking one of them may be


class SavedSearch(Model):
    """A /find kept: the digest lists members who joined since and match it."""

    id: int
    member_id: int
    query: str
    last_member_id: int  # members up to this id were already considered
    created_at: datetime


class SearchAlert(Model):
    """New members matching one of a member's saved searches, as the member may see them."""

    query: str
    members: list[MemberView]
    more: int  # beyond those listed


class CampaignStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class CampaignStep(StrEnum):
    """Where a lead is; the first four are due at `due_at`, the last two are final."""

    VISIT = "visit"  # open their profile (a recorded view)
    INVITE = "invite"  # after the wait: the invitation with the campaign's note
    ACCEPTING = "accepting"  # invited: checked until they accept (then welcome) or decline
    FOLLOW_UP = "follow_up"  # welcomed: a follow-up if they haven't answered by then
    DONE = "done"
    LEFT = "left"  # replied, declined, blocked, reported… (`CampaignLead.outcome`)


class Campaign(Model):
    id: int
    member_id: int
    name: str
    status: CampaignStatus = CampaignStatus.ACTIVE
    wait_days: int
    follow_up_days: int
    note: str | None = None  # the invitation's note
    welcome: str | None = None  # sent on acceptance
    follow_up: str | None = None  # sent `follow_up_days` after the welcome, without a reply
    created_at: datetime


class CampaignLead(Model):
    campaign_id: int
    lead_id: int
    step: CampaignStep
    due_at: datetime
    invitation_id: int | None = None
    added_at: datetime
    outcome: str | None = None


class CampaignCounts(Model):
    """How many leads reached each step (and how many left, by reason)."""

    leads: int = 0
    visited: int = 0
    invited: int = 0
    accepted: int = 0
    welcomed: int = 0
    followed_up: int = 0
    replied: int = 0
    left: int = 0

    @property
    def acceptance_rate(self) -> float | None:
        return _rate(self.accepted, self.invited)

    @property
    def reply_rate(self) -> float | None:
        return _rate(self.replied, self.accepted)


class CampaignSummary(Model):
    campaign: Campaign
    counts: CampaignCounts
