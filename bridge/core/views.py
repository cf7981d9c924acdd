"""How one member sees another: names masked by degree, as LinkedIn does."""

from __future__ import annotations

from bridge.core.models import Degree, Member, MemberView

ANONYMOUS_NAME = "Member"  # the front end localizes it when `named` is False


def masked_name(member: Member, degree: Degree, reveal: bool = False) -> tuple[str, bool]:
    """Full name for self, 1st and 2nd; first name and last initial for 3rd; none beyond.

    ``reveal``: the member contacted the viewer (invitation, InMail, message), and whoever
    writes to someone shows who they are, as on LinkedIn.
    """
    if degree <= Degree.SECOND or reveal:
        return member.full_name, True
    if degree == Degree.THIRD:
        initial = f" {member.last_name[0]}." if member.last_name else ""
        return f"{member.first_name}{initial}", True
    return ANONYMOUS_NAME, False


def member_view(member: Member, degree: Degree, reveal: bool = False) -> MemberView:
    name, named = masked_name(member, degree, reveal)
    return MemberView(
        id=member.id,
        handle=member.handle if named else None,
        name=name,
        headline=member.headline,
        company=member.company if named else "",
        location=member.location if named else "",
        industry=member.industry if named else "",
        degree=degree,
        named=named,
    )
