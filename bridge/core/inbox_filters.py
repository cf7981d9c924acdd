"""What each inbox filter shows, stated once in the core: the storage builds its queries from
these rules (`bridge.storage.sql.inbox`), and tests hold the queries to `shows`.

A page's header counts the unread messages and people among the conversations its filter
shows — never the whole inbox's — so "Archived" never claims unread messages above a page of
read conversations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bridge.core import errors
from bridge.core.models import ConversationState, Degree, InboxFilter, Mailbox, SmartFilter


@dataclass(frozen=True)
class FilterRule:
    """Conditions on a member's side of a conversation; None means either way."""

    spam: bool | None = False  # reported as spam by the member
    archived: bool | None = None
    unread: bool | None = None  # something from the other side not read yet
    inmail: bool | None = None  # the member received an InMail in it
    invitation_to_me: bool | None = None  # a pending invitation the member received
    mailbox: Mailbox | None = Mailbox.MAIN  # the sales mailbox has a filter of its own
    # A message the member can see (deleting "for me" hides what came before). An
    # invitation sent without a note has none, and still waits for an answer.
    needs_message: bool = True


RULES: dict[InboxFilter, FilterRule] = {
    InboxFilter.ALL: FilterRule(archived=False),  # archived and spam are not in "all"
    InboxFilter.UNREAD: FilterRule(unread=True),  # archived or not
    # Archive, spam and invitations waiting are one place whichever mailbox a conversation
    # was in: archiving or reporting one from the sales mailbox must not lose it.
    InboxFilter.ARCHIVED: FilterRule(archived=True, mailbox=None),
    InboxFilter.INMAIL: FilterRule(inmail=True),
    InboxFilter.SPAM: FilterRule(spam=True, mailbox=None),
    InboxFilter.INVITATIONS: FilterRule(invitation_to_me=True, needs_message=False, mailbox=None),
    InboxFilter.SALES: FilterRule(archived=False, mailbox=Mailbox.SALES),
}


def header_rule(filter: InboxFilter) -> FilterRule:
    """What a page's header counts: the filter's conversations that have something unread."""
    rule = RULES[filter]
    return FilterRule(
        spam=rule.spam,
        archived=rule.archived,
        unread=True,
        inmail=rule.inmail,
        invitation_to_me=rule.invitation_to_me,
        needs_message=rule.needs_message,
        mailbox=rule.mailbox,
    )


def shows(
    filter: InboxFilter,
    state: ConversationState,
    *,
    has_visible_message: bool,
    invitation_to_me: bool,
) -> bool:
    """Whether the filter lists this conversation (the reference the SQL is tested against)."""
    rule = RULES[filter]
    facts = {
        "spam": state.spam,
        "archived": state.archived,
        "unread": state.unread_count > 0,
        "inmail": state.inmail,
        "invitation_to_me": invitation_to_me,
        "mailbox": state.mailbox,
    }
    if rule.needs_message and not has_visible_message:
        return False
    return all(getattr(rule, name) in (None, value) for name, value in facts.items())


# --- smart filters: conditions added to a filter, all of which must hold -------------------
WAITING_DAYS = 3  # `waiting` alone: my message unanswered for 3 days
MAX_DAYS = 3650
_DAYS = re.compile(r"^(\d{1,4})d$")
_SINCE = re.compile(r"^since:(\d{1,4})d$")
DEGREE_WORDS = {"1st": Degree.FIRST, "2nd": Degree.SECOND, "3rd": Degree.THIRD}


def _days(text: str, word: str) -> int:
    days = int(text)
    if not 1 <= days <= MAX_DAYS:
        raise errors.InvalidInboxFilter(word=word)
    return days


