"""InMail credits: plans, monthly renewals with rollover, spending, refunds, the ledger.

Every change of a balance writes a ledger entry in the same transaction, so a balance can
always be explained (and is property-tested to equal the ledger's sum).
"""

from __future__ import annotations

from datetime import datetime

from bridge.core import errors
from bridge.core.awaiting import Prompt, answered
from bridge.core.clock import add_months
from bridge.core.conversations import post_message
from bridge.core.deps import CoreDeps
from bridge.core.members import check_not_blocked, existing_member, require_admin
from bridge.core.models import (
    CreditAccount,
    Degree,
    Delivery,
    InMail,
    InMailNews,
    InMailStatus,
    LedgerKind,
    Member,
    MemberView,
    MessageKind,
    Notification,
    NotificationKind,
    RefundState,
)
from bridge.core.owed import notify
from bridge.core.rules import RefundPolicy, Rules
from bridge.core.views import member_view
from bridge.storage.port import ConstraintViolation, UnitOfWork

MAX_GRANT = 1000


def next_renewal(member: Member, rules: Rules) -> datetime | None:
    if rules.allowance(member.plan) == 0:
        return None
    return add_months(member.plan_started_at, member.renewals_done + 1)


async def apply_renewals(tx: UnitOfWork, member: Member, rules: Rules, now: datetime) -> None:
    """Credit every monthly allowance that fell due, capped at the rollover limit."""
    allowance = rules.allowance(member.plan)
    if allowance == 0:
        return
    changed = False
    while (due := next_renewal(member, rules)) is not None and due <= now:
        member.renewals_done += 1
        changed = True
        target = min(member.credits + allowance, rules.credit_cap(member.plan))
        if target > member.credits:
            delta = target - member.credits
            member.credits = await _increment(tx, member, delta)
            await tx.ledger.add(
                member.id, LedgerKind.GRANT, delta, member.credits, f"renewal:{member.plan}", due
            )
    if changed:
        await tx.members.save(member)


async def _move(
    tx: UnitOfWork,
    member: Member,
    kind: LedgerKind,
    delta: int,
    reason: str,
    now: datetime,
    inmail_id: int | None = None,
) -> None:
    member.credits = await _increment(tx, member, delta)
    await tx.members.save(member)
    await tx.ledger.add(member.id, kind, delta, member.credits, reason, now, inmail_id)


async def _increment(tx: UnitOfWork, member: Member, delta: int) -> int:
    """The balance changed in SQL (`credits = credits + delta`), not written back from what
    this transaction read: a spend the balance no longer covers is refused as the schema's
    `credits >= 0` would refuse it (the use cases check the balance first)."""
    balance = await tx.members.add_credits(member.id, delta)
    if balance is None:
        raise ConstraintViolation(f"member {member.id}: credits would go below zero")
    return balance


async def record_response(
    tx: UnitOfWork, inmail: InMail, status: InMailStatus, rules: Rules, now: datetime
) -> InMail:
    """An InMail got its answer: settle the credit by the configured rule, and owe the
    sender the news (a reply reaches them as itself; a button press needs telling)."""
    inmail.status = status
    inmail.responded_at = now
    if status in (InMailStatus.INTERESTED, InMailStatus.NOT_INTERESTED):
        await notify(
            tx,
            inmail.sender_id,
            NotificationKind.INMAIL_ANSWERED,
            inmail.id,
            now,
            {"status": status.value},
        )
    if inmail.refund_state == RefundState.PENDING:
        if rules.refund_policy == RefundPolicy.RESPONSE and now <= inmail.refund_deadline:
            await _refund(tx, inmail, "inmail_response", now)
        else:
            inmail.refund_state = RefundState.FORFEITED
    await tx.inmails.save(inmail)
    return inmail


async def _refund(tx: UnitOfWork, inmail: InMail, reason: str, now: datetime) -> None:
    """The InMail's credit goes back to its sender, who is told (their balance changed)."""
    sender = await existing_member(tx, inmail.sender_id)
    await _move(tx, sender, LedgerKind.REFUND, 1, reason, now, inmail.id)
    inmail.refund_state = RefundState.REFUNDED
    await notify(
        tx, inmail.sender_id, NotificationKind.CREDIT_REFUNDED, inmail.id, now, {"reason": reason}
    )


