"""Typed buttons: every kind packs within Telegram's 64 bytes and parses back to itself, and
anything unknown, malformed or forged parses to None (answered "no longer valid")."""

from __future__ import annotations

from enum import Enum

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bridge.core.inbox import CardAction
from bridge.core.models import InboxFilter, InvitePolicy
from bridge.handlers.buttons import (
    MAX_BYTES,
    AcceptInvitation,
    ActOnConversation,
    Button,
    DeclineInvitation,
    DigestInvitations,
    FindPage,
    InboxPage,
    SendHeld,
    SetInMailOptOut,
    SetInvitePolicy,
)

WORD = st.from_regex(r"[A-Za-z0-9._-]{0,40}", fullmatch=True)
KINDS = sorted(Button.kinds().values(), key=lambda kind: kind.prefix)


def _values(kind: type[Button]) -> st.SearchStrategy[Button]:
    """Any valid button of this kind: every field over its whole range."""
    fields = {}
    for name, info in kind.model_fields.items():
        annotation = info.annotation
        if annotation is bool:
            fields[name] = st.booleans()
        elif annotation is int:
            fields[name] = st.integers(0, 2**53 - 1)
        elif isinstance(annotation, type) and issubclass(annotation, Enum):
            fields[name] = st.sampled_from(list(annotation))
        else:
            fields[name] = WORD
    return st.fixed_dictionaries(fields).map(lambda values: kind(**values))


@given(st.sampled_from(KINDS).flatmap(_values))
def test_every_kind_of_button_fits_and_round_trips(button: Button) -> None:
    data = button.pack()
    assert len(data.encode()) <= MAX_BYTES
    assert Button.parse(data) == button
    assert type(button).parse(data) == button


def test_the_longest_button_of_every_kind_still_fits() -> None:
    """No button can fail to pack at run time: the largest values of every field fit."""
    for kind in KINDS:
        largest = {}
        for name, info in kind.model_fields.items():
            annotation = info.annotation
            if annotation is bool:
                largest[name] = True
            elif annotation is int:
                largest[name] = 2**53 - 1
            elif isinstance(annotation, type) and issubclass(annotation, Enum):
                largest[name] = max(annotation, key=lambda e: len(str(e.value)))
            else:
                largest[name] = "x" * 40
        assert len(kind(**largest).pack().encode()) <= MAX_BYTES, kind.__name__


def test_buttons_pack_short_and_typed() -> None:
    assert AcceptInvitation(invitation_id=42).pack() == "ia:2a"
    assert SetInMailOptOut(opted_out=True).pack() == "so:1"
    assert SetInvitePolicy(policy=InvitePolicy.SECOND_DEGREE).pack() == "sp:second_degree"
    assert InboxPage(filter=InboxFilter.UNREAD).pack() == "ip:unread:"
    assert (
        ActOnConversation(
            action=CardAction.NOT_SPAM, conversation_id=255, filter=InboxFilter.ALL
        ).pack()
        == "ca:not_spam:ff:all"
    )
    assert DigestInvitations().pack() == "il"
    # Data an older version packed keeps working where the shape is unchanged.
    assert Button.parse("hs:1") == SendHeld(held_id=1)


def test_each_class_parses_only_its_own_kind() -> None:
    assert Button.parse("id:7") == DeclineInvitation(invitation_id=7)
    assert AcceptInvitation.parse("id:7") is None
    assert DeclineInvitation.parse("id:7") == DeclineInvitation(invitation_id=7)


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        7,
        "zz:1",
        "ia",
        "ia:",
        "ia:-1",
        "ia:xyz",
        "ia:1:<script>",
        "ia:1:2",
        "ia:" + "f" * 20,
        "ia:20000000000000",
        "ia:0x1",
        "ia: 1",
        "ia:1_0",
        "ia:A",
        "💥:1",
        "ip:nope:",
        "ip:all",
        "ip:all:a:b",
        "ip:all:<b>",
        "so:2",
        "so:",
        "sl:en:x",
        "ca:archive:1",
        "ca:explode:1:all",
        "fg:1:10:0",
        "il:0",
        "sp:nobody",
        "a" * 65,
        "ip:all:" + "a" * 41,
    ],
)
def test_forged_or_malformed_data_parses_to_none(forged: object) -> None:
    assert Button.parse(forged) is None


def test_a_button_is_checked_when_built_and_when_packed() -> None:
    with pytest.raises(ValidationError):
        InboxPage(filter=InboxFilter.ALL, cursor="a:b")  # would split into another field
    with pytest.raises(ValidationError):
        AcceptInvitation(invitation_id=-1)
    with pytest.raises(ValidationError):
        FindPage(search_id=1, offset=2**53)

    class TooLong(Button, prefix="zq"):
        first: str
        second: str

    try:
        with pytest.raises(ValueError, match="too long"):
            TooLong(first="a" * 40, second="b" * 40).pack()
    finally:
        del Button._kinds["zq"]


def test_a_prefix_names_one_kind_only() -> None:
    with pytest.raises(TypeError, match="taken"):

        class Again(Button, prefix="ia"):
            invitation_id: int

    with pytest.raises(TypeError, match="prefix"):

        class Unnamed(Button):
            pass


def test_a_smart_inbox_page_carries_conditions_and_cursor_in_one_word() -> None:
    from bridge.core.models import InboxFilter
    from bridge.handlers.buttons import SmartInboxPage

    cursor = "-" + "f" * 13 + "." + "f" * 9  # a cursor to conversation 68 billion
    button = SmartInboxPage.of(InboxFilter.INVITATIONS, "a.d3.tfffffff.f.se42", cursor)
    parsed = Button.parse(button.pack())
    assert isinstance(parsed, SmartInboxPage)
    assert (parsed.smart, parsed.cursor) == ("a.d3.tfffffff.f.se42", cursor)
    assert SmartInboxPage.of(InboxFilter.ALL, "a").cursor == ""
