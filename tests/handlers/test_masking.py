"""No template can show more of a member than their degree allows.

Every macro is rendered, in both languages, with every member in its samples replaced by one
real member as a 3rd-degree and as an out-of-network viewer sees them — through the core's
one function, `member_view` — and the texts must hold no full name, company, location or
handle made from the name. A template reaching past the view (a raw `Member`'s fields) would
be caught too: raw members are replaced by the same member."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from bridge.core.models import Degree, Member, MemberView
from bridge.core.views import member_view
from bridge.runtime.render import LANGUAGES
from tests.handlers.test_templates import SAMPLES, renderer

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ANAIS = Member(
    id=77,
    telegram_id=7700,
    handle="anaisroussel_168",
    first_name="Anaïs",
    last_name="Roussel",
    headline="Data engineer",
    company="Vandelay",
    location="Grenoble",
    industry="Software",
    about="Pipelines and dashboards.",
    plan_started_at=NOW,
    created_at=NOW,
)
# What each viewer must not see (the 3rd degree sees "Anaïs R.", nobody beyond sees "Anaïs").
HIDDEN = {
    Degree.THIRD: ("Roussel", "Vandelay", "Grenoble", "anaisroussel"),
    Degree.OUT: ("Anaïs", "Roussel", "Vandelay", "Grenoble", "anaisroussel"),
}
# The viewer's own data or an admin's view: no degree applies to them.
UNMASKED = {
    ("profile", "welcome"),
    ("profile", "welcome_back"),
    ("profile", "edited"),
    ("profile", "link"),
    ("settings", "card"),
    ("digest", "preferences"),
    ("payments", "refund_done"),  # an admin's answer to /refund
    ("profile", "handle_now"),
    ("profile", "handle_prompt"),
    ("profile", "handle_set"),
}


def _as_seen(value: Any, view: MemberView, who: Member = ANAIS) -> Any:
    """`value` with every member in it replaced by `who` (Anaïs) as the viewer sees her."""
    if isinstance(value, MemberView):
        return view.model_copy(update={"id": value.id})
    if isinstance(value, Member):
        return who.model_copy(update={"id": value.id, "telegram_id": value.telegram_id})
    if isinstance(value, BaseModel):
        return value.model_copy(
            update={
                name: _as_seen(getattr(value, name), view, who) for name in type(value).model_fields
            }
        )
    if isinstance(value, list):
        return [_as_seen(v, view, who) for v in value]
    if isinstance(value, dict):
        return {k: _as_seen(v, view, who) for k, v in value.items()}
    return value


CASES = [
    pytest.param(feature, macro, params, degree, id=f"{feature}.{macro}[{i}]-{degree.name}")
    for (feature, macro), variants in SAMPLES.items()
    if feature != "admin" and (feature, macro) not in UNMASKED
    for i, params in enumerate(variants)
    for degree in (Degree.THIRD, Degree.OUT)
]


@pytest.mark.parametrize(("feature", "macro", "params", "degree"), CASES)
def test_no_template_shows_what_the_degree_hides(
    feature: str, macro: str, params: dict[str, Any], degree: Degree
) -> None:
    view = member_view(ANAIS, degree)
    masked = {name: _as_seen(value, view) for name, value in params.items()}
    for lang in LANGUAGES:
        text = renderer.text(lang, feature, macro, **masked)
        for secret in HIDDEN[degree]:
            assert secret not in text, (lang, secret, text)
        assert "R.." not in text, text  # "Anaïs R." ends no sentence with a second dot


TELEGRAM_USERNAME = "anais_on_telegram"
EVERY_CASE = [
    pytest.param(feature, macro, params, id=f"{feature}.{macro}[{i}]")
    for (feature, macro), variants in SAMPLES.items()
    for i, params in enumerate(variants)
]


@pytest.mark.parametrize(("feature", "macro", "params"), EVERY_CASE)
def test_no_template_shows_a_telegram_username(
    feature: str, macro: str, params: dict[str, Any]
) -> None:
    """Not to a stranger, not to a connection, not to an admin, not to the member themself:
    a Telegram username would let anyone reach the member around the network's rules."""
    anais = ANAIS.model_copy(update={"username": TELEGRAM_USERNAME})
    full = member_view(anais, Degree.FIRST)
    seen = {name: _as_seen(value, full, anais) for name, value in params.items()}
    for lang in LANGUAGES:
        text = renderer.text(lang, feature, macro, **seen)
        assert TELEGRAM_USERNAME not in text, (lang, text)


def test_the_rule_itself() -> None:
    """Full for 1st and 2nd and whoever reached out; first name + initial for 3rd; the
    anonymous label beyond; a handle only with the full name, or when the viewer typed it."""
    for degree in (Degree.SELF, Degree.FIRST, Degree.SECOND):
        full = member_view(ANAIS, degree)
        assert (full.name, full.handle, full.company, full.location) == (
            "Anaïs Roussel",
            "anaisroussel_168",
            "Vandelay",
            "Grenoble",
        )
    third = member_view(ANAIS, Degree.THIRD)
    assert (third.name, third.handle, third.company, third.location, third.named) == (
        "Anaïs R.",
        None,
        "",
        "",
        True,
    )
    out = member_view(ANAIS, Degree.OUT)
    assert (out.name, out.handle, out.company, out.named, out.headline) == (
        "Member",
        None,
        "",
        False,
        "Data engineer",
    )
    assert member_view(ANAIS, Degree.OUT, contacted=True).name == "Anaïs Roussel"
    typed = member_view(ANAIS, Degree.THIRD, typed_handle=True)
    assert (typed.name, typed.handle, typed.company) == ("Anaïs R.", "anaisroussel_168", "")
