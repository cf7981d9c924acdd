"""Members' templates for invitation notes, messages and InMails: ``/template save intro
Hi {{ first_name }}, …`` then ``/invite @bob #intro``.

A template may use only the recipient's and the sender's profile fields, as plain
placeholders: it is checked when saved (its syntax tree holds nothing else) and rendered by
jinja2's sandboxed environment with undefined names refused, so it can neither reach into
Python nor fail silently. The recipient's fields are those the sender may see (the degree
masking of `views.member_view`): a field their degree hides is refused by name rather than
rendered, so a template never shows the sender what the network hides from them."""

from __future__ import annotations

import re
from enum import StrEnum

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from bridge.core import errors
from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member
from bridge.core.models import Degree, Member, MessageTemplate
from bridge.core.views import member_view

NAME = re.compile(r"^[a-z0-9_-]{1,32}$")
MAX_TEMPLATES = 50
RECIPIENT_FIELDS = ("first_name", "last_name", "headline", "company", "location", "industry")
SENDER_FIELDS = tuple(f"my_{field}" for field in RECIPIENT_FIELDS)
FIELDS = RECIPIENT_FIELDS + SENDER_FIELDS
_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


class Use(StrEnum):
    """What a template is used as: each has its own length limit."""

    INVITE = "invite"
    MESSAGE = "message"
    INMAIL = "inmail"


def parse_name(raw: str) -> str:
    name = raw.strip().lstrip("#").lower()
    if not NAME.match(name):
        raise errors.InvalidTemplateName(name=raw.strip()[:40])
    return name


def check_body(body: str) -> None:
    """Refuse a template that does not parse, or uses anything but the fields."""
    try:
        tree = _ENV.parse(body)
    except TemplateSyntaxError as exc:
        raise errors.TemplateUnreadable(line=exc.lineno) from None
    for node in tree.iter_child_nodes():
        _check(node)


def _check(node: nodes.Node) -> None:
    if isinstance(node, nodes.Output):
        for child in node.nodes:
            _check(child)
    elif isinstance(node, nodes.TemplateData):
        return
    elif isinstance(node, nodes.Name) and node.name in FIELDS:
        return
    else:
        raise errors.TemplateFieldRefused(field=_described(node), fields=list(FIELDS))


def _described(node: nodes.Node) -> str:
    """What the member wrote that is refused, as they would recognize it."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_described(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_described(node.node)}[…]"
    if isinstance(node, nodes.Filter):
        return f"{_described(node.node) if node.node else ''}|{node.name}"
    if isinstance(node, nodes.Call):
        return f"{_described(node.node)}()"
    if isinstance(node, nodes.Const):
        return repr(node.value)[:40]
    return "{% " + type(node).__name__.lower() + " %}"


def _fields(sender: Member, recipient: Member, degree: Degree) -> dict[str, str | None]:
    """The values a template may use; None for a recipient's field the sender may not see
    (`member_view`'s masking: 3rd degree shows the first name, headline and industry; out
    of network, the headline only)."""
    seen = member_view(recipient, degree)
    full = degree <= Degree.SECOND
    return {
        "first_name": recipient.first_name if seen.named else None,
        "last_name": recipient.last_name if full else None,
        "headline": seen.headline,
        "company": seen.company if full else None,
        "location": seen.location if full else None,
        "industry": seen.industry if seen.named else None,
        **{f"my_{field}": getattr(sender, field) for field in RECIPIENT_FIELDS},
    }


def render_body(
    body: str, sender: Member, recipient: Member, degree: Degree, name: str, limit: int
) -> str:
    """A template's text as `sender` writes it to `recipient`: only the fields `sender` may
    see of them (`TemplateFieldHidden` names the first that is hidden), within `limit`
    (`TemplateTooLong` says by how much). /msg #name and campaigns' texts both come here."""
    values = _fields(sender, recipient, degree)
    check_body(body)  # saved by an older version: checked again
    tree = _ENV.parse(body)
    used = {n.name for n in tree.find_all(nodes.Name)}
    hidden = sorted(f for f in used if values.get(f) is None)
    if hidden:
        raise errors.TemplateFieldHidden(field=hidden[0])
    try:
        text = _ENV.from_string(body).render(**values).strip()
    except TemplateError:
        raise errors.TemplateUnreadable(line=1) from None
    if len(text) > limit:
        raise errors.TemplateTooLong(name=name, length=len(text), limit=limit)
    if not text:
        raise errors.EmptyMessage()
    return text


class Templates:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def save(self, actor_id: int, name: str, body: str) -> MessageTemplate:
        name, body = parse_name(name), body.strip()
        if not body:
            raise errors.EmptyMessage()
        if len(body) > self._d.rules.message_max:
            raise errors.MessageTooLong(limit=self._d.rules.message_max, length=len(body))
        check_body(body)
        template = MessageTemplate(
            member_id=actor_id, name=name, body=body, updated_at=self._d.clock.now()
        )
        async with self._d.store.transaction() as tx:
            await existing_member(tx, actor_id)
            mine = await tx.templates.list(actor_id)
            if len(mine) >= MAX_TEMPLATES and name not in {t.name for t in mine}:
                raise errors.TooManyTemplates(limit=MAX_TEMPLATES)
            await tx.templates.save(template)
        return template

    async def list(self, actor_id: int) -> list[MessageTemplate]:
        async with self._d.store.read() as tx:
            return await tx.templates.list(actor_id)

    async def get(self, actor_id: int, name: str) -> MessageTemplate:
        name = parse_name(name)
        async with self._d.store.read() as tx:
            template = await tx.templates.get(actor_id, name)
        if template is None:
            raise errors.TemplateNotFound(name=name)
        return template

    async def delete(self, actor_id: int, name: str) -> str:
        name = parse_name(name)
        async with self._d.store.transaction() as tx:
            if not await tx.templates.delete(actor_id, name):
                raise errors.TemplateNotFound(name=name)
        return name

    async def render(self, actor_id: int, target_id: int, name: str, use: Use) -> str:
        """The text of template `name` written by `actor_id` to `target_id`, within what
        `use` allows (TemplateTooLong says by how much it is over)."""
        template = await self.get(actor_id, name)
        async with self._d.store.read() as tx:
            sender = await existing_member(tx, actor_id)
            recipient = await existing_member(tx, target_id)
        degree = Degree.from_distance(self._d.graph.distance(actor_id, target_id))
        return render_body(template.body, sender, recipient, degree, template.name, self.limit(use))

    def limit(self, use: Use) -> int:
        rules = self._d.rules
        if use == Use.INVITE:
            return rules.note_max
        if use == Use.INMAIL:
            return rules.subject_max + rules.inmail_body_max + 3  # "subject | body"
        return rules.message_max
