"""Campaigns: the steps run from what the database says is due, each once (a second run
finds nothing to claim), through the rules of hand-sent invitations; leads leave when they
reply, decline or block; pause, resume, stop by the owner only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.campaigns import parse_spec
from bridge.core.clock import FakeClock
from bridge.core.models import CampaignStatus, InvitationStatus, Member, MessageKind
from tests.conftest import ADMIN_TELEGRAM_ID, MakeMember, connect

SPEC = """Lyon recruiters
find: recruiter
wait: 2
note: Hi, we both hire in Lyon
welcome: Thanks for connecting!
follow_up: 5 | Shall we talk this week?"""


async def _seller(core: Core, member: MakeMember) -> Member:
    seller = await member("Sam", "Seller")
    admin = await member("Admin", telegram_id=ADMIN_TELEGRAM_ID)
    return await core.credits.set_plan(admin, seller.id, "sales_navigator")


async def _views(core: Core, member_id: int) -> set[int]:
    return {v.view.id for v in (await core.profile_views.viewers(member_id)).viewers}


async def _texts(core: Core, a: int, b: int) -> list[str]:
    async with core.deps.store.read() as tx:
        conversation = await tx.conversations.between(a, b)
        assert conversation is not None
        return [
            m.text or ""
            for m in await tx.messages.history(conversation.id, 0, None, 50)
            if m.kind == MessageKind.MESSAGE
        ]


async def test_a_campaign_visits_waits_invites_welcomes_and_follows_up(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    sam = await _seller(core, member)
    ann = await member("Ann", "Lee", headline="Recruiter")
    bob = await member("Bob", "Ray", headline="Recruiter")
    cleo = await member("Cleo", "Diaz", headline="Recruiter")
    summary = await core.campaigns.create(sam.id, SPEC)
    assert summary.counts.leads == 3

    assert await core.campaigns.run_due() == 3  # the visits
    assert await core.campaigns.run_due() == 0  # nothing twice
    assert sam.id in await _views(core, ann.id)
    clock.advance(timedelta(days=1))
    assert await core.campaigns.run_due() == 0  # waiting 2 days
    clock.advance(timedelta(days=1))
    assert await core.campaigns.run_due() == 3  # the invitations, with the note
    received = await core.invitations.received(ann.id)
    assert [i.invitation.note for i in received] == ["Hi, we both hire in Lyon"]

    await core.invitations.accept(ann.id, received[0].invitation.id)
    await core.invitations.decline(
        bob.id, (await core.invitations.received(bob.id))[0].invitation.id
    )
    clock.advance(timedelta(hours=1))
    assert await core.campaigns.run_due() == 3  # Ann welcomed, Bob left, Cleo still pending
    assert await _texts(core, sam.id, ann.id) == ["Thanks for connecting!"]
    counts = (await core.campaigns.overview(sam.id))[0].counts
    assert (counts.invited, counts.accepted, counts.welcomed, counts.left) == (3, 1, 1, 1)
    assert counts.acceptance_rate == pytest.approx(1 / 3)

    clock.advance(timedelta(days=5))
    await core.campaigns.run_due()
    assert await _texts(core, sam.id, ann.id) == [
        "Thanks for connecting!",
        "Shall we talk this week?",
    ]
    counts = (await core.campaigns.overview(sam.id))[0].counts
    assert counts.followed_up == 1
    clock.advance(timedelta(days=10))
    await core.campaigns.run_due()
    assert len(await _texts(core, sam.id, ann.id)) == 2  # done: nothing more, ever
    assert (await core.invitations.received(cleo.id))[0].invitation.status == (
        InvitationStatus.PENDING
    )


async def test_a_reply_or_a_block_takes_the_lead_out_before_anything_is_sent(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    sam = await _seller(core, member)
    ann = await member("Ann", "Lee", username="ann_tg")
    bob = await member("Bob", "Ray", username="bob_tg")
    await core.campaigns.create(sam.id, "Two leads\nleads: @ann @bob\nwait: 0\nwelcome: Hi!")
    await core.campaigns.run_due()  # visits
    await core.campaigns.run_due()  # invitations (no wait)
    invitation = (await core.invitations.received(ann.id))[0].invitation
    await core.messaging.send(ann.id, sam.id, "Who are you?")  # answers in the thread
    await core.invitations.accept(ann.id, invitation.id)
    await core.members.block(bob.id, sam.id)
    clock.advance(timedelta(hours=1))
    await core.campaigns.run_due()
    assert await _texts(core, sam.id, ann.id) == ["Who are you?"]  # no welcome after a reply
    counts = (await core.campaigns.overview(sam.id))[0].counts
    assert (counts.replied, counts.left, counts.welcomed) == (1, 2, 0)


async def test_the_weekly_allowance_holds_a_step_until_an_invitation_is_free(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    core.deps.rules = core.deps.rules.model_copy(update={"invites_per_window": 1})
    sam = await _seller(core, member)
    await member("Ann", username="ann_tg")
    await member("Bob", username="bob_tg")
    await core.campaigns.create(sam.id, "Two\nleads: @ann @bob\nwait: 0")
    await core.campaigns.run_due()
    await core.campaigns.run_due()
    counts = (await core.campaigns.overview(sam.id))[0].counts
    assert counts.invited == 1  # the second waits for the allowance
    clock.advance(timedelta(days=7))
    await core.campaigns.run_due()
    assert (await core.campaigns.overview(sam.id))[0].counts.invited == 2


async def test_pause_resume_stop_and_who_may(core: Core, member: MakeMember) -> None:
    sam = await _seller(core, member)
    await member("Ann", username="ann_tg")
    campaign = (await core.campaigns.create(sam.id, "One\nleads: @ann")).campaign
    stranger = await member("Zed")
    with pytest.raises(errors.CampaignNotFound):
        await core.campaigns.set_status(stranger.id, campaign.id, CampaignStatus.PAUSED)
    await core.campaigns.set_status(sam.id, campaign.id, CampaignStatus.PAUSED)
    assert await core.campaigns.run_due() == 0  # paused: nothing runs
    await core.campaigns.set_status(sam.id, campaign.id, CampaignStatus.ACTIVE)
    assert await core.campaigns.run_due() == 1
    await core.campaigns.set_status(sam.id, campaign.id, CampaignStatus.STOPPED)
    with pytest.raises(errors.CampaignStopped):
        await core.campaigns.set_status(sam.id, campaign.id, CampaignStatus.ACTIVE)


async def test_who_may_run_campaigns_and_bad_specs(core: Core, member: MakeMember) -> None:
    free = await member("Free")
    with pytest.raises(errors.NeedsProspectingPlan):
        await core.campaigns.create(free.id, "A\nleads: @nobody")
    sam = await _seller(core, member)
    with pytest.raises(errors.CampaignWithoutLeads):
        await core.campaigns.create(sam.id, "A\nfind: nobody matches this")
    with pytest.raises(errors.MemberNotFound):
        await core.campaigns.create(sam.id, "A\nleads: @ghost")
    for bad in ("", "find: x", "A\nwait: 99", "A\ncolour: blue", "A\nfollow_up: soon", "A"):
        with pytest.raises((errors.CampaignSpecInvalid, errors.CampaignWithoutLeads)):
            parse_spec(bad, 300)
    spec = parse_spec("Équipe\ncherche: designer\nattente: 3\nrelance: 4 | Alors ?", 300)
    assert (spec.find, spec.wait_days, spec.follow_up_days, spec.follow_up) == (
        "designer",
        3,
        4,
        "Alors ?",
    )


async def test_a_campaign_from_a_search_answers_its_question_once(
    core: Core, member: MakeMember
) -> None:
    sam = await _seller(core, member)
    await member("Ann", headline="Recruiter")
    page = await core.network.find(sam.id, "recruiter")
    assert await core.campaigns.ask_from_search(sam.id, page.search_id) == "recruiter"
    prompt = await core.prompts.pending(sam.id)
    assert prompt is not None
    with pytest.raises(errors.CampaignSpecInvalid):
        await core.campaigns.create_from_search(sam.id, prompt, "Name\nwait: soon")
    assert await core.prompts.pending(sam.id) == prompt  # refused: the question stands
    summary = await core.campaigns.create_from_search(sam.id, prompt, "Name\nwait: 1")
    assert (summary.counts.leads, summary.campaign.wait_days) == (1, 1)
    assert await core.prompts.pending(sam.id) is None
    free = await member("Free")
    with pytest.raises(errors.NeedsProspectingPlan):
        await core.campaigns.ask_from_search(free.id, page.search_id)
    with pytest.raises(errors.SearchExpired):  # another member's search
        await core.campaigns.ask_from_search(sam.id, page.search_id + 1000)


async def test_a_waiting_lead_who_replies_leaves_at_the_next_tick(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    sam = await _seller(core, member)
    ann = await member("Ann", username="ann_tg")
    await core.campaigns.create(sam.id, "One\nleads: @ann\nwait: 0\nfollow_up: 5 | Still there?")
    await core.campaigns.run_due()  # visit
    await core.campaigns.run_due()  # invite
    invitation = (await core.invitations.received(ann.id))[0].invitation
    await core.invitations.accept(ann.id, invitation.id)
    clock.advance(timedelta(hours=1))
    await core.campaigns.run_due()  # accepted: waits 5 days for the follow-up
    clock.advance(timedelta(days=1))
    await core.messaging.send(ann.id, sam.id, "Happy to talk")
    assert await core.campaigns.run_due() == 1  # gone now, four days before the follow-up
    counts = (await core.campaigns.overview(sam.id))[0].counts
    assert (counts.replied, counts.left, counts.followed_up) == (1, 1, 0)
    clock.advance(timedelta(days=5))
    assert await core.campaigns.run_due() == 0


async def test_a_search_campaign_skips_connections_however_many(
    core: Core, member: MakeMember
) -> None:
    sam = await _seller(core, member)
    for i in range(60):  # more connections matching than a campaign takes
        await connect(core, sam, await member(f"Conn{i}", headline="Recruiter"))
    stranger = await member("Zoe", "Far", headline="Recruiter")
    summary = await core.campaigns.create(sam.id, "Far ones\nfind: recruiter")
    assert summary.counts.leads == 1
    async with core.deps.store.read() as tx:
        (lead,) = await tx.campaigns.due(core.now(), 10)
    assert lead.lead_id == stranger.id


async def test_a_campaign_from_a_saved_leads_list_invites_those_leads(
    core: Core, member: MakeMember
) -> None:
    sam = await _seller(core, member)
    ann = await member("Ann", username="ann_tg")
    bob = await member("Bob", username="bob_tg")
    other = await member("Cleo", username="cleo_tg")
    await core.leads.save(sam.id, ann.id, "q1-designers")
    await core.leads.save(sam.id, bob.id, "#Q1-Designers")  # the same list, however typed
    await core.leads.save(sam.id, other.id, "later")
    summary = await core.campaigns.create(sam.id, "Designers\nlist: q1-designers\nwait: 0")
    assert summary.counts.leads == 2
    await core.campaigns.run_due()  # visits
    assert await core.campaigns.run_due() == 2  # invitations
    for lead in (ann, bob):
        assert len(await core.invitations.received(lead.id)) == 1
    assert await core.invitations.received(other.id) == []  # another list's lead

    spec = parse_spec("Équipe\nliste: Later\nmembres: @ann_tg", 300)
    assert (spec.list_name, spec.leads) == ("later", ["ann_tg"])
    with pytest.raises(errors.LeadListEmpty):  # no such list
        await core.campaigns.create(sam.id, "X\nlist: nosuchlist")
    await core.leads.unsave(sam.id, other.id, "later")
    with pytest.raises(errors.LeadListEmpty):  # emptied
        await core.campaigns.create(sam.id, "X\nlist: later")
    with pytest.raises(errors.InvalidLeadList):
        await core.campaigns.create(sam.id, "X\nlist: two words")
    assert len(await core.campaigns.overview(sam.id)) == 1  # the refused ones changed nothing


async def test_a_campaign_from_a_list_answers_its_question_once(
    core: Core, member: MakeMember
) -> None:
    sam = await _seller(core, member)
    ann = await member("Ann", username="ann_tg")
    with pytest.raises(errors.LeadListEmpty):  # said at the button, not after the answer
        await core.campaigns.ask_from_list(sam.id, "q1")
    assert await core.prompts.pending(sam.id) is None
    await core.leads.save(sam.id, ann.id, "q1")
    assert await core.campaigns.ask_from_list(sam.id, "q1") == "q1"
    prompt = await core.prompts.pending(sam.id)
    assert prompt is not None
    summary = await core.campaigns.create_from_list(sam.id, prompt, "From q1\nwait: 1")
    assert (summary.counts.leads, summary.campaign.wait_days) == (1, 1)
    assert await core.prompts.pending(sam.id) is None
    free = await member("Free")
    await core.leads.save(free.id, ann.id, "q1")
    with pytest.raises(errors.NeedsProspectingPlan):
        await core.campaigns.ask_from_list(free.id, "q1")


async def test_a_campaign_writes_with_templates_for_each_lead(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    """Issue 16: "invite with a template, on acceptance send a welcome template". A saved
    template (`#name`) or a text with the templates' fields is rendered for each lead, with
    what the owner may see of them; a template that doesn't exist or uses another field is
    refused when the campaign is created, and nothing is created."""
    sam = await _seller(core, member)
    ann = await member("Ann", "Lee", headline="Recruiter", company="Acme")
    bob = await member("Bob", "Ray", headline="Recruiter", company="Globex")
    carol = await member("Carol", "Mutual")  # Ann and Bob are 2nd degree: named, company seen
    for other in (sam, ann, bob):
        await connect(core, carol, other)
    await core.templates.save(sam.id, "intro", "Hi {{ first_name }}, we both hire in Lyon")
    spec = f"Lyon\nleads: @{ann.handle} @{bob.handle}\nwait: 0\nnote: #intro\n"
    spec += "welcome: Glad to meet {{ company }}!"
    for broken, error in (
        ("note: #nosuch", errors.TemplateNotFound),
        ("welcome: Hi {{ salary }}", errors.TemplateFieldRefused),
    ):
        with pytest.raises(error):
            await core.campaigns.create(sam.id, f"Broken\nleads: @{ann.handle}\n{broken}")
    assert await core.campaigns.overview(sam.id) == []
    await core.campaigns.create(sam.id, spec)
    await core.campaigns.run_due()  # the visits
    await core.campaigns.run_due()  # the invitations
    notes = {
        lead.id: [i.invitation.note for i in await core.invitations.received(lead.id)]
        for lead in (ann, bob)
    }
    assert notes == {
        ann.id: ["Hi Ann, we both hire in Lyon"],
        bob.id: ["Hi Bob, we both hire in Lyon"],
    }
    received = await core.invitations.received(ann.id)
    await core.invitations.accept(ann.id, received[0].invitation.id)
    clock.advance(timedelta(hours=1))
    await core.campaigns.run_due()
    assert await _texts(core, sam.id, ann.id) == ["Glad to meet Acme!"]
