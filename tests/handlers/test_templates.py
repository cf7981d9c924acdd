"""Every text the bot sends, in every language: one template tree whose words come from the
gettext catalogs; every macro renders with realistic core models in every language, every
typed error of the core has its own text, user content is escaped, French reads as French
(plurals, elision, dates), and the command list fits Telegram's limits.
The catalogs themselves (complete, current, compiled) are checked in tests/locale."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jinja2 import nodes

from bridge.core import errors
from bridge.core.cleanup import BulkAction, BulkCount
from bridge.core.export import MemberExport
from bridge.core.message_search import MessageHit, MessageSearchPage
from bridge.core.models import (
    PROFILE_FIELDS,
    Attachment,
    AttachmentKind,
    Authored,
    Campaign,
    CampaignCounts,
    CampaignStatus,
    CampaignSummary,
    ContactNote,
    ContactPreview,
    ContactTags,
    Conversation,
    ConversationState,
    ConversationView,
    CreditAccount,
    Degree,
    DegreeInfo,
    Delivery,
    Digest,
    InboxEntry,
    InboxFilter,
    InboxPage,
    InMail,
    InMailStatus,
    IntroductionChoice,
    IntroductionStatus,
    IntroductionView,
    Invitation,
    InvitationStatus,
    InvitationView,
    InviteAllowance,
    InvitePolicy,
    LastMessage,
    Lead,
    LedgerEntry,
    LedgerKind,
    LineAttachment,
    Mailbox,
    Member,
    MemberStats,
    MemberView,
    Message,
    MessageKind,
    MessageTemplate,
    NetworkStats,
    Notification,
    NotificationKind,
    NotificationStatus,
    ProfileCard,
    ProfileViewer,
    Reminder,
    ReminderStatus,
    ReminderView,
    ReplyChip,
    Reputation,
    SavedSearch,
    SearchAlert,
    SeenMember,
    SmartFilter,
    SpamReport,
    StarOffer,
    StarPayment,
    Tag,
    TagCount,
    UnreadSummary,
    WhoViewed,
)
from bridge.core.rules import Rules
from bridge.handlers.registry import COMMANDS
from bridge.runtime.render import LANGUAGES, TEMPLATES, Renderer

renderer = Renderer()
FEATURES = sorted(p.stem for p in TEMPLATES.glob("*.j2"))


def _parse(feature: str) -> nodes.Template:
    env = renderer.environment("en")
    return env.parse((TEMPLATES / f"{feature}.j2").read_text(encoding="utf-8"))


def _module_macros(feature: str) -> dict[str, tuple[str, ...]]:
    module = renderer.environment("en").get_template(f"{feature}.j2").module
    return {
        k: getattr(module, k).arguments
        for k in dir(module)
        if not k.startswith("_") and hasattr(getattr(module, k), "arguments")
    }


def test_one_tree_inside_the_package() -> None:
    """One template per feature, shipped with the package; no per-language folders."""
    assert TEMPLATES == Path(__file__).resolve().parents[2] / "bridge" / "templates"
    assert FEATURES and not [p for p in TEMPLATES.iterdir() if p.is_dir()]


@pytest.mark.parametrize("feature", FEATURES)
def test_imports_name_templates_of_the_tree(feature: str) -> None:
    tree = _parse(feature)
    found = [
        *tree.find_all(nodes.Import),
        *tree.find_all(nodes.FromImport),
        *tree.find_all(nodes.Include),
        *tree.find_all(nodes.Extends),
    ]
    for node in found:
        assert isinstance(node.template, nodes.Const), "imports name a template"
        assert (TEMPLATES / node.template.value).is_file(), node.template.value


# --- realistic sample data, built from the core's models -----------------------------------
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)
ME, ALICE, BOB, CAROL, DAN = 1, 2, 3, 4, 5


def member(id_: int, first: str, last: str = "", **fields: Any) -> Member:
    return Member(
        id=id_,
        telegram_id=100 + id_,
        handle=fields.pop("handle", first.lower()),
        first_name=first,
        last_name=last,
        plan_started_at=NOW - 30 * 24 * HOUR,
        created_at=NOW - 60 * 24 * HOUR,
        **fields,
    )


def view(
    id_: int,
    name: str,
    degree: Degree,
    named: bool = True,
    handle: str | None = "x",
    headline: str = "",
    company: str = "",
    location: str = "",
    industry: str = "",
) -> MemberView:
    return MemberView(
        id=id_,
        handle=handle,
        name=name,
        headline=headline,
        company=company,
        location=location,
        industry=industry,
        degree=degree,
        named=named,
    )


SELF = view(ME, "Camille Durand", Degree.SELF, handle="camille", headline="Data engineer")
ALICE_V = view(
    ALICE,
    "Alice Martin",
    Degree.FIRST,
    handle="alice_martin",
    headline="Head of Product",
    company="Acme",
    location="Paris",
    industry="Software",
)
BOB_V = view(BOB, "Bob D.", Degree.THIRD, handle="bob", headline="Recruiter")
CAROL_V = view(CAROL, "Carol Smith", Degree.SECOND, handle="carol", company="Globex")
ANON = view(DAN, "Member", Degree.OUT, named=False, handle=None, headline="Sales lead")
ANON_ADDRESSED = view(DAN, "Member", Degree.OUT, named=False, handle="dan")
FORMER = view(DAN, "Member", Degree.OUT, named=False, handle=None).model_copy(
    update={"former": True}
)
VIEWS = [SELF, ALICE_V, BOB_V, CAROL_V, ANON, ANON_ADDRESSED, FORMER]

ME_M = member(
    ME, "Camille", "Durand", handle="camille", language="fr", plan="premium_career", credits=5
)
ALICE_M = member(ALICE, "Alice", "Martin", handle="alice_martin", headline="Head of Product")
QUIET_M = ME_M.model_copy(
    update={
        "notify_mode": "digest",
        "quiet_start": "22:00",
        "quiet_end": "08:00",
        "timezone": "Europe/Paris",
        "digest_at": "08:30",
        "inmail_opt_out": True,
        "invite_policy": InvitePolicy.SECOND_DEGREE,
        "language": "en",
    }
)
MUTED_M = ME_M.model_copy(update={"notify_mode": "muted", "credits": 1, "undo_seconds": 10})

ATTACHMENTS = [
    Attachment(kind=AttachmentKind.VOICE, file_id="v1", duration=83),
    Attachment(kind=AttachmentKind.VIDEO_NOTE, file_id="vn1", duration=12),
    Attachment(kind=AttachmentKind.PHOTO, file_id="p1"),
    Attachment(kind=AttachmentKind.ANIMATION, file_id="g1"),
    Attachment(kind=AttachmentKind.VIDEO, file_id="vd1", duration=125),
    Attachment(kind=AttachmentKind.AUDIO, file_id="a1", duration=200, title="Pitch"),
    Attachment(kind=AttachmentKind.DOCUMENT, file_id="d1", file_name="CV Camille.pdf"),
    Attachment(kind=AttachmentKind.DOCUMENT, file_id="d2"),
    Attachment(kind=AttachmentKind.STICKER, file_id="s1", emoji="👍"),
    Attachment(kind=AttachmentKind.STICKER, file_id="s2"),
]


def conversation(id_: int, other: int, ago: timedelta, **fields: Any) -> Conversation:
    a, b = sorted((ME, other))
    return Conversation(
        id=id_,
        member_a=a,
        member_b=b,
        created_at=NOW - 48 * HOUR,
        last_activity_at=NOW - ago,
        **fields,
    )


def state(id_: int, unread: int = 0, **fields: Any) -> ConversationState:
    return ConversationState(
        conversation_id=id_,
        member_id=ME,
        unread_count=unread,
        last_activity_at=NOW - HOUR,
        **fields,
    )


def message(id_: int, conv: int, sender: int, text: str | None = None, **fields: Any) -> Message:
    return Message(
        id=id_, conversation_id=conv, sender_id=sender, text=text, created_at=NOW - HOUR, **fields
    )


INVITATION = Invitation(
    id=7,
    sender_id=CAROL,
    recipient_id=ME,
    note="Bonjour Camille, ravie de notre échange à VivaTech !",
    status=InvitationStatus.PENDING,
    created_at=NOW - 3 * HOUR,
    conversation_id=12,
)
SENT_INVITATION = INVITATION.model_copy(
    update={"sender_id": ME, "recipient_id": BOB, "note": None, "id": 8}
)
INMAIL = InMail(
    id=3,
    sender_id=BOB,
    recipient_id=ME,
    conversation_id=13,
    message_id=31,
    subject="Opportunity at Initech",
    sent_at=NOW - 5 * HOUR,
    refund_deadline=NOW + 14 * 24 * HOUR,
)


def line(
    conversation: Conversation,
    state: ConversationState,
    other: MemberView,
    last_message: Message | None,
    pending_invitation: Invitation | None = None,
    inmail: InMail | None = None,
) -> InboxEntry:
    """An inbox or digest line as the core builds it: lean, only what a line shows."""
    att = last_message.attachment if last_message is not None else None
    return InboxEntry(
        conversation.id,
        conversation.last_activity_at,
        state.unread_count,
        SeenMember(**other.model_dump()),
        None
        if last_message is None
        else LastMessage(
            last_message.sender_id,
            last_message.text,
            None
            if att is None
            else LineAttachment(att.kind, att.duration, att.file_name, att.emoji),
        ),
        None
        if pending_invitation is None
        else Authored(pending_invitation.id, pending_invitation.sender_id),
        None if inmail is None else Authored(inmail.id, inmail.sender_id),
    )


ENTRIES = [
    line(
        conversation=conversation(11, ALICE, timedelta(seconds=20)),
        state=state(11, 3),
        other=ALICE_V,
        last_message=message(21, 11, ALICE, "Un café jeudi ?", attachment=ATTACHMENTS[0]),
    ),
    line(
        conversation=conversation(12, CAROL, 2 * HOUR, invitation_id=7),
        state=state(12, 1),
        other=CAROL_V,
        last_message=message(22, 12, CAROL, INVITATION.note, kind=MessageKind.NOTE),
        pending_invitation=INVITATION,
    ),
    line(
        conversation=conversation(13, BOB, 50 * HOUR, inmail_id=3),
        state=state(13, 0, inmail=True),
        other=BOB_V,
        last_message=message(
            31, 13, BOB, "Un poste chez Initech", kind=MessageKind.INMAIL, subject=INMAIL.subject
        ),
        inmail=INMAIL,
    ),
    line(
        conversation=conversation(14, DAN, 10 * 60 * timedelta(seconds=1)),
        state=state(14, 0, archived=True),
        other=ANON,
        last_message=None,
    ),
    line(
        conversation=conversation(15, ALICE, 3 * 24 * HOUR),
        state=state(15, 2),
        other=ALICE_V,
        last_message=message(25, 15, ME, None, attachment=ATTACHMENTS[2]),
    ),
]


def page(
    filter_: InboxFilter,
    entries: list[InboxEntry],
    messages: int,
    people: int,
    cursor: str | None = None,
) -> InboxPage:
    return InboxPage(
        filter=filter_,
        entries=entries,
        next_cursor=cursor,
        summary=UnreadSummary(messages=messages, people=people),
    )


def digest(
    entries: list[InboxEntry], messages: int, people: int, invitations: int, inmails: int
) -> Digest:
    return Digest(
        summary=UnreadSummary(messages=messages, people=people),
        invitations=invitations,
        inmails=inmails,
        entries=entries,
        next_cursor=None,
    )


CONV_VIEW = ConversationView(
    conversation=conversation(11, ALICE, timedelta(seconds=20)),
    state=state(11, 3),
    other=ALICE_V,
    can_send=True,
    messages=[
        message(40, 11, ME, "Bonjour Alice !"),
        message(41, 11, ALICE, "Bonjour ! Voici le deck.", attachment=ATTACHMENTS[6]),
        message(42, 11, ALICE, None, attachment=ATTACHMENTS[1]),
        message(43, 11, BOB, "Le poste", subject="Opportunity", kind=MessageKind.INMAIL),
    ],
)
EMPTY_VIEW = CONV_VIEW.model_copy(update={"messages": [], "other": ANON})
TAGS = [Tag(id=1, name="candidate", colour="🟢"), Tag(id=2, name="lyon-2026", colour="🔵")]
PREVIEW = ContactPreview(mutual=3, tags=TAGS, note_line="Met at <VivaTech> & liked it")
PREVIEWED_VIEW = CONV_VIEW.model_copy(update={"preview": PREVIEW})
SMART = SmartFilter(awaiting=True, degree=Degree.SECOND, tag=TAGS[0], files=True, since_days=7)
REMINDERS = [
    ReminderView(
        reminder=Reminder(
            id=i,
            member_id=ME,
            conversation_id=11,
            text=text,
            due_at=NOW + timedelta(days=3),
            status=ReminderStatus.PENDING,
            created_at=NOW,
        ),
        contact=contact,
    )
    for i, (text, contact) in enumerate([("Envoyer l’<offre>", ALICE_V), ("", ANON)])
]
LEADS = [
    Lead(
        contact=ALICE_V,
        list_name="q1-designers",
        saved_at=NOW,
        last_contact_at=NOW - 3 * 24 * HOUR,
        answered=True,
    ),
    Lead(
        contact=ANON_ADDRESSED,
        list_name="leads",
        saved_at=NOW,
        last_contact_at=None,
        answered=False,
    ),
]
CONTACT_TAGS = [
    ContactTags(contact=ALICE_V, tags=TAGS, on=[1]),
    ContactTags(contact=ANON, tags=TAGS, on=[]),
    ContactTags(contact=BOB_V, tags=[], on=[]),
]

AUTO_M = ME_M.model_copy(
    update={"auto_reply_on": True, "auto_reply": "Why <connect>? " * 10, "require_note": True}
)
MY_TEMPLATES = [
    MessageTemplate(member_id=1, name="intro", body="Hi {{ first_name }} <3", updated_at=NOW),
    MessageTemplate(member_id=1, name="long", body="x " * 200, updated_at=NOW),
]
STAR_OFFERS = [
    StarOffer(id="c1", stars=5, credits=1),
    StarOffer(id="c10", stars=50, credits=10),
    StarOffer(id="p.premium_career", stars=300, plan="premium_career", allowance=5),
    StarOffer(id="p.odd", stars=1, plan="odd_plan", allowance=1),
]
STAR_REFUNDED = StarPayment(
    charge_id="stx1",
    member_id=1,
    offer_id="c10",
    stars=50,
    credits=10,
    paid_at=NOW,
    refunded_at=NOW,
    credits_taken_back=7,
)
ACCOUNT = CreditAccount(
    plan="premium_career",
    balance=4,
    allowance=5,
    cap=15,
    renews_at=NOW + 10 * 24 * HOUR,
    pending_refunds=1,
    entries=[
        LedgerEntry(
            id=i,
            member_id=ME,
            kind=kind,
            delta=delta,
            balance_after=after,
            reason=kind.value,
            created_at=NOW - i * HOUR,
        )
        for i, (kind, delta, after) in enumerate(
            [
                (LedgerKind.GRANT, 5, 5),
                (LedgerKind.SPEND, -1, 4),
                (LedgerKind.REFUND, 1, 5),
                (LedgerKind.PURCHASE, 10, 15),
            ],
            start=1,
        )
    ],
)
FREE_ACCOUNT = CreditAccount(
    plan="free",
    balance=0,
    allowance=0,
    cap=0,
    renews_at=None,
    pending_refunds=0,
    entries=[],
    plans=Rules().plans,
)
OVER_CAP = ACCOUNT.model_copy(update={"balance": 60, "plans": Rules().plans})
ODD_PLAN = FREE_ACCOUNT.model_copy(update={"plan": "enterprise", "allowance": 1, "balance": 1})

REPORTS = [
    SpamReport(id=1, reporter_id=ME, reported_id=BOB, conversation_id=13, created_at=NOW - HOUR)
]
FAILURES = [
    Notification(
        id=9,
        member_id=ALICE,
        kind=NotificationKind.MESSAGE,
        ref_id=21,
        status=NotificationStatus.FAILED,
        attempts=1,
        created_at=NOW,
        due_at=NOW,
        last_error="Bad Request: chat not found",
    )
]
REPORT_MEMBERS = {ME: ME_M, BOB: member(BOB, "Bob", "Dupont", handle="bob")}

CARD = ProfileCard(
    view=ALICE_V,
    about="Produit, données et équipes.\nAvant : Initech.",
    connections=42,
    mutual=[CAROL_V, BOB_V],
    actions=["message"],
)
ANON_CARD = ProfileCard(
    view=ANON, about="Hidden from strangers", connections=1, mutual=[], actions=["inmail"]
)
SELF_CARD = ProfileCard(view=SELF, about="", connections=0, mutual=[], actions=[])
ALLOWANCES = [
    InviteAllowance(limit=100, left=37),
    InviteAllowance(limit=100, left=1),
    InviteAllowance(limit=100, left=0, next_at=NOW + 24 * HOUR),
]
OWN_CARD = SELF_CARD.model_copy(update={"allowance": ALLOWANCES[0]})
COOLING_CARD = ANON_CARD.model_copy(update={"reinvite_after": NOW + 5 * 24 * HOUR})
NOTED_CARD = CARD.model_copy(update={"note": "Ex-Initech <b>\nCall in March", "tags": TAGS})


def delivery(sender_as_seen: MemberView, msg: Message, **fields: Any) -> Delivery:
    conv = conversation(msg.conversation_id, sender_as_seen.id, HOUR)
    return Delivery(
        message=msg,
        conversation=conv,
        sender=ALICE_M,
        recipient=ME_M,
        sender_as_seen=sender_as_seen,
        recipient_state=state(msg.conversation_id, 1),
        **fields,
    )


DELIVERIES = [
    delivery(ALICE_V, message(50, 11, ALICE, "On se voit à 10 h ?")),
    delivery(ALICE_V, message(54, 11, ALICE, "Un café ?"), preview=PREVIEW),
    delivery(ALICE_V, message(55, 11, ALICE, "Seul"), preview=ContactPreview(mutual=1)),
    delivery(
        BOB_V,
        message(
            51,
            13,
            BOB,
            "Nous recrutons un PM.",
            kind=MessageKind.INMAIL,
            subject="Opportunity at Initech",
        ),
        inmail=INMAIL,
    ).model_copy(update={"sender_reputation": Reputation.USUALLY_ANSWERED}),
    delivery(ANON, message(52, 14, DAN, None, kind=MessageKind.INMAIL, subject="Quick one")),
    delivery(
        ANON, message(54, 14, DAN, "Achetez", kind=MessageKind.INMAIL, subject="Offre")
    ).model_copy(update={"sender_reputation": Reputation.REPORTED}),
    delivery(
        ALICE_V,
        message(53, 11, ALICE, "Regardez ça", forwarded_from_id=CAROL, edited_at=NOW),
        forwarded_from=CAROL_V,
    ),
    *[
        delivery(ALICE_V, message(60 + i, 11, ALICE, "caption" if i % 2 else None, attachment=a))
        for i, a in enumerate(ATTACHMENTS)
    ],
]

DEGREES = [
    (DegreeInfo(degree=Degree.SELF, mutual=[], path=[SELF]), SELF),
    (DegreeInfo(degree=Degree.FIRST, mutual=[CAROL_V], path=[SELF, ALICE_V]), ALICE_V),
    (
        DegreeInfo(degree=Degree.SECOND, mutual=[ALICE_V, BOB_V], path=[SELF, ALICE_V, CAROL_V]),
        CAROL_V,
    ),
    (DegreeInfo(degree=Degree.THIRD, mutual=[], path=[SELF, ALICE_V, CAROL_V, BOB_V]), BOB_V),
    (DegreeInfo(degree=Degree.OUT, mutual=[], path=[]), ANON_ADDRESSED),
]

INBOX_ACTIONS = [
    "open",
    "read",
    "unread",
    "archive",
    "unarchive",
    "spam",
    "not_spam",
    "delete",
    "back",
    "to_sales",
    "to_main",
]
DONE = [
    "read",
    "unread",
    "archive",
    "unarchive",
    "delete",
    "spam",
    "not_spam",
    "read_all",
    "to_sales",
    "to_main",
]
ANSWERS = [s for s in InMailStatus if s != InMailStatus.SENT]  # what answering returns
PLANS = [
    "free",
    "premium_career",
    "premium_business",
    "sales_navigator",
    "recruiter_lite",
    "enterprise",
]


HELP_NAMES = [c.name for c in COMMANDS]

SEARCH_PAGE = MessageSearchPage(
    search_id=3,
    query="contrat <Lyon>",
    hits=[
        MessageHit(
            message=message(41, 1, ALICE, "Le contrat pour <Lyon> est prêt", subject="Offre"),
            other=ALICE_V,
            mine=False,
        ),
        MessageHit(
            message=message(40, 2, ME, "Mon contrat", attachment=ATTACHMENTS[6]),
            other=ANON,
            mine=True,
        ),
    ],
    older=40,
)

MEMBER_STATS = MemberStats(
    days=90,
    invitations_sent=4,
    invitations_accepted=2,
    messages_received=4,
    messages_answered=3,
    median_reply_seconds=600.0,
    inmails_sent=2,
    inmails_answered=1,
)
NO_STATS = MemberStats(
    days=90,
    invitations_sent=0,
    invitations_accepted=0,
    messages_received=0,
    messages_answered=0,
    median_reply_seconds=None,
    inmails_sent=0,
    inmails_answered=0,
)
NETWORK_STATS = NetworkStats(
    members=120, connections=300, messages_per_day=[("2026-11-22", 4), ("2026-11-23", 7)], backlog=2
)

INTRO_CHOICE = IntroductionChoice(target=BOB_V, via=[ALICE_V], note_limit=300)
INTRO = IntroductionView(
    id=7,
    requester=SELF,
    target=CAROL_V.model_copy(update={"headline": "CTO <Globex>"}),
    intermediary=ALICE_V,
    note="We both hire in <Lyon> & Paris",
    status=IntroductionStatus.ASKED,
)
INTRO_NO_HEADLINE = INTRO.model_copy(update={"target": CAROL_V})
FORWARDED = INTRO.model_copy(update={"status": IntroductionStatus.FORWARDED, "conversation_id": 3})
DECLINED = INTRO.model_copy(update={"status": IntroductionStatus.DECLINED})

SAVED = SavedSearch(
    id=4, member_id=ME, query="recruteur <Paris> & co", last_member_id=10, created_at=NOW
)

CAMPAIGN = Campaign(
    id=3,
    member_id=ME,
    name="Recruteurs <Lyon> & co",
    wait_days=2,
    follow_up_days=5,
    note="Hi <there>",
    welcome="Thanks!",
    follow_up="Shall we talk?",
    created_at=NOW,
)
BARE_CAMPAIGN = CAMPAIGN.model_copy(
    update={"note": None, "welcome": None, "follow_up": None, "status": CampaignStatus.STOPPED}
)
CAMPAIGN_SUMMARY = CampaignSummary(
    campaign=CAMPAIGN,
    counts=CampaignCounts(
        leads=12, visited=12, invited=10, accepted=4, welcomed=4, followed_up=2, replied=1, left=3
    ),
)
BARE_SUMMARY = CampaignSummary(campaign=BARE_CAMPAIGN, counts=CampaignCounts())

SAMPLES: dict[tuple[str, str], list[dict[str, Any]]] = {
    ("admin", "plan_set"): [
        {"member": ME_M, "account": ACCOUNT},
        {"member": MUTED_M, "account": FREE_ACCOUNT},
        {"member": ME_M, "account": OVER_CAP},
        {"member": MUTED_M, "account": FREE_ACCOUNT.model_copy(update={"balance": 3})},
    ],
    ("admin", "granted"): [{"member": ME_M, "amount": 10}, {"member": MUTED_M, "amount": 1}],
    ("admin", "reports"): [
        {"reports": REPORTS, "members": REPORT_MEMBERS, "failures": FAILURES},
        {"reports": REPORTS * 2, "members": REPORT_MEMBERS, "failures": []},
        {"reports": [], "members": {}, "failures": []},
    ],
    ("admin", "reviewed"): [{}],
    ("common", "badge"): [{"degree": d} for d in Degree],
    ("common", "plan_name"): [{"plan": p} for p in PLANS],
    ("common", "name"): [{"v": v} for v in VIEWS],
    ("common", "kind"): [{"attachment": a} for a in [None, *ATTACHMENTS]],
    ("common", "age"): [{"seconds": s} for s in (0, 59, 60, 3599, 3600, 86399, 86400, 900000)],
    ("common", "person"): [{"v": v} for v in VIEWS],
    ("common", "status"): [
        {"s": s}
        for s in (
            "pending",
            "accepted",
            "declined",
            "withdrawn",
            "sent",
            "interested",
            "not_interested",
            "replied",
        )
    ],
    ("common", "quote"): [{"text": "Un café jeudi ?"}, {"text": "<b>not markup</b>"}],
    ("common", "said"): [{"who": "Alice Martin", "what": "Bonjour !"}],
    ("common", "reputation"): [{"r": r} for r in Reputation],
    ("common", "unknown_command"): [{}],
    ("common", "stale_button"): [{}],
    ("common", "edited_command"): [{}],
    ("common", "update_skipped"): [{"update_id": 42, "error": "KeyError: 'date' <&>"}],
    ("digest", "digest"): [
        {"d": digest(ENTRIES, 6, 3, 1, 1), "now": NOW, "first": True},
        {"d": digest(ENTRIES[:1], 1, 1, 0, 0), "now": NOW, "first": True},
        {"d": digest(ENTRIES[2:], 2, 2, 2, 2), "now": NOW, "first": False},
        {
            "d": replace(digest(ENTRIES[:1], 1, 1, 0, 0), expired=1),
            "now": NOW,
            "first": True,
        },
        {"d": replace(digest([], 0, 0, 0, 0), expired=3), "now": NOW, "first": True},
        {
            "d": replace(
                digest(ENTRIES[:1], 1, 1, 0, 0), sales=UnreadSummary(messages=4, people=2)
            ),
            "now": NOW,
            "first": True,
        },
    ],
    ("digest", "open_button"): [{"entry": e} for e in ENTRIES],
    ("digest", "more_button"): [{}],
    ("digest", "invitations_button"): [{"n": 1}, {"n": 3}],
    ("digest", "nothing"): [{}],
    ("digest", "preferences"): [{"member": m} for m in (ME_M, QUIET_M, MUTED_M)],
    ("digest", "unread"): [
        {"summary": UnreadSummary(messages=m, people=p)} for m, p in ((1, 1), (5, 2))
    ],
    ("digest", "notify_mode"): [{"mode": m} for m in ("instant", "digest", "muted")],
    ("digest", "quiet_hours"): [{"member": m} for m in (ME_M, QUIET_M)],
    ("digest", "daily_digest"): [{"member": m} for m in (ME_M, QUIET_M)],
    ("errors", "when"): [{"moment": NOW}],
    ("errors", "plan_names"): [{"plans": ["sales_navigator", "recruiter_lite"]}],
    ("errors", "unexpected"): [{}],
    # ("errors", "error") has its own test below, one case per core error
    ("errors", "error"): [{"code": "member_not_found", "p": {"handle": "alice"}}],
    ("help", "description"): [{"name": n} for n in HELP_NAMES],
    ("help", "usage"): [{"name": n} for n in HELP_NAMES],
    ("help", "help"): [{"names": HELP_NAMES}, {"names": ["start", "help"]}],
    ("inbox", "filter_name"): [{"f": f} for f in InboxFilter],
    ("inbox", "filter_button"): [{"f": f, "current": f == InboxFilter.UNREAD} for f in InboxFilter],
    ("inbox", "page"): [
        {"page": page(InboxFilter.ALL, ENTRIES, 6, 3, "c1"), "now": NOW, "first": True},
        {"page": page(InboxFilter.UNREAD, ENTRIES[1:2], 1, 1), "now": NOW, "first": True},
        {"page": page(InboxFilter.ARCHIVED, [], 0, 0), "now": NOW, "first": True},
        {"page": page(InboxFilter.INMAIL, [], 0, 0), "now": NOW, "first": False},
        {
            "page": replace(page(InboxFilter.INVITATIONS, ENTRIES[:1], 0, 0), invitations=2),
            "now": NOW,
            "first": True,
        },
        {
            "page": replace(page(InboxFilter.ALL, ENTRIES[:2], 3, 2), smart=SMART, matching=7),
            "now": NOW,
            "first": True,
        },
        {
            "page": replace(
                page(InboxFilter.INMAIL, [], 0, 0),
                smart=SmartFilter(waiting_days=1),
                matching=0,
            ),
            "now": NOW,
            "first": True,
        },
    ],
    ("inbox", "condition"): [
        {"smart": SMART},
        {"smart": SmartFilter(waiting_days=5, degree=Degree.THIRD, since_days=1)},
    ],
    ("inbox", "smart_button"): [
        {"condition": c, "on": on} for c in ("awaiting", "waiting") for on in (True, False)
    ],
    ("inbox", "entry_button"): [{"entry": e} for e in ENTRIES],
    ("inbox", "first_page"): [{}],
    ("inbox", "next_page"): [{}],
    ("inbox", "previous_page"): [{}],
    ("inbox", "read_all"): [{}],
    ("inbox", "action"): [{"a": a} for a in INBOX_ACTIONS],
    ("inbox", "conversation"): [
        {"view": CONV_VIEW, "me": ME, "state": CONV_VIEW.state},
        {"view": EMPTY_VIEW, "me": ME, "state": state(14, 0, archived=True, spam=True)},
        {"view": CONV_VIEW, "me": ME, "state": state(11, 1)},
        {
            "view": CONV_VIEW,
            "me": ME,
            "state": state(11, 1).model_copy(update={"mailbox": Mailbox.SALES}),
        },
        {"view": PREVIEWED_VIEW, "me": ME, "state": CONV_VIEW.state},
    ],
    ("inbox", "done"): [{"a": a, "n": 1} for a in DONE] + [{"a": "read_all", "n": 12}],
    ("inbox", "done_with"): [{"a": a, "other": ALICE_V} for a in DONE if a != "read_all"],
    ("inmail", "button"): [{"action": a} for a in ("yes", "no", "reply")],
    ("inmail", "sent"): [
        {"other": o, "balance": b} for o, b in ((BOB_V, 0), (ANON_ADDRESSED, 1), (CAROL_V, 7))
    ],
    ("inmail", "compose"): [{"other": BOB_V}, {"other": ANON_ADDRESSED}],
    ("inmail", "plan_name"): [{"plan": p} for p in PLANS],
    ("inmail", "credits"): [{"account": a} for a in (ACCOUNT, FREE_ACCOUNT, ODD_PLAN, OVER_CAP)],
    ("inmail", "how_to_get"): [{"account": a} for a in (ACCOUNT, FREE_ACCOUNT)],
    ("inmail", "no_credits"): [
        {"account": FREE_ACCOUNT, "renews_at": None},
        {"account": ACCOUNT, "renews_at": NOW + 4 * 24 * HOUR},
    ],
    ("inmail", "answered"): [{"status": s.value} for s in ANSWERS],
    ("inmail", "sender_answered"): [
        {"other": o, "subject": "Role <in> Lyon", "status": s}
        for o in (CAROL_V, ANON)
        for s in ("interested", "not_interested")
    ],
    ("message_templates", "fields"): [{}],
    ("message_templates", "listing"): [{"templates": MY_TEMPLATES}, {"templates": []}],
    ("message_templates", "use_button"): [{"name": "intro"}],
    ("message_templates", "delete_button"): [{}],
    ("message_templates", "saved"): [{"template": MY_TEMPLATES[0]}],
    ("message_templates", "how_to_send"): [{"name": "intro"}],
    ("message_templates", "how_to_use"): [{"template": t} for t in MY_TEMPLATES],
    ("message_templates", "deleted"): [{"name": "intro"}],
    ("payments", "offer_name"): [{"offer": o} for o in STAR_OFFERS],
    ("payments", "offers"): [{"offers": STAR_OFFERS}, {"offers": []}],
    ("payments", "offer_button"): [{"offer": o} for o in STAR_OFFERS],
    ("payments", "buy_button"): [{}],
    ("payments", "invoice_title"): [{"offer": o} for o in STAR_OFFERS],
    ("payments", "invoice_description"): [{"offer": o} for o in STAR_OFFERS],
    ("payments", "stars_receipt"): [
        {"charge_id": "stx1", "stars": 50, "credits": 10, "plan": None, "balance": 14},
        {"charge_id": "stx2", "stars": 300, "credits": 1, "plan": "premium_career", "balance": 1},
        {"charge_id": "stx3", "stars": 300, "credits": 0, "plan": "premium_career", "balance": 30},
    ],
    ("payments", "stars_refunded"): [
        {"charge_id": "stx1", "stars": 50, "taken": 7, "spent": 3, "plan": None, "balance": 0},
        {"charge_id": "stx2", "stars": 50, "taken": 1, "spent": 0, "plan": None, "balance": 4},
        {
            "charge_id": "stx3",
            "stars": 300,
            "taken": 0,
            "spent": 5,
            "plan": "premium_career",
            "balance": 0,
        },
    ],
    ("payments", "refund_done"): [
        {"payment": STAR_REFUNDED, "payer": ME_M},
        {"payment": STAR_REFUNDED.model_copy(update={"credits_taken_back": 10}), "payer": ME_M},
    ],
    ("inmail", "refunded"): [
        {"other": o, "subject": "Role", "answered": a, "balance": b}
        for o, a, b in ((BOB_V, True, 1), (ANON, False, 4))
    ],
    ("inmail", "conversation_button"): [{"reply": True}, {"reply": False}],
    ("invitations", "button"): [{"action": a} for a in ("accept", "decline", "reply", "withdraw")],
    ("invitations", "sent"): [
        {"target": CAROL_V, "accepted_theirs": False, "note": "Let's connect"},
        {"target": ANON_ADDRESSED, "accepted_theirs": False, "note": ""},
        {"target": ALICE_V, "accepted_theirs": True, "note": None},
        {"target": CAROL_V, "accepted_theirs": False, "note": "", "allowance": ALLOWANCES[0]},
        {"target": CAROL_V, "accepted_theirs": False, "note": "", "allowance": ALLOWANCES[2]},
    ],
    ("invitations", "left"): [{"allowance": a} for a in ALLOWANCES],
    ("invitations", "chip_words"): [{"chip": c.value} for c in ReplyChip],
    ("invitations", "chip_button"): [{"chip": c.value} for c in ReplyChip],
    ("invitations", "nothing"): [{}],
    ("invitations", "summary"): [{"received": r, "sent": s} for r, s in ((0, 1), (1, 0), (3, 2))],
    ("invitations", "received"): [
        {"item": InvitationView(invitation=INVITATION, other=CAROL_V)},
        {"item": InvitationView(invitation=SENT_INVITATION, other=ANON)},
        *[
            {"item": InvitationView(invitation=INVITATION, other=CAROL_V, reputation=r)}
            for r in Reputation
        ],
    ],
    ("invitations", "pending"): [{"item": InvitationView(invitation=SENT_INVITATION, other=BOB_V)}],
    ("invitations", "accepted"): [{"other": CAROL_V}],
    ("invitations", "declined"): [{"other": CAROL_V}],
    ("invitations", "withdrawn"): [{"other": ANON_ADDRESSED}],
    ("invitations", "reply_prompt"): [{"other": CAROL_V}],
    ("invitations", "done"): [{"result": r} for r in ("accepted", "declined", "withdrawn")],
    ("invitations", "they_accepted"): [{"other": BOB_V}],
    ("invitations", "ask_note"): [{"target": CAROL_V}, {"target": ANON}],
    ("invitations", "note_button"): [{"action": a} for a in ("send", "write")],
    ("invitations", "write_note"): [{"target": BOB_V, "limit": 300}],
    ("invitations", "write_required_note"): [{"target": t, "limit": 300} for t in (BOB_V, ANON)],
    ("invitations", "settled"): [
        *[
            {
                "item": InvitationView(invitation=INVITATION, other=CAROL_V),
                "result": r,
                "mine": False,
            }
            for r in ("accepted", "declined")
        ],
        {
            "item": InvitationView(invitation=SENT_INVITATION, other=BOB_V),
            "result": "withdrawn",
            "mine": True,
        },
    ],
    ("profile", "welcome"): [{"member": ME_M, "bot_username": "BridgeProBot"}],
    ("profile", "welcome_back"): [{"member": ME_M, "bot_username": "BridgeProBot"}],
    ("profile", "field_label"): [{"field": f} for f in PROFILE_FIELDS],
    ("profile", "edit_button"): [{"field": f} for f in PROFILE_FIELDS],
    ("profile", "field_word"): [{"field": f} for f in PROFILE_FIELDS],
    ("profile", "link"): [{"member": ME_M, "bot_username": "BridgeProBot"}],
    ("profile", "names"): [{"views": [ALICE_V]}, {"views": [ALICE_V, CAROL_V, ANON]}],
    ("profile", "handle_button"): [{}],
    ("profile", "handle_rules"): [{}],
    ("profile", "handle_now"): [{"member": ME_M}],
    ("profile", "handle_prompt"): [{"member": ME_M}],
    ("profile", "handle_set"): [{"member": ALICE_M}],
    ("search", "results"): [
        {"page": SEARCH_PAGE, "now": NOW, "first": True},
        {"page": SEARCH_PAGE.model_copy(update={"hits": []}), "now": NOW, "first": True},
        {"page": SEARCH_PAGE.model_copy(update={"hits": []}), "now": NOW, "first": False},
    ],
    ("search", "open_button"): [{"hit": h} for h in SEARCH_PAGE.hits],
    ("search", "older"): [{}],
    ("cleanup", "menu"): [{"days": 30}, {"days": 60}],
    ("cleanup", "action_button"): [
        {"action": a.value, "days": d} for a in BulkAction for d in (1, 30)
    ],
    ("cleanup", "question"): [
        {"count": BulkCount(action=a, days=d, count=n, people=min(n, 2))}
        for a in BulkAction
        for d, n in ((30, 0), (1, 1), (60, 12))
    ],
    ("cleanup", "confirm_button"): [
        {"count": BulkCount(action=a, days=30, count=3)} for a in BulkAction
    ],
    ("cleanup", "cancel_button"): [{}],
    ("cleanup", "done"): [
        {"count": BulkCount(action=a, days=30, count=n)} for a in BulkAction for n in (0, 1, 5)
    ],
    ("cleanup", "cancelled"): [{}],
    ("data", "export_caption"): [
        {
            "data": MemberExport(
                exported_at=NOW, profile={}, connections=c, conversations=[], ledger=[]
            )
        }
        for c in ([], [ALICE_V], [ALICE_V, CAROL_V])
    ],
    ("data", "export_button"): [{}],
    ("data", "confirm_delete"): [{}],
    ("data", "delete_button"): [{}],
    ("data", "keep_button"): [{}],
    ("data", "deleted"): [{"connections": n} for n in (0, 1, 12)],
    ("data", "kept"): [{}],
    ("profile", "field_prompt"): [
        {"field": "headline", "limit": 220, "current": "Data engineer"},
        {"field": "about", "limit": 2600, "current": ""},
    ],
    ("profile", "confirm_remove"): [{"target": ALICE_V}],
    ("profile", "remove_button"): [{"confirm": True}, {"confirm": False}],
    ("profile", "kept"): [{"target": ALICE_V}],
    ("profile", "card"): [
        {"card": c} for c in (CARD, ANON_CARD, SELF_CARD, NOTED_CARD, OWN_CARD, COOLING_CARD)
    ],
    ("profile", "button"): [
        {"action": a} for a in ("invite", "message", "inmail", "accept", "withdraw")
    ],
    ("profile", "result_button"): [{"view": v} for v in VIEWS],
    ("profile", "edited"): [{"field": f, "member": ME_M} for f in PROFILE_FIELDS],
    ("profile", "results"): [
        {"query": "product Paris", "results": [ALICE_V, CAROL_V, ANON]},
        {"query": "recruiter", "results": [BOB_V]},
        {"query": "recruteur", "results": [BOB_V], "offset": 10, "total": 11},
        {"query": "a", "results": [BOB_V], "offset": 990, "total": 1000, "capped": True},
        {"query": "astronaut", "results": []},
    ],
    ("profile", "degree"): [{"info": i, "target": t} for i, t in DEGREES],
    ("profile", "connections"): [
        {"views": [ALICE_V, CAROL_V], "total": 12, "offset": 10},
        {"views": [], "total": 0, "offset": 0},
    ],
    ("profile", "removed"): [{"target": ALICE_V}],
    ("profile", "blocked"): [{"handle": "bob"}],
    ("profile", "unblocked"): [{"handle": "bob"}],
    ("relay", "sent"): [
        {"other": ALICE_V, "reachable": True},
        {"other": ANON_ADDRESSED, "reachable": False},
    ],
    ("relay", "opened"): [
        {"view": CONV_VIEW, "me": ME},
        {"view": EMPTY_VIEW, "me": ME},
        {"view": PREVIEWED_VIEW, "me": ME},
    ],
    ("reminders", "when"): [{"moment": NOW}],
    ("reminders", "set"): [{"view": v} for v in REMINDERS],
    ("reminders", "listing"): [{"views": REMINDERS}, {"views": []}],
    ("reminders", "cancel_button"): [{"view": v} for v in REMINDERS],
    ("reminders", "cancelled"): [{}],
    ("reminders", "set_toast"): [{"view": v} for v in REMINDERS],
    ("reminders", "card_button"): [{}],
    ("reminders", "due"): [{"view": v} for v in REMINDERS],
    ("leads", "saved"): [{"lead": lead} for lead in LEADS],
    ("leads", "saved_toast"): [{"lead": LEADS[0]}],
    ("leads", "unsaved"): [{"other": ALICE_V}, {"other": ANON_ADDRESSED}],
    ("leads", "unsaved_toast"): [{}],
    ("leads", "unsave_button"): [{"lead": lead} for lead in LEADS],
    ("leads", "save_button"): [{}],
    ("leads", "listing"): [
        {"leads": LEADS, "chosen": None, "now": NOW},
        {"leads": LEADS[:1], "chosen": "q1-designers", "now": NOW},
        {"leads": [], "chosen": None, "now": NOW},
    ],
    ("contacts", "tag"): [{"t": t} for t in TAGS],
    ("contacts", "tag_line"): [{"tags": TAGS}, {"tags": TAGS[:1]}],
    ("contacts", "tagged"): [{"shown": c} for c in CONTACT_TAGS],
    ("contacts", "tag_list"): [
        {"counts": [TagCount(tag=TAGS[0], contacts=1), TagCount(tag=TAGS[1], contacts=12)]},
        {"counts": []},
    ],
    ("contacts", "tags_page"): [{"shown": c} for c in CONTACT_TAGS],
    ("contacts", "toggle_button"): [{"tag": TAGS[0], "on": True}, {"tag": TAGS[1], "on": False}],
    ("contacts", "profile_button"): [{}],
    ("contacts", "tags_button"): [{}],
    ("contacts", "note_button"): [{}],
    ("contacts", "note_prompt"): [
        {"n": ContactNote(contact=ALICE_V, text="Ex-Initech <b>\nCall in March")},
        {"n": ContactNote(contact=ANON_ADDRESSED, text=None)},
    ],
    ("contacts", "back_to_card"): [{}],
    ("contacts", "toggled"): [{"tag": TAGS[0], "on": True}, {"tag": TAGS[0], "on": False}],
    ("contacts", "note"): [
        {"n": ContactNote(contact=ALICE_V, text="Ex-Initech <b>\nCall in March")},
        {"n": ContactNote(contact=ANON_ADDRESSED, text=None)},
    ],
    ("contacts", "note_saved"): [
        {"n": ContactNote(contact=ALICE_V, text="x")},
        {"n": ContactNote(contact=ALICE_V, text=None)},
    ],
    ("contacts", "facts"): [
        {"v": ALICE_V, "p": PREVIEW},
        {"v": ALICE_V, "p": None},
        {"v": ANON, "p": ContactPreview(mutual=1)},
    ],
    ("contacts", "preview"): [
        {"p": PREVIEW},
        {"p": ContactPreview(mutual=2, note_line="Call back <soon>")},
    ],
    ("relay", "closed"): [{"had": True}, {"had": False}],
    ("relay", "not_relayed"): [{}],
    ("relay", "forwarded"): [{"other": CAROL_V}],
    ("relay", "not_addressed"): [{}, {"other": BOB_V}],
    ("relay", "send_to_button"): [{"other": BOB_V}, {"other": ANON}],
    ("relay", "delivered"): [{"d": d} for d in DELIVERIES],
    ("settings", "card"): [
        {"member": m}
        for m in (
            ME_M,
            QUIET_M,
            MUTED_M,
            AUTO_M,
            ME_M.model_copy(update={"private_browsing": True}),
        )
    ]
    + [{"member": ME_M, "allowance": a} for a in ALLOWANCES],
    ("settings", "auto_reply_status"): [{"member": m} for m in (ME_M, AUTO_M)],
    ("settings", "auto_reply_default"): [{}],
    ("settings", "auto_reply_button"): [{"on": True}, {"on": False}],
    ("settings", "edit_auto_reply_button"): [{}],
    ("settings", "require_note_button"): [{"required": True}, {"required": False}],
    ("settings", "auto_reply_prompt"): [{"member": m} for m in (ME_M, AUTO_M)],
    ("settings", "auto_reply_set"): [{"member": m} for m in (ME_M, AUTO_M)],
    ("settings", "require_note_set"): [{"member": m} for m in (ME_M, AUTO_M)],
    ("settings", "private_button"): [{"private": True}, {"private": False}],
    ("settings", "lang_button"): [{"code": c, "current": c == "fr"} for c in LANGUAGES],
    ("settings", "policy_button"): [
        {"policy": p.value, "current": p == InvitePolicy.EVERYONE} for p in InvitePolicy
    ],
    ("settings", "inmail_button"): [{"opted_out": True}, {"opted_out": False}],
    ("settings", "notify_button"): [
        {"mode": m, "current": m == "digest"} for m in ("instant", "digest", "muted")
    ],
    ("settings", "language_set"): [{}],
    ("settings", "undo_button"): [{"seconds": s, "current": s == 10} for s in (0, 5, 10, 30)],
    ("settings", "undo_set"): [{"seconds": s} for s in (0, 10)],
    ("relay", "sending"): [{"other": v} for v in (ALICE_V, ANON)],
    ("relay", "undo_button"): [{}],
    ("relay", "undone"): [{}],
    ("relay", "released"): [{"other": v} for v in (ALICE_V, ANON)],
    ("relay", "not_released"): [{}],
    ("cards", "caption"): [{"link": "https://t.me/bridge_bot?start=p_camille"}],
    ("cards", "scan"): [{}],
    ("cards", "handle_line"): [{"handle": "camille"}],
    ("introductions", "choose"): [{"choice": INTRO_CHOICE}],
    ("introductions", "via_button"): [{"view": v} for v in VIEWS],
    ("introductions", "note_prompt"): [{"choice": INTRO_CHOICE}],
    ("introductions", "asked"): [{"intro": INTRO}],
    ("introductions", "request"): [{"intro": INTRO}, {"intro": INTRO_NO_HEADLINE}],
    ("introductions", "answer_button"): [{"forward": True}, {"forward": False}],
    ("introductions", "answered"): [{"intro": FORWARDED}, {"intro": DECLINED}],
    ("introductions", "introduced"): [
        {"intro": FORWARDED, "me_requester": True},
        {"intro": FORWARDED, "me_requester": False},
    ],
    ("introductions", "write_button"): [{"view": v} for v in VIEWS],
    ("saved_searches", "save_button"): [{}],
    ("saved_searches", "saved"): [
        {"search": SAVED, "has_digest": True},
        {"search": SAVED, "has_digest": False},
    ],
    ("saved_searches", "listing"): [{"searches": []}, {"searches": [SAVED, SAVED]}],
    ("saved_searches", "delete_button"): [{"search": SAVED}],
    ("saved_searches", "deleted"): [{}],
    ("saved_searches", "alert"): [
        {
            "alerts": [
                SearchAlert(query="recruiter <Lyon>", members=[ALICE_V, BOB_V, ANON], more=12),
                SearchAlert(query="designer", members=[CAROL_V], more=0),
            ]
        }
    ],
    ("campaigns", "status"): [{"s": s.value} for s in CampaignStatus],
    ("campaigns", "steps"): [{"c": CAMPAIGN}, {"c": BARE_CAMPAIGN}],
    ("campaigns", "summary"): [{"s": CAMPAIGN_SUMMARY}, {"s": BARE_SUMMARY}],
    ("campaigns", "created"): [{"s": CAMPAIGN_SUMMARY}],
    ("campaigns", "listing"): [{"summaries": []}, {"summaries": [CAMPAIGN_SUMMARY]}],
    ("campaigns", "guide"): [{}],
    ("campaigns", "from_search_button"): [{}],
    ("campaigns", "ask_from_search"): [{"query": "recruteur <Lyon>"}],
    ("campaigns", "ask_from_list"): [{"name": "q1-designers"}],
    ("campaigns", "button"): [{"status": s.value} for s in CampaignStatus],
    ("campaigns", "changed"): [{"status": s.value} for s in CampaignStatus],
    ("stats", "title"): [{"days": 90}],
    ("stats", "bar"): [
        {"name": n}
        for n in (
            "invitations_sent",
            "invitations_accepted",
            "messages_received",
            "messages_answered",
            "inmails_sent",
            "inmails_answered",
        )
    ],
    ("stats", "rate"): [{"value": None}, {"value": 0.5}, {"value": 1 / 3}],
    ("stats", "wait"): [{"seconds": s} for s in (12.0, 600.0, 7200.0, 200000.0)],
    ("stats", "summary"): [{"stats": MEMBER_STATS}, {"stats": NO_STATS}],
    ("stats", "network_title"): [{"days": 30}],
    ("stats", "network_subtitle"): [{"stats": NETWORK_STATS}],
    ("stats", "network_summary"): [
        {"stats": NETWORK_STATS},
        {"stats": NETWORK_STATS.model_copy(update={"messages_per_day": []})},
    ],
    ("profile_views", "viewers"): [
        {"seen": WhoViewed(private=True, days=90, total=0, viewers=[])},
        {"seen": WhoViewed(private=False, days=90, total=0, viewers=[])},
        {
            "seen": WhoViewed(
                private=False,
                days=90,
                total=7,
                viewers=[ProfileViewer(view=v, at=NOW - HOUR) for v in (ALICE_V, BOB_V, ANON)],
            )
        },
    ],
    ("settings", "saved"): [{}],
}

CASES = [
    pytest.param(feature, macro, i, params, id=f"{feature}.{macro}[{i}]")
    for (feature, macro), variants in SAMPLES.items()
    for i, params in enumerate(variants)
]

ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}


class _TelegramHtml(HTMLParser):
    """Only the tags Telegram's HTML parse mode accepts, properly nested; `&` only as an
    entity."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED_TAGS, f"<{tag}> is not allowed by Telegram"
        if tag == "a":
            assert dict(attrs).get("href"), "<a> without href"
        else:
            assert not attrs, f"<{tag}> with attributes"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}>"
        self.stack.pop()


