"""Handles: the public ``@name`` members address each other by.

Never the member's Telegram username: a handle made from it let anyone who saw a card find
the member on Telegram directly, around every rule of the network (masking, blocks, invite
policy). A handle is generated from the name at registration, and a member may choose
another one (`/handle`).
"""

from __future__ import annotations

import re
import unicodedata

from bridge.core import errors
from bridge.storage.port import UnitOfWork

HANDLE_MIN, HANDLE_MAX = 3, 32
# A chosen handle: starts with a letter; letters, digits and single underscores.
_CHOSEN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
# Generated placeholders (the 0012 migration's ``member__<id>``) use a double underscore,
# which no chosen handle has, so a placeholder never clashes with a choice.
PLACEHOLDER_PREFIX = "member__"
FORMER_PREFIX = "former__"  # an erased member's (`MemberRepo.erase`)
# Words a member could use to pass for the service or its staff.
RESERVED = frozenset(
    {
        "admin",
        "administrator",
        "bot",
        "bridge",
        "help",
        "linkedin",
        "me",
        "member",
        "moderator",
        "official",
        "root",
        "security",
        "staff",
        "support",
        "system",
        "team",
        "telegram",
    }
)


def name_stem(text: str, length: int = 24) -> str:
    """The ASCII letters and digits of a name: ``Élise`` → ``elise``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())[:length]


def handle_candidates(first: str, last: str, username: str | None = None) -> list[str]:
    """What a generated handle tries, shortest first: ``alice``, then ``alicemartin`` —
    never the Telegram username, even when the name spells it."""
    taken = (username or "").lower()
    stems = [name_stem(first), name_stem(f"{first}{last}")]
    return [
        s for s in dict.fromkeys(stems) if len(s) >= HANDLE_MIN and s not in RESERVED and s != taken
    ]


async def generated_handle(
    tx: UnitOfWork, first: str, last: str, username: str | None = None
) -> str:
    """The first free candidate, else the fullest one numbered (``alicemartin_2``), else
    ``member_<n>``."""
    candidates = handle_candidates(first, last, username)
    for candidate in candidates:
        if await tx.members.by_handle(candidate) is None:
            return candidate
    base = candidates[-1] if candidates else "member"
    if await tx.members.by_handle(base) is None:
        return base
    n = 1
    while True:
        n += 1
        candidate = f"{base[:28]}_{n}"
        if await tx.members.by_handle(candidate) is None:
            return candidate


def chosen_handle(text: str) -> str:
    """A handle a member asks for, checked: ``@Alice_M`` → ``alice_m``, or a typed error
    saying what is wrong (length, characters, reserved)."""
    handle = text.strip().removeprefix("@").lower()
    if not HANDLE_MIN <= len(handle) <= HANDLE_MAX:
        raise errors.HandleLength(handle=text.strip()[:40], min=HANDLE_MIN, max=HANDLE_MAX)
    if handle in RESERVED or handle.startswith((PLACEHOLDER_PREFIX, FORMER_PREFIX)):
        raise errors.HandleReserved(handle=handle)
    if not _CHOSEN.match(handle):
        raise errors.HandleCharacters(handle=text.strip()[:40])
    return handle
