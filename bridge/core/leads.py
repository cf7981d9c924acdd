"""Saved leads: members a member keeps in named lists (`/save @handle [list]`), listed with
each lead's degree now, when they last talked and whether the lead ever wrote back.

`Leads.list(member_id, list_name)` is the use case other features read lead lists through
(campaigns, for one): one statement, names masked by degree as everywhere."""

from __future__ import annotations

import builtins
import re

from bridge.core import errors
from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member
from bridge.core.models import Degree, Lead
from bridge.core.views import member_view
from bridge.storage.port import LeadRow

DEFAULT_LIST = "leads"
LIST_LIMIT = 32
MAX_LEADS = 200  # what one listing shows
_NAME = re.compile(r"^[\w-]+$")


def parse_list_name(text: str | None) -> str | None:
    """A list's name, case-folded (``#`` allowed); None for none given."""
    if text is None or not text.strip():
        return None
    name = text.strip().removeprefix("#").casefold()
    if len(name) > LIST_LIMIT or not _NAME.match(name):
        raise errors.InvalidLeadList(name=text, limit=LIST_LIMIT)
    return name


class Leads:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def save(self, actor_id: int, contact_id: int, list_text: str | None = None) -> Lead:
        """Save a contact as a lead (in the default list without a name); twice is once."""
        name = parse_list_name(list_text) or DEFAULT_LIST
        if contact_id == actor_id:
            raise errors.CannotTargetSelf()
        async with self._d.store.transaction() as tx:
            await existing_member(tx, contact_id)
            await tx.leads.save(actor_id, contact_id, name, self._d.clock.now())
            rows = await tx.leads.list(actor_id, name, MAX_LEADS)
        return next(lead for lead in self._leads(actor_id, rows) if lead.contact.id == contact_id)

    async def unsave(self, actor_id: int, contact_id: int, list_text: str | None = None) -> int:
        """Take a lead off one list, or off all of them; an error if it was on none."""
        name = parse_list_name(list_text)
        async with self._d.store.transaction() as tx:
            removed = await tx.leads.remove(actor_id, contact_id, name)
        if not removed:
            raise errors.LeadNotSaved()
        return removed

    def _leads(self, member_id: int, rows: list[LeadRow]) -> list[Lead]:
        degrees = self._d.graph.distances_from(member_id, [r.contact.id for r in rows])
        return [
            Lead(
                contact=member_view(
                    r.contact,
                    Degree.from_distance(degrees.get(r.contact.id)),
                    contacted=r.contacted,
                    typed_handle=True,  # they saved them by @handle
                ),
                list_name=r.list_name,
                saved_at=r.saved_at,
                last_contact_at=r.last_contact_at,
                answered=r.answered,
            )
            for r in rows
        ]

    # Last in the class: inside it, its name would shadow the builtin `list`.
    async def list(self, member_id: int, list_name: str | None = None) -> builtins.list[Lead]:
        """The member's leads (one list's, or all), the latest saved first."""
        name = parse_list_name(list_name)
        async with self._d.store.read() as tx:
            rows = await tx.leads.list(member_id, name, MAX_LEADS)
        return self._leads(member_id, rows)
