"""Synthetic member rows: a mixed English/French population with believable profiles,
unique handles, and Telegram ids no real user can have.

Why negative Telegram ids: real users have positive ids (already beyond 8·10⁹, so a "high
range" is not safe forever); negative ids are group chats in Telegram, never a person who
sends /start, so a seeded member can never collide with someone registering later. Seeded
members are also marked unreachable: the bot holds their notifications instead of trying to
deliver to a chat that doesn't exist.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from bridge.core.members import handle_stem
from bridge.seed.vocabulary import (
    ABOUT,
    COMPANIES,
    FIRST_NAMES,
    HEADLINE_FORMATS,
    INDUSTRIES,
    LAST_NAMES,
    LOCATIONS,
    ROLES,
)
from bridge.storage.bulk import MemberRow

TELEGRAM_ID_BASE = -(10**12)  # seeded member `id` has Telegram id TELEGRAM_ID_BASE - id
FRENCH_SHARE = 0.45


def seeded_telegram_id(member_id: int) -> int:
    return TELEGRAM_ID_BASE - member_id


def is_seeded_telegram_id(telegram_id: int) -> bool:
    return telegram_id <= TELEGRAM_ID_BASE


@lru_cache(maxsize=8192)
def slug(first: str, last: str) -> str:
    """Handle stem as the core's registration builds it, short enough for a tag and an id."""
    return handle_stem(first, last, 20)


def member_rows(
    first_id: int, n: int, seed: int, joined: list[datetime] | None = None, handle_tag: str = ""
) -> Iterator[MemberRow]:
    """Members with ids first_id .. first_id + n - 1 (seeded: unreachable, see above).

    `joined[i]` is the i-th member's creation timestamp (join order follows ids, as in the
    network model); without it, everyone joins at the same fixed moment."""
    rng = random.Random(seed * 7919 + 1)
    choice, rand = rng.choice, rng.random
    fixed = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(n):
        member_id = first_id + i
        lang = "fr" if rand() < FRENCH_SHARE else "en"
        first, last = choice(FIRST_NAMES[lang]), choice(LAST_NAMES[lang])
        # A third of the French speakers work for international companies, and vice versa.
        company_lang = lang if rand() < 0.7 else ("en" if lang == "fr" else "fr")
        company = choice(COMPANIES[company_lang])
        location = choice(LOCATIONS[lang])
        industry = choice(INDUSTRIES[lang])
        role = choice(ROLES[lang])
        headline = choice(HEADLINE_FORMATS[lang]).format(
            role=role, company=company, industry=industry, location=location
        )
        about = choice(ABOUT[lang]).format(industry=industry.lower(), location=location)
        handle = f"{slug(first, last)}{handle_tag}{member_id}"
        created = joined[i] if joined is not None else fixed
        yield MemberRow(
            member_id,
            seeded_telegram_id(member_id),
            handle,
            first,
            last,
            lang,
            headline,
            company,
            location,
            industry,
            about,
            False,
            created,
            created,
        )


def join_times(n: int, end: datetime, span: timedelta = timedelta(days=3 * 365)) -> list[datetime]:
    """Increasing join timestamps over `span` before `end` (growth accelerates over time,
    as networks do): the i-th member joins at end - span·(1 - ((i+1)/n)^0.5)."""
    start = end - span
    seconds = span.total_seconds()
    return [start + timedelta(seconds=seconds * ((i + 1) / n) ** 0.5) for i in range(n)]