async def check_can_inmail(
    tx: UnitOfWork, rules: Rules, actor: Member, target: Member, now: datetime
) -> None:
    """Every rule that stands between `actor` and an InMail to `target` (renewals due are
    credited first)."""
    await check_not_blocked(tx, actor.id, target.id)
    if await tx.connections.exists(actor.id, target.id):
        raise errors.InMailToConnection()
    if target.inmail_opt_out:
        raise errors.InMailOptedOut()
    await apply_renewals(tx, actor, rules, now)
    if actor.credits < 1:
        raise errors.NoCredits(
            renews_at=next_renewal(actor, rules), allowance=rules.allowance(actor.plan)
        )


class Credits:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def account(self, actor_id: int, entries: int = 5) -> CreditAccount:
        rules, now = self._d.rules, self._d.clock.now()
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, actor_id)
            await apply_renewals(tx, member, rules, now)
            pending = await tx.inmails.pending_refunds(actor_id)
            recent = await tx.ledger.recent(actor_id, entries)
        return CreditAccount(
            plan=member.plan,
            balance=member.credits,
            allowance=rules.allowance(member.plan),
            cap=rules.credit_cap(member.plan),
            renews_at=next_renewal(member, rules),
            pending_refunds=sum(1 for i in pending if i.status == InMailStatus.SENT),
            entries=recent,
            plans=dict(rules.plans),
        )

    async def set_plan(self, admin: Member, member_id: int, plan: str) -> Member:
        """Admins only: change a plan; the new allowance is credited at once (capped).

        Credits above the new plan's cap are kept (never taken back); renewals add more
        only once the balance is below the cap (`apply_renewals`)."""
        require_admin(self._d, admin)
        rules, now = self._d.rules, self._d.clock.now()
        plan = plan.strip().lower()
        if plan not in rules.plans:
            raise errors.UnknownPlan(plan=plan[:40], plans=sorted(rules.plans))
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, member_id)
            await apply_renewals(tx, member, rules, now)
            member.plan, member.plan_started_at, member.renewals_done = plan, now, 0
            target = min(member.credits + rules.allowance(plan), rules.credit_cap(plan))
            if target > member.credits:
                await _move(
                    tx, member, LedgerKind.GRANT, target - member.credits, f"plan:{plan}", now
                )
            else:
                await tx.members.save(member)
            return member

    async def grant(self, admin: Member, member_id: int, amount: int) -> Member:
        """Admins only: add credits by hand until payments exist."""
        require_admin(self._d, admin)
        return await self._add(member_id, amount, LedgerKind.GRANT, "admin")

    async def purchase(self, member_id: int, amount: int, reference: str) -> Member:
        return await self._add(member_id, amount, LedgerKind.PURCHASE, f"purchase:{reference}")

    async def _add(self, member_id: int, amount: int, kind: LedgerKind, reason: str) -> Member:
        if not 1 <= amount <= MAX_GRANT:
            raise errors.InvalidAmount(min=1, max=MAX_GRANT)
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, member_id)
            await apply_renewals(tx, member, self._d.rules, now)
            await _move(tx, member, kind, amount, reason, now)
            return member

    async def send_inmail(
        self,
        actor_id: int,
        target_id: int,
        subject: str,
        body: str,
        answering: Prompt | None = None,
    ) -> Delivery:
        """Spend one credit to reach a member outside one's connections (``answering``: the
        question this InMail answers ends with it, `awaiting.answered`)."""
        rules, now = self._d.rules, self._d.clock.now()
        subject, body = subject.strip(), body.strip()
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        if not subject:
            raise errors.EmptySubject()
        if len(subject) > rules.subject_max:
            raise errors.SubjectTooLong(limit=rules.subject_max, length=len(subject))
        if not body:
            raise errors.EmptyMessage()
        if len(body) > rules.inmail_body_max:
            raise errors.MessageTooLong(limit=rules.inmail_body_max, length=len(body))
        async with self._d.store.transaction() as tx:
            actor = await existing_member(tx, actor_id)
            target = await existing_member(tx, target_id)
            await check_can_inmail(tx, rules, actor, target, now)
            conversation = await tx.conversations.between(actor_id, target_id)
            if conversation is None:
                conversation = await tx.conversations.create(actor_id, target_id, now)
            message, state = await post_message(
                tx,
                conversation,
                actor_id,
                now,
                kind=MessageKind.INMAIL,
                text=body,
                subject=subject,
            )
            window = (
                rules.no_response_window
                if rules.refund_policy == RefundPolicy.NO_RESPONSE
                else rules.response_window
            )
            inmail = await tx.inmails.add(
                actor_id, target_id, conversation.id, message.id, subject, now, now + window
            )
            conversation.inmail_id = inmail.id
            await tx.conversations.save(conversation)
            await _move(tx, actor, LedgerKind.SPEND, -1, "inmail", now, inmail.id)
            await answered(tx, actor_id, answering)
        degree = Degree.from_distance(self._d.graph.distance(target_id, actor_id))
        return Delivery(
            message=message,
            conversation=conversation,
            sender=actor,
            recipient=target,
            sender_as_seen=member_view(actor, degree, contacted=True),
            recipient_state=state,
            inmail=inmail,
        )

    async def check_inmail(self, actor_id: int, target_id: int) -> MemberView:
        """Whether an InMail to `target_id` could go now, before the actor writes one: no
        member should write a whole InMail to hear then that it can't be sent. Returns the
        target as the actor may see them, for "Write your InMail to …"."""
        if actor_id == target_id:
            raise errors.CannotTargetSelf()
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            actor = await existing_member(tx, actor_id)
            target = await existing_member(tx, target_id)
            await check_can_inmail(tx, self._d.rules, actor, target, now)
        degree = Degree.from_distance(self._d.graph.distance(actor_id, target_id))
        return member_view(target, degree)

    async def respond(self, actor_id: int, inmail_id: int, interested: bool) -> InMail:
        """The recipient answers Interested / Not interested: both count as a response.
        Its thread is where the recipient is acting now: their next unaddressed message is
        offered to the sender (`Messaging.hold_unaddressed`)."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            inmail = await tx.inmails.get(inmail_id)
            if inmail is None or inmail.recipient_id != actor_id:
                raise errors.InMailNotFound()
            if inmail.status != InMailStatus.SENT:
                raise errors.InMailAlreadyAnswered(status=inmail.status.value)
            status = InMailStatus.INTERESTED if interested else InMailStatus.NOT_INTERESTED
            await tx.conversations.set_recent_peers([(actor_id, inmail.sender_id)], now)
            return await record_response(tx, inmail, status, self._d.rules, now)

    async def get_inmail(self, actor_id: int, inmail_id: int) -> InMail:
        async with self._d.store.transaction() as tx:
            inmail = await tx.inmails.get(inmail_id)
        if inmail is None or actor_id not in (inmail.sender_id, inmail.recipient_id):
            raise errors.InMailNotFound()
        return inmail

    async def news_for_sender(self, n: Notification) -> InMailNews:
        """What an InMail's sender is told by an INMAIL_ANSWERED or CREDIT_REFUNDED
        notification, in one read: the InMail, its recipient as the sender may see them,
        the answer told, and the sender's balance."""
        rules, now = self._d.rules, self._d.clock.now()
        assert n.ref_id is not None
        async with self._d.store.transaction() as tx:
            inmail = await tx.inmails.get(n.ref_id)
            if inmail is None or inmail.sender_id != n.member_id:
                raise errors.InMailNotFound()
            sender = await existing_member(tx, n.member_id)
            recipient = await existing_member(tx, inmail.recipient_id)
            await apply_renewals(tx, sender, rules, now)
        interested = inmail.status in (InMailStatus.INTERESTED, InMailStatus.REPLIED)
        degree = Degree.from_distance(self._d.graph.distance(sender.id, recipient.id))
        return InMailNews(
            inmail=inmail,
            sender=sender,
            # Answering with interest shows who one is, as a reply does; otherwise the
            # recipient stays as their degree shows them to the sender.
            other=member_view(recipient, degree, contacted=interested),
            status=InMailStatus(n.payload.get("status", inmail.status.value)),
            interested=interested,
            answered=inmail.status != InMailStatus.SENT,
            balance=sender.credits,
        )

    async def settle_expired(self, limit: int = 500) -> list[InMail]:
        """Settle InMails whose window closed unanswered (the scheduler calls this).

        Under ``no_response`` their credit comes back, and their senders are owed the news
        in the same transaction; under ``response`` it stays spent. Returns the refunded.
        """
        rules, now = self._d.rules, self._d.clock.now()
        refunded: list[InMail] = []
        async with self._d.store.transaction() as tx:
            for inmail in await tx.inmails.due_unanswered(now, limit):
                if rules.refund_policy == RefundPolicy.NO_RESPONSE:
                    await _refund(tx, inmail, "inmail_no_response", now)
                    refunded.append(inmail)
                else:
                    inmail.refund_state = RefundState.FORFEITED
                await tx.inmails.save(inmail)
        return refunded
