"""Campaigns, for members on a prospecting plan: for each lead (from a search, a list of
handles or one of the member's saved-leads lists) visit the profile (a recorded view), wait
N days, invite with a note, welcome them on acceptance, follow up after N days without a
reply.

What is due lives in the database (`campaign_leads.step`, `due_at`); the JobQueue only asks
for it (`run_due`). Each step is one transaction that claims the lead's step (a conditional
UPDATE from the step and due time it was read at) together with its effect — the view, the
invitation, the message and its notification — so a restart loses nothing and repeats
nothing. A lead who replied, declined, blocked or reported the member leaves the campaign
(at the next tick, whatever step they wait at) before anything more is sent. Invitations go
through every rule of a hand-sent one: the weekly allowance (the step waits until one is free
again), cooldowns, who may invite whom.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bridge.core import errors
from bridge.core.awaiting import Prompt, PromptKind, answered
from bridge.core.deps import CoreDeps
from bridge.core.invitation_status import outstanding
from bridge.core.invitations import Invitations
from bridge.core.leads import Leads, parse_list_name
from bridge.core.members import existing_member, parse_handle
from bridge.core.message_templates import Templates, Use, check_body, parse_name, render_body
from bridge.core.messaging import Messaging
from bridge.core.models import (
    Campaign,
    CampaignLead,
    CampaignStatus,
    CampaignStep,
    CampaignSummary,
    Degree,
    InvitationStatus,
    Member,
    Model,
)
from bridge.core.network import SEARCH_CANDIDATES, Network
from bridge.core.profile_views import record_view
from bridge.storage.port import UnitOfWork

MAX_LEADS = 50  # per campaign
STEPS_PER_RUN = 50  # per JobQueue tick: a campaign never floods anyone's chat at once
ACCEPT_CHECK = timedelta(hours=1)  # how often an invitation is looked at until answered
NAME_MAX = 60
TEXT_MAX = 1000
# The keys of `/campaign new`'s lines, in every language we speak.
KEYS = {
    "find": "find",
    "cherche": "find",
    "leads": "leads",
    "membres": "leads",
    "list": "list",
    "liste": "list",
    "wait": "wait",
    "attente": "wait",
    "note": "note",
    "welcome": "welcome",
    "bienvenue": "welcome",
    "follow_up": "follow_up",
    "relance": "follow_up",
}
_FOLLOW_UP = re.compile(r"^(\d{1,2})\s*\|\s*(.+)$", re.S)


class CampaignSpec(Model):
    name: str
    find: str | None = None
    leads: list[str] = []
    list_name: str | None = None  # one of the member's saved-leads lists
    wait_days: int = 2
    follow_up_days: int = 5
    note: str | None = None
    welcome: str | None = None
    follow_up: str | None = None


def parse_spec(text: str, note_max: int) -> CampaignSpec:
    """`/campaign new`'s text: a name, then `key: value` lines (find, leads, list, wait,
    note, welcome, follow_up: `N | text`). Any line that can't be read is named in the error."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines or ":" in lines[0].split()[0]:
        raise errors.CampaignSpecInvalid(line=lines[0][:80] if lines else "")
    values: dict[str, object] = {"name": lines[0][:NAME_MAX]}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        field = KEYS.get(key.strip().lower())
        value = value.strip()
        if not sep or field is None or not value:
            raise errors.CampaignSpecInvalid(line=line[:80])
        if field == "wait":
            if not value.isdigit() or int(value) > 30:
                raise errors.CampaignSpecInvalid(line=line[:80])
            values["wait_days"] = int(value)
        elif field == "leads":
            try:
                values["leads"] = [parse_handle(h) for h in value.replace(",", " ").split()]
            except errors.InvalidHandle:
                raise errors.CampaignSpecInvalid(line=line[:80]) from None
        elif field == "list":
            values["list_name"] = parse_list_name(value)
        elif field == "follow_up":
            found = _FOLLOW_UP.match(value)
            if found is None or not 1 <= int(found[1]) <= 30 or len(found[2]) > TEXT_MAX:
                raise errors.CampaignSpecInvalid(line=line[:80])
            values["follow_up_days"], values["follow_up"] = int(found[1]), found[2].strip()
        elif len(value) > (note_max if field == "note" else TEXT_MAX):
            raise errors.CampaignSpecInvalid(line=line[:80])
        else:
            values[field] = value
    spec = CampaignSpec.model_validate(values)
    if spec.find is None and not spec.leads and spec.list_name is None:
        raise errors.CampaignWithoutLeads()
    return spec