def assert_telegram_html(text: str) -> None:
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    assert not parser.stack, f"unclosed tags {parser.stack}"
    assert not re.search(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)", text), "bare &"


def test_every_macro_has_samples() -> None:
    defined = {(feature, macro) for feature in FEATURES for macro in _module_macros(feature)}
    assert defined == set(SAMPLES), (
        f"without samples: {sorted(defined - set(SAMPLES))}; "
        f"samples for no macro: {sorted(set(SAMPLES) - defined)}"
    )


# English words that betray an untranslated French text (user data above avoids them).
ENGLISH = re.compile(
    r"\b(the|your|you|is|are|and|with|from|sent|unread|reply|connections?|"
    r"now|here|yet|no longer|please)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize(("feature", "macro", "index", "params"), CASES)
def test_every_macro_renders_in_every_language(
    feature: str, macro: str, index: int, params: dict[str, Any]
) -> None:
    texts = {}
    for lang in LANGUAGES:
        text = renderer.text(lang, feature, macro, **params)
        texts[lang] = text
        assert "None" not in text and "Undefined" not in text, text
        assert_telegram_html(text)
        assert "\n\n\n" not in text, "stray blank lines"
        assert text == text.strip()
    if feature == "common" and macro == "kind" and params["attachment"] is None:
        assert set(texts.values()) == {""}
        return
    for lang, text in texts.items():
        assert text, f"{feature}.{macro} renders nothing in {lang}"
        if lang != "en":
            words = re.sub(r"<[^>]+>|[/@][\w|]+|\[[^\]]*\]|https?://\S+", " ", text)
            assert not ENGLISH.search(words), (lang, text)


# --- (b) every typed error of the core has its own text ------------------------------------
def _all_errors() -> list[type[errors.BridgeError]]:
    found, todo = [], [errors.BridgeError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


LATER = NOW + 4 * 24 * HOUR
# How the core raises each error (`grep -rn "raise errors." bridge/core`); errors with a typed
# __init__ are built through it, so a changed signature breaks this table, not production.
RAISED_WITH: dict[str, list[dict[str, Any]]] = {
    "member_not_found": [{"handle": "alice_martin"}, {"handle": "1042"}],
    "unknown_profile_field": [
        {"field": "hobbies", "fields": ["headline", "company", "location", "industry", "about"]}
    ],
    "profile_field_too_long": [{"field": "headline", "limit": 220, "length": 251}],
    "invalid_handle": [{"handle": "al ice!"}],
    "invalid_setting": [
        {"setting": "language", "value": "de", "choices": ["en", "fr"]},
        {"setting": "notify", "value": "loud", "choices": ["instant", "digest", "mute"]},
        {"setting": "invite_policy", "value": "nobody", "choices": ["everyone", "second_degree"]},
    ],
    "note_too_long": [{"limit": 300, "length": 412}],
    "introduction_note_too_long": [{"limit": 300, "length": 412}],
    "search_already_saved": [{"query": "recruiter <Paris>"}],
    "too_many_saved_searches": [{"limit": 10}],
    "needs_prospecting_plan": [{"plans": ["sales_navigator", "recruiter_lite"]}],
    "campaign_spec_invalid": [{"line": "colour: <blue>"}],
    "reinvite_too_soon": [{"until": LATER}],
    "invitation_limit_reached": [{"limit": 100, "next_at": LATER}],
    "own_invitation": [{"handle": "bob"}],
    "invitation_not_pending": [
        {"status": s.value} for s in InvitationStatus if s != InvitationStatus.PENDING
    ],
    "not_connected": [{"ways": w} for w in ([], ["invite"], ["inmail"], ["invite", "inmail"])],
    "inmail_thread_closed": [
        {"status": s.value} for s in (InMailStatus.SENT, InMailStatus.NOT_INTERESTED)
    ],
    "message_too_long": [{"limit": 4000, "length": 4100}],
    "no_credits": [{"renews_at": LATER, "allowance": 5}, {"renews_at": None, "allowance": 0}],
    "subject_too_long": [{"limit": 200, "length": 230}],
    "inmail_already_answered": [
        {"status": s.value} for s in InMailStatus if s != InMailStatus.SENT
    ],
    "unknown_plan": [{"plan": "gold", "plans": ["free", "premium_career", "sales_navigator"]}],
    "invalid_amount": [{"min": 1, "max": 1000}],
    "offer_changed": [{"stars": 60}],
    "invalid_template_name": [{"name": "two <words>"}],
    "template_not_found": [{"name": "intro"}],
    "template_field_refused": [
        {"field": "first_name.__class__", "fields": ["first_name", "my_company"]}
    ],
    "template_unreadable": [{"line": 2}],
    "template_field_hidden": [{"field": "company"}],
    "template_too_long": [{"name": "intro", "length": 312, "limit": 300}],
    "too_many_templates": [{"limit": 50}],
    "unknown_charge": [{"charge_id": "stx<b>"}],
    "already_refunded": [{"charge_id": "stx1", "at": LATER}],
    "invalid_time": [{"value": "25:99"}],
    "invalid_timezone": [{"value": "Mars/Olympus"}],
    "query_too_long": [{"limit": 200, "length": 100_000}],
    "empty_query": [{}, {"command": "search"}],
    "invalid_days": [{"value": 0, "min": 1, "max": 3650}, {"value": "soon", "min": 1, "max": 3650}],
    "handle_length": [{"handle": "ab", "min": 3, "max": 32}],
    "handle_characters": [{"handle": "a-b"}],
    "handle_reserved": [{"handle": "admin"}],
    "handle_taken": [{"handle": "alice"}],
    "invalid_tag": [{"tag": "not!a-tag", "limit": 32}],
    "invalid_inbox_filter": [{"word": "everything"}],
    "unknown_tag": [{"tag": "nobody"}],
    "invalid_delay": [{"value": "soon", "max_days": 365}],
    "reminder_text_too_long": [{"limit": 200, "length": 250}],
    "invalid_lead_list": [{"name": "two words!", "limit": 32}],
    "lead_list_empty": [{"name": "q1-designers"}],
    "tag_not_on_contact": [{"tag": "vip"}],
    "contact_note_too_long": [{"limit": 1000, "length": 1001}],
}
# NotAdmin is answered as an unknown command (failures.py): admin commands stay invisible.
ANSWERED_ELSEWHERE = {errors.NotAdmin}
FALLBACK = {"en": "That didn't work", "fr": "Cela n'a pas fonctionné"}

ERROR_CASES = [
    pytest.param(cls, params, id=f"{cls.code}[{i}]")
    for cls in _all_errors()
    if cls not in ANSWERED_ELSEWHERE
    for i, params in enumerate(RAISED_WITH.get(cls.code, [{}]))
]


def test_error_samples_match_the_core() -> None:
    codes = {cls.code for cls in _all_errors()}
    assert set(RAISED_WITH) <= codes, set(RAISED_WITH) - codes
    assert len(codes) == len(_all_errors()), "two errors share a code"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_fallback_is_what_we_think(lang: str) -> None:
    text = renderer.text(lang, "errors", "error", code="no_such_code", p={})
    assert FALLBACK[lang] in text and "no_such_code" in text


@pytest.mark.parametrize(("cls", "params"), ERROR_CASES)
def test_every_core_error_has_its_own_text(
    cls: type[errors.BridgeError], params: dict[str, Any]
) -> None:
    try:  # typed errors: built through their own signature, as the core builds them
        raised = cls(**params)
    except TypeError:
        pytest.fail(f"{cls.__name__} is not raised with {sorted(params)}")
    texts = {
        lang: renderer.text(lang, "errors", "error", code=cls.code, p=raised.params)
        for lang in LANGUAGES
    }
    for lang, text in texts.items():
        assert FALLBACK["en"] not in text and FALLBACK["fr"] not in text, (lang, text)
        assert cls.code not in text, (lang, text)
        assert_telegram_html(text)
        assert "None" not in text
    assert len(set(texts.values())) == len(texts), texts


def test_error_branches_name_real_codes() -> None:
    """A branch for a code nobody raises is a typo or a leftover."""
    codes = {cls.code for cls in _all_errors()}
    branches = {
        c.ops[0].expr.value
        for c in _parse("errors").find_all(nodes.Compare)
        if isinstance(c.expr, nodes.Name) and c.expr.name == "code"
    }
    assert branches <= codes, branches - codes


# --- dates and times: Babel, in the reader's language and time zone --------------------------
WHEN = [
    ("en", None, "Nov 23, 2026, 9:30\u202fAM UTC"),
    ("fr", None, "23 nov. 2026, 09:30 UTC"),
    ("en", "Europe/Paris", "Nov 23, 2026, 10:30\u202fAM Europe/Paris"),
    ("fr", "Europe/Paris", "23 nov. 2026, 10:30 Europe/Paris"),
    ("fr", "America/New_York", "23 nov. 2026, 04:30 America/New_York"),
    ("en", "Asia/Tokyo", "Nov 23, 2026, 6:30\u202fPM Asia/Tokyo"),
]


@pytest.mark.parametrize(("lang", "zone", "expected"), WHEN)
def test_dates_show_in_the_readers_zone_and_language(
    lang: str, zone: str | None, expected: str
) -> None:
    assert renderer.text(lang, "errors", "when", moment=NOW, zone=zone) == expected


def test_the_zone_moves_the_day_too() -> None:
    """A ledger line dated 23:30 UTC is already the next day in Tokyo."""
    late = ACCOUNT.model_copy(
        update={
            "entries": [
                ACCOUNT.entries[0].model_copy(
                    update={"created_at": datetime(2026, 11, 23, 23, 30, tzinfo=UTC)}
                )
            ]
        }
    )
    assert "Nov 23, 2026 → 5" in renderer.text("en", "inmail", "credits", account=late)
    tokyo = renderer.text("fr", "inmail", "credits", account=late, zone="Asia/Tokyo")
    assert "24 nov. 2026 → 5" in tokyo


def test_a_zone_babel_does_not_know_reads_as_utc() -> None:
    assert renderer.text("en", "errors", "when", moment=NOW, zone="Mars/Olympus") == WHEN[0][2]


def test_the_zone_is_the_one_text_s_only() -> None:
    """Rendering for a Tokyo member leaves the next text (no zone given) in UTC."""
    renderer.text("en", "errors", "when", moment=NOW, zone="Asia/Tokyo")
    assert renderer.text("en", "errors", "when", moment=NOW) == WHEN[0][2]


# --- (c) user content is escaped -------------------------------------------------------------
HOSTILE = view(
    BOB,
    "<b>Bob</b> & Co",
    Degree.FIRST,
    handle="bob_co",
    headline="<i>CEO</i> & founder",
    company="<a href='x'>Evil</a>",
)
ESCAPED = "&lt;b&gt;Bob&lt;/b&gt; &amp; Co"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_user_content_is_escaped(lang: str) -> None:
    relayed = renderer.text(
        lang,
        "relay",
        "delivered",
        d=delivery(HOSTILE, message(70, 11, BOB, "<script>alert(1)</script> & <b>x</b>")),
    )
    card = renderer.text(
        lang,
        "profile",
        "card",
        card=ProfileCard(
            view=HOSTILE, about="<u>about</u>", connections=2, mutual=[HOSTILE], actions=[]
        ),
    )
    inmail = renderer.text(
        lang,
        "relay",
        "delivered",
        d=delivery(
            HOSTILE, message(71, 13, BOB, "body", kind=MessageKind.INMAIL, subject="<s>deal</s>")
        ),
    )
    for text in (relayed, card, inmail):
        assert ESCAPED in text
        assert "<b>Bob</b>" not in text
        assert "&lt;i&gt;CEO&lt;/i&gt; &amp; founder" in text
        assert "<a href" not in text
        assert_telegram_html(text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in relayed
    assert "&lt;u&gt;about&lt;/u&gt;" in card
    assert "&lt;s&gt;deal&lt;/s&gt;" in inmail
    found = renderer.text(lang, "profile", "results", query="<b>q</b>", results=[HOSTILE])
    assert "&lt;b&gt;q&lt;/b&gt;" in found and ESCAPED in found


# --- (d) badges, names, plurals --------------------------------------------------------------
BADGES = {
    "en": ["You", "1st", "2nd", "3rd", "Out of network"],
    "fr": ["Vous", "1er", "2e", "3e", "Hors réseau"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_badges(lang: str) -> None:
    assert [renderer.badge(lang, d) for d in Degree] == BADGES[lang]
    assert renderer.text(lang, "common", "badge", degree=int(Degree.OUT)) == BADGES[lang][-1]


def test_anonymous_label() -> None:
    assert renderer.text("en", "common", "name", v=ANON) == "Member"
    assert renderer.text("fr", "common", "name", v=ANON) == "Membre"
    assert renderer.text("fr", "common", "name", v=ANON_ADDRESSED) == "@dan"


def test_french_plurals_keep_zero_and_one_singular() -> None:
    def has(text: str, words: str) -> bool:
        return re.search(rf"(?<![\w>]){re.escape(words)}(?!\w)", text) is not None

    def fr(feature: str, name: str, **params: Any) -> str:
        return renderer.text("fr", feature, name, **params)

    for balance, words in ((0, "0 crédit"), (1, "1 crédit"), (2, "2 crédits")):
        assert has(fr("inmail", "sent", other=CAROL_V, balance=balance), words)
    assert has(renderer.text("en", "inmail", "sent", other=CAROL_V, balance=0), "0 credits")
    for card, words in (
        (SELF_CARD, "0 relation"),
        (ANON_CARD, "1 relation"),
        (CARD, "42 relations"),
    ):
        assert has(fr("profile", "card", card=card), words)
    one = fr("inbox", "page", page=page(InboxFilter.ALL, [], 1, 1), now=NOW, first=True)
    assert has(one, "message non lu") and has(one, "personne")
    none = fr("digest", "digest", d=digest([], 0, 0, 0, 0), now=NOW, first=True)
    assert has(none, "message non lu") and has(none, "0 invitation") and has(none, "0 InMail")
    many = fr("digest", "digest", d=digest([], 5, 2, 3, 2), now=NOW, first=True)
    assert has(many, "messages non lus") and has(many, "personnes")
    assert has(many, "3 invitations") and has(many, "2 InMails")
    assert has(fr("invitations", "summary", received=0, sent=2), "envoyées")
    assert has(fr("admin", "granted", member=ME_M, amount=1), "+1 crédit InMail")


def test_english_plurals_by_gettext() -> None:
    assert "+1 InMail credit for" in renderer.text("en", "admin", "granted", member=ME_M, amount=1)
    assert "+2 InMail credits for" in renderer.text("en", "admin", "granted", member=ME_M, amount=2)
    assert "1 connection" in renderer.text("en", "profile", "card", card=ANON_CARD)
    assert "0 connections" in renderer.text("en", "profile", "card", card=SELF_CARD)


ELISIONS = [
    ("Alice Martin", "d'"),
    ("Élodie Roy", "d'"),
    ("Hugo Petit", "d'"),
    ("Yves Morel", "d'"),
    ("Bob D.", "de "),
    ("Yann Le Goff", "de "),
    ("@chloe", "de "),
]


@pytest.mark.parametrize(("name", "de"), ELISIONS)
def test_french_elides_de_before_a_vowel_or_mute_h(name: str, de: str) -> None:
    """The catalog writes "Invitation de %(name)s"; the reader sees "d'Alice", "de Bob"."""
    other = view(CAROL, name, Degree.SECOND, handle="x")
    assert (
        renderer.text("fr", "invitations", "declined", other=other)
        == f"✖️ Invitation {de}{name} refusée. Cette personne n'en sera pas informée."
    )
    received = renderer.text(
        "fr", "invitations", "received", item=InvitationView(invitation=INVITATION, other=other)
    )
    assert received.startswith(f"🤝 <b>Invitation</b> {de}<b>{name}</b> · 2e")
    assert renderer.text("en", "invitations", "declined", other=other).startswith(
        f"✖️ Invitation from {name} declined."
    )


def test_elision_never_touches_what_members_wrote() -> None:
    """Only the catalog's own "de %(...)s" elides: a note saying "de Alice" stays as written,
    and a name is escaped, never taken as markup, whatever the elision."""
    note = INVITATION.model_copy(update={"note": "Le contact de Alice, de Hugo"})
    received = renderer.text(
        "fr", "invitations", "received", item=InvitationView(invitation=note, other=ALICE_V)
    )
    assert "« Le contact de Alice, de Hugo »" in received
    hostile = view(BOB, "<i>Ana</i>", Degree.FIRST)
    assert "Invitation de &lt;i&gt;Ana&lt;/i&gt; refusée" in renderer.text(
        "fr", "invitations", "declined", other=hostile
    )


@pytest.mark.parametrize(("code", "name"), [("en", "English"), ("fr", "Français")])
def test_languages_are_named_in_their_own_words(code: str, name: str) -> None:
    for lang in LANGUAGES:
        assert renderer.text(lang, "settings", "lang_button", code=code, current=False) == name


# --- (e) the command menu fits Telegram -------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_command_descriptions_fit_telegram(lang: str) -> None:
    assert HELP_NAMES
    for name in HELP_NAMES:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name), name
        description = renderer.text(lang, "help", "description", name=name)
        assert 1 <= len(html.unescape(description)) <= 256, (lang, name, description)
        assert "<" not in description


# Texts Telegram shows as plain text (setMyCommands, callback answers): an escaped apostrophe
# would show as "&#39;". English has such texts (see the xfail below); French uses ’ there.
PLAIN_TEXTS = [("help", "description", {"name": n}) for n in HELP_NAMES] + [
    ("admin", "reviewed", {}),
    ("common", "stale_button", {}),
    ("settings", "saved", {}),
    *[("inbox", "done", {"a": a, "n": 1}) for a in DONE],
    *[("inmail", "answered", {"status": s.value}) for s in ANSWERS],
    *[("invitations", "done", {"result": r}) for r in ("accepted", "declined", "withdrawn")],
]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_plain_texts_have_no_markup(lang: str) -> None:
    """Texts shown as plain text (alerts, toasts, the command menu) go through
    `html.unescape` in the handlers; what remains must hold no tag and fit an alert."""
    bad = []
    for feature, name, params in PLAIN_TEXTS:
        text = html.unescape(renderer.text(lang, feature, name, **params))
        if "<" in text or "&#" in text or len(text) > 200:
            bad.append((feature, name, params, text))
    assert not bad, bad


def test_french_descriptions_are_translated() -> None:
    same = [
        n
        for n in HELP_NAMES
        if renderer.text("en", "help", "description", name=n)
        == renderer.text("fr", "help", "description", name=n)
    ]
    assert not same, same
