"""How one member appears to another: the one function that decides, as LinkedIn does.

Every name, handle, company or location the bot shows of someone comes from `seen_member`
(through `member_view`, `Network.view`, `Network.views` or the use case that knows whether
the member reached out), and templates only ever get its `MemberView` or, on inbox and
digest lines, its lean `SeenMember`, so masking cannot be bypassed.

- yourself, 1st and 2nd degree, and anyone who contacted you (an invitation, an InMail, a
  message — whoever writes to someone shows who they are): everything;
- 3rd degree: first name and last initial, headline and industry; no company, location or
  handle (a handle is usually made from the full name, so it would give the name away);
- out of network: an anonymous "Member" and the headline only.

A handle the viewer typed themself (``/invite @x``) may be echoed back: it tells them nothing
they did not already know. The name stays masked all the same.
"""

from __future__ import annotations

from typing import Protocol

from bridge.core.models import Degree, MemberView, SeenMember

ANONYMOUS_NAME = "Member"  # the front end localizes it when `named` is False


class Shown(Protocol):
    """What masking reads of a member: a full `Member`, or an inbox line's `LineMember`."""

    @property
    def id(self) -> int: ...
    @property
    def handle(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def last_name(self) -> str: ...
    @property
    def full_name(self) -> str: ...
    @property
    def headline(self) -> str: ...
    @property
    def company(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def industry(self) -> str: ...
    @property
    def left_at(self) -> object: ...


def masked_name(member: Shown, degree: Degree, contacted: bool = False) -> tuple[str, bool]:
    """Full name for self, 1st, 2nd and contacts; first name and last initial for 3rd; none
    beyond. Returns the name and whether it names the member at all."""
    if degree <= Degree.SECOND or contacted:
        return member.full_name, True
    if degree == Degree.THIRD:
        initial = f" {member.last_name[0]}." if member.last_name else ""
        return f"{member.first_name}{initial}", True
    return ANONYMOUS_NAME, False


def seen_member(
    member: Shown, degree: Degree, *, contacted: bool = False, typed_handle: bool = False
) -> SeenMember:
    """`member` as seen by a viewer at `degree` from them.

    ``contacted``: the member contacted the viewer (see the module docstring).
    ``typed_handle``: the viewer addressed them by their @handle."""
    if member.left_at is not None:  # erased: nothing of them is left to show
        return SeenMember(
            id=member.id,
            handle=None,
            name=ANONYMOUS_NAME,
            headline="",
            company="",
            location="",
            industry="",
            degree=Degree.OUT,
            named=False,
            former=True,
        )
    name, named = masked_name(member, degree, contacted)
    full = degree <= Degree.SECOND or contacted
    return SeenMember(
        id=member.id,
        handle=member.handle if full or typed_handle else None,
        name=name,
        headline=member.headline,
        company=member.company if full else "",
        location=member.location if full else "",
        industry=member.industry if named else "",
        degree=degree,
        named=named,
    )


def member_view(
    member: Shown, degree: Degree, *, contacted: bool = False, typed_handle: bool = False
) -> MemberView:
    """`seen_member` as the full model the rest of the bot passes around."""
    seen = seen_member(member, degree, contacted=contacted, typed_handle=typed_handle)
    return MemberView(**seen._asdict())