class Campaigns:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps
        self._invitations = Invitations(deps)
        self._messaging = Messaging(deps)
        self._templates = Templates(deps)
        self._network = Network(deps)
        self._leads = Leads(deps)

    def may_run(self, member: Member) -> bool:
        """Whether the member's plan comes with campaigns."""
        return member.plan in self._d.rules.prospecting_plans

    def _check_plan(self, member: Member) -> None:
        if not self.may_run(member):
            raise errors.NeedsProspectingPlan(plans=list(self._d.rules.prospecting_plans))

    async def ask_from_search(self, actor_id: int, search_id: int) -> str:
        """📣 under /find results: the actor's next text is a campaign whose leads are that
        search's results; returns the search's words."""
        async with self._d.store.transaction() as tx:
            actor = await existing_member(tx, actor_id)
            self._check_plan(actor)
            query = await tx.members.saved_search(search_id, actor_id)
            if query is None:
                raise errors.SearchExpired()
            actor.awaiting = Prompt(kind=PromptKind.CAMPAIGN, arg=str(search_id)).encode()
            await tx.members.save(actor)
        return query

    async def create_from_search(self, actor_id: int, prompt: Prompt, text: str) -> CampaignSummary:
        """The answer to 📣: the campaign's lines, its leads the search's results."""
        async with self._d.store.read() as tx:
            query = await tx.members.saved_search(prompt.target_id, actor_id)
        if query is None:
            raise errors.SearchExpired()
        return await self.create(actor_id, f"{text}\nfind: {query}", answering=prompt)

    async def ask_from_list(self, actor_id: int, list_text: str) -> str:
        """📣 under /leads <list>: the actor's next text is a campaign whose leads are that
        list's; returns the list's name."""
        name = parse_list_name(list_text) or ""
        async with self._d.store.read() as tx:
            self._check_plan(await existing_member(tx, actor_id))
        await self._list_leads(actor_id, name)  # nobody in it: said now, not after the answer
        async with self._d.store.transaction() as tx:
            actor = await existing_member(tx, actor_id)
            actor.awaiting = Prompt(kind=PromptKind.CAMPAIGN_LIST, arg=name).encode()
            await tx.members.save(actor)
        return name

    async def create_from_list(self, actor_id: int, prompt: Prompt, text: str) -> CampaignSummary:
        """The answer to 📣 under /leads: the campaign's lines, its leads the list's."""
        return await self.create(actor_id, f"{text}\nlist: {prompt.arg}", answering=prompt)

    async def create(
        self, actor_id: int, text: str, answering: Prompt | None = None
    ) -> CampaignSummary:
        """A new campaign from `/campaign new`'s text; its leads start at the visit step.
        ``answering``: the question (📣's) this text answers ends with it."""
        spec = parse_spec(text, self._d.rules.note_max)
        async with self._d.store.read() as tx:
            actor = await existing_member(tx, actor_id)
        self._check_plan(actor)
        ids: list[int] = []
        if spec.find:
            # Every candidate ranked (the search ranks them all anyway), then the closest
            # who are not connections yet: a well-connected member's first results are all
            # 1st degree.
            found = await self._network.search(actor_id, spec.find, SEARCH_CANDIDATES)
            ids += [v.id for v in found if v.degree != Degree.FIRST]
        for handle in spec.leads:
            ids.append((await self._member_by_handle(handle)).id)
        if spec.list_name is not None:
            ids += await self._list_leads(actor_id, spec.list_name)
        leads = [i for i in dict.fromkeys(ids) if i != actor_id][:MAX_LEADS]
        if not leads:
            raise errors.CampaignWithoutLeads()
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            campaign = await tx.campaigns.add(
                actor_id,
                spec.name,
                spec.wait_days,
                spec.follow_up_days,
                await _text(tx, actor_id, spec.note),
                await _text(tx, actor_id, spec.welcome),
                await _text(tx, actor_id, spec.follow_up),
                now,
            )
            for lead in leads:
                await tx.campaigns.add_lead(campaign.id, lead, now)
            await answered(tx, actor_id, answering)
            return CampaignSummary(campaign=campaign, counts=await tx.campaigns.counts(campaign.id))

    async def _list_leads(self, actor_id: int, list_name: str) -> list[int]:
        """The members saved in the actor's list, oldest saved first (the order they were
        chosen in); an unknown or empty list is an error of its own, not "nobody found"."""
        saved = await self._leads.list(actor_id, list_name)
        if not saved:
            raise errors.LeadListEmpty(name=list_name)
        return [lead.contact.id for lead in reversed(saved)]

    async def _member_by_handle(self, handle: str) -> Member:
        async with self._d.store.read() as tx:
            member = await tx.members.by_handle(handle)
        if member is None:
            raise errors.MemberNotFound(handle=handle)
        return member

    async def overview(self, actor_id: int) -> list[CampaignSummary]:
        async with self._d.store.read() as tx:
            return [
                CampaignSummary(campaign=c, counts=await tx.campaigns.counts(c.id))
                for c in await tx.campaigns.of_member(actor_id)
            ]

    async def set_status(
        self, actor_id: int, campaign_id: int, status: CampaignStatus
    ) -> CampaignSummary:
        """Pause, resume or stop one's own campaign (stopped is for good)."""
        async with self._d.store.transaction() as tx:
            campaign = await tx.campaigns.get(campaign_id)
            if campaign is None or campaign.member_id != actor_id:
                raise errors.CampaignNotFound()
            if campaign.status == CampaignStatus.STOPPED and status != CampaignStatus.STOPPED:
                raise errors.CampaignStopped()
            await tx.campaigns.set_status(campaign_id, status)
            campaign.status = status
            return CampaignSummary(campaign=campaign, counts=await tx.campaigns.counts(campaign_id))

    async def run_due(self, limit: int = STEPS_PER_RUN) -> int:
        """Run the steps that are due (JobQueue tick), after taking out the leads who
        replied, blocked or reported meanwhile; how many leads moved."""
        async with self._d.store.read() as tx:
            departing = await tx.campaigns.departing(limit)
        moved = 0
        for lead in departing:
            moved += await self._leave_if_gone(lead)
        async with self._d.store.read() as tx:
            due = await tx.campaigns.due(self._d.clock.now(), limit)
        for lead in due:
            moved += await self._step(lead)
        return moved

    async def _leave_if_gone(self, lead: CampaignLead) -> bool:
        """A lead who replied, blocked or reported leaves, whatever step they wait at."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            campaign = await tx.campaigns.get(lead.campaign_id)
            if campaign is None or campaign.status != CampaignStatus.ACTIVE:
                return False
            left = await self._left(tx, campaign, lead)
            return left is not None and await self._leave(tx, lead, now, left)

    async def _step(self, lead: CampaignLead) -> bool:
        """One lead's due step and its effect, in one transaction that claims it."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            campaign = await tx.campaigns.get(lead.campaign_id)
            if campaign is None or campaign.status != CampaignStatus.ACTIVE:
                return False  # paused or stopped since it was read
            left = await self._left(tx, campaign, lead)
            if left is not None:
                return await self._leave(tx, lead, now, left)
            if lead.step == CampaignStep.VISIT:
                owner = await existing_member(tx, campaign.member_id)
                await record_view(tx, owner, lead.lead_id, now)
                due = now + timedelta(days=campaign.wait_days)
                return await tx.campaigns.claim(
                    lead, CampaignStep.INVITE, due, now, stamps=("visited_at",)
                )
            if lead.step == CampaignStep.INVITE:
                return await self._invite(tx, campaign, lead, now)
            if lead.step == CampaignStep.ACCEPTING:
                return await self._accepting(tx, campaign, lead, now)
            if lead.step == CampaignStep.FOLLOW_UP:
                if campaign.follow_up:
                    refused = await self._message(tx, campaign, lead, campaign.follow_up, now)
                    if refused is not None:
                        return await self._leave(tx, lead, now, refused)
                return await tx.campaigns.claim(
                    lead, CampaignStep.DONE, now, now, stamps=("followed_up_at",)
                )
        return False

    async def _invite(
        self, tx: UnitOfWork, campaign: Campaign, lead: CampaignLead, now: datetime
    ) -> bool:
        owner = await existing_member(tx, campaign.member_id)
        target = await existing_member(tx, lead.lead_id)
        if await outstanding(tx, lead.lead_id, owner.id) is not None:
            return await self._leave(tx, lead, now, "invited_you")
        try:
            note = campaign.note and self._for(campaign.note, owner, target, Use.INVITE)
            invitation = await self._invitations.create_in(tx, owner, target, note, now)
        except errors.InvitationLimitReached as full:  # the weekly allowance: wait for it
            return await tx.campaigns.claim(lead, CampaignStep.INVITE, full.params["next_at"], now)
        except errors.ReinviteTooSoon as cooling:
            return await tx.campaigns.claim(lead, CampaignStep.INVITE, cooling.params["until"], now)
        except errors.BridgeError as refused:  # connected already, restricted, blocked…
            return await self._leave(tx, lead, now, refused.code)
        return await tx.campaigns.claim(
            lead,
            CampaignStep.ACCEPTING,
            now + ACCEPT_CHECK,
            now,
            stamps=("invited_at",),
            invitation_id=invitation.id,
        )

    async def _accepting(
        self, tx: UnitOfWork, campaign: Campaign, lead: CampaignLead, now: datetime
    ) -> bool:
        invitation = (
            await tx.invitations.get(lead.invitation_id) if lead.invitation_id is not None else None
        )
        if invitation is None:
            return await self._leave(tx, lead, now, "invitation_gone")
        if invitation.status == InvitationStatus.PENDING:
            return await tx.campaigns.claim(lead, CampaignStep.ACCEPTING, now + ACCEPT_CHECK, now)
        if invitation.status != InvitationStatus.ACCEPTED:
            return await self._leave(tx, lead, now, invitation.status.value)
        stamps = ["accepted_at"]
        if campaign.welcome:
            refused = await self._message(tx, campaign, lead, campaign.welcome, now)
            if refused is not None:
                return await self._leave(tx, lead, now, refused)
            stamps.append("welcomed_at")
        step = CampaignStep.FOLLOW_UP if campaign.follow_up else CampaignStep.DONE
        due = now + timedelta(days=campaign.follow_up_days)
        return await tx.campaigns.claim(lead, step, due, now, stamps=stamps)

    def _for(self, text: str, owner: Member, target: Member, use: Use) -> str:
        """A campaign text as written to this lead: the templates' fields rendered with what
        the owner may see of them (a field their degree hides refuses it: the lead leaves)."""
        degree = Degree.from_distance(self._d.graph.distance(owner.id, target.id))
        return render_body(text, owner, target, degree, "campaign", self._templates.limit(use))

    async def _message(
        self, tx: UnitOfWork, campaign: Campaign, lead: CampaignLead, text: str, now: datetime
    ) -> str | None:
        """The campaign's `text` to the lead, as a message of the member's; the refusal's
        code when it can't go (no longer connected, blocked, a template field hidden…)."""
        try:
            owner = await existing_member(tx, campaign.member_id)
            target = await existing_member(tx, lead.lead_id)
            text = self._for(text, owner, target, Use.MESSAGE)
            await self._messaging.send_in(tx, campaign.member_id, lead.lead_id, text, now)
        except errors.BridgeError as refused:
            return refused.code
        return None

    async def _left(self, tx: UnitOfWork, campaign: Campaign, lead: CampaignLead) -> str | None:
        """Why the lead leaves before anything more is done, if they do."""
        owner, them = campaign.member_id, lead.lead_id
        if await tx.blocks.exists(owner, them) or await tx.blocks.exists(them, owner):
            return "blocked"
        if await tx.campaigns.reported(them, owner):
            return "reported"
        if await tx.campaigns.replied_since(owner, them, lead.added_at):
            return "replied"
        return None

    async def _leave(self, tx: UnitOfWork, lead: CampaignLead, now: datetime, why: str) -> bool:
        return await tx.campaigns.claim(
            lead, CampaignStep.LEFT, now, now, stamps=("left_at",), outcome=why
        )


TEMPLATE_REF = re.compile(r"#\S+")


async def _text(tx: UnitOfWork, actor_id: int, text: str | None) -> str | None:
    """A campaign's text as it is kept: as written, or a saved template's body (`#name`);
    either may use the templates' fields ({{ first_name }}…), checked now and rendered for
    each lead when its step runs."""
    if text is None:
        return None
    if TEMPLATE_REF.fullmatch(text.strip()):
        name = parse_name(text.strip()[1:])
        template = await tx.templates.get(actor_id, name)
        if template is None:
            raise errors.TemplateNotFound(name=name)
        text = template.body
    check_body(text)
    return text