def parse_query(words: list[str]) -> tuple[InboxFilter, SmartFilter, str | None]:
    """``["awaiting", "#candidate"]`` → (ALL, awaiting, "candidate"): the one filter named
    (all by default), the smart conditions, and the tag's name (resolved by the inbox, the
    tags being the member's). Unknown words, or one said twice, are an error."""
    base: InboxFilter | None = None
    smart: dict[str, object] = {}
    tag: str | None = None

    def put(key: str, value: object, word: str) -> None:
        if key in smart:
            raise errors.InvalidInboxFilter(word=word)
        smart[key] = value

    for position, raw in enumerate(words):
        word = raw.lower()
        if word in InboxFilter.__members__.values():
            if base is not None:
                raise errors.InvalidInboxFilter(word=raw)
            base = InboxFilter(word)
        elif word == "awaiting":
            put("awaiting", True, raw)
        elif word == "waiting":
            put("waiting_days", WAITING_DAYS, raw)
        elif (days := _DAYS.match(word)) and position and words[position - 1].lower() == "waiting":
            smart["waiting_days"] = _days(days.group(1), raw)
        elif word in DEGREE_WORDS:
            put("degree", DEGREE_WORDS[word], raw)
        elif word == "files":
            put("files", True, raw)
        elif since := _SINCE.match(word):
            put("since_days", _days(since.group(1), raw), raw)
        elif word.startswith("#") and len(word) > 1 and tag is None:
            tag = word[1:]
        else:
            raise errors.InvalidInboxFilter(word=raw)
    if smart.get("awaiting") and "waiting_days" in smart:  # one of us owes, not both
        raise errors.InvalidInboxFilter(word="waiting")
    return base or InboxFilter.ALL, SmartFilter.model_validate(smart), tag


def encode_smart(smart: SmartFilter) -> str:
    """A short word for callback data: ``a.w5.d2.t1f.f.s7`` (the tag by id, in hex)."""
    parts = []
    if smart.awaiting:
        parts.append("a")
    if smart.waiting_days is not None:
        parts.append(f"w{smart.waiting_days:x}")
    if smart.degree is not None:
        parts.append(f"d{int(smart.degree)}")
    if smart.tag is not None:
        parts.append(f"t{smart.tag.id:x}")
    if smart.files:
        parts.append("f")
    if smart.since_days is not None:
        parts.append(f"s{smart.since_days:x}")
    return ".".join(parts)


def decode_smart(word: str) -> tuple[dict[str, object], int | None]:
    """The conditions a callback's word claims, and the tag id it names (the inbox checks
    that tag is the member's). Anything malformed is ValueError."""
    found: dict[str, object] = {}
    tag_id: int | None = None
    for part in word.split(".") if word else []:
        kind, value = part[:1], part[1:]
        if kind == "a" and not value:
            found["awaiting"] = True
        elif kind == "f" and not value:
            found["files"] = True
        elif kind in ("w", "s") and value:
            days = int(value, 16)
            if not 1 <= days <= MAX_DAYS:  # a forged button: not a condition we would write
                raise ValueError(f"days out of range: {word!r}")
            found["waiting_days" if kind == "w" else "since_days"] = days
        elif kind == "d" and value in ("1", "2", "3"):
            found["degree"] = Degree(int(value))
        elif kind == "t" and value:
            tag_id = int(value, 16)
            if tag_id >= 2**53:  # no row id is that large (and the database's ints end)
                raise ValueError(f"not a tag id: {word!r}")
        else:
            raise ValueError(f"not a smart filter: {word!r}")
    return found, tag_id


@dataclass(frozen=True)
class Refinement:
    """A smart filter as the storage applies it: times computed from the clock, degrees
    as id sets from the graph index, the tag by id."""

    awaiting: bool = False
    waiting_before: datetime | None = None  # my last message created before this
    since: datetime | None = None  # last activity at or after this
    tag_id: int | None = None
    files: bool = False
    degree: Degree | None = None
    first: tuple[int, ...] = ()  # the member's connections (any degree filter)
    second: tuple[int, ...] = ()  # their 2nd-degree contacts (the 3rd-degree filter)


def refinement(
    smart: SmartFilter, now: datetime, first: tuple[int, ...], second: tuple[int, ...]
) -> Refinement:
    return Refinement(
        awaiting=smart.awaiting,
        waiting_before=(
            now - timedelta(days=smart.waiting_days) if smart.waiting_days is not None else None
        ),
        since=now - timedelta(days=smart.since_days) if smart.since_days is not None else None,
        tag_id=smart.tag.id if smart.tag is not None else None,
        files=smart.files,
        degree=smart.degree,
        first=first,
        second=second,
    )


# The conditions an inbox page toggles in one tap. Who owes the next message is one or the
# other: turning one on turns the other off.
QUICK = ("awaiting", "waiting")


def quick_on(smart: SmartFilter, condition: str) -> bool:
    return smart.awaiting if condition == "awaiting" else smart.waiting_days is not None


def toggle_quick(smart: SmartFilter, condition: str) -> SmartFilter:
    """`smart` with a quick condition turned on (off if it was on); `waiting` by default
    days."""
    on = not quick_on(smart, condition)
    if condition == "awaiting":
        return smart.model_copy(update={"awaiting": on, "waiting_days": None})
    return smart.model_copy(
        update={"waiting_days": WAITING_DAYS if on else None, "awaiting": False}
    )
