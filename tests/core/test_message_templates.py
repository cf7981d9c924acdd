"""Message templates, on every storage backend: saved by name, only the allowed fields (and
nothing of Python) reachable, the recipient's fields as the sender may see them, and the
length limit of what the template is used for."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.message_templates import FIELDS, MAX_TEMPLATES, Use
from tests.conftest import MakeMember, connect


async def test_save_list_replace_delete(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    await core.templates.save(alice.id, "#Intro", "Hi {{ first_name }}")
    await core.templates.save(alice.id, "follow-up", "Any news, {{ first_name }}?")
    await core.templates.save(alice.id, "intro", "Hello {{ first_name }}")  # replaced
    names = [(t.name, t.body) for t in await core.templates.list(alice.id)]
    assert names == [
        ("follow-up", "Any news, {{ first_name }}?"),
        ("intro", "Hello {{ first_name }}"),
    ]
    assert await core.templates.delete(alice.id, "intro") == "intro"
    with pytest.raises(errors.TemplateNotFound):
        await core.templates.delete(alice.id, "intro")
    bob = await member("Bob")
    assert await core.templates.list(bob.id) == []
    with pytest.raises(errors.TemplateNotFound):  # another member's templates are not yours
        await core.templates.render(bob.id, alice.id, "follow-up", Use.MESSAGE)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("Hi {{ name }}", "name"),
        ("{{ first_name.__class__ }}", "first_name.__class__"),
        ("{{ first_name.upper() }}", "first_name.upper()"),
        ("{{ first_name|upper }}", "first_name|upper"),
        ("{{ cycler.__init__.__globals__ }}", "cycler.__init__.__globals__"),
        ("{% for x in first_name %}{{ x }}{% endfor %}", "{% for %}"),
        ("{% set a = 1 %}", "{% assign %}"),
        ("{{ 7 * 7 }}", "{% mul %}"),
    ],
)
async def test_anything_but_the_fields_is_refused_by_name(
    core: Core, member: MakeMember, body: str, field: str
) -> None:
    alice = await member("Alice")
    with pytest.raises(errors.TemplateFieldRefused) as refused:
        await core.templates.save(alice.id, "bad", body)
    assert refused.value.params == {"field": field, "fields": list(FIELDS)}
    assert await core.templates.list(alice.id) == []


async def test_bad_names_syntax_and_sizes(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    for name in ("", "two words", "é", "x" * 33):
        with pytest.raises(errors.InvalidTemplateName):
            await core.templates.save(alice.id, name, "Hi")
    with pytest.raises(errors.TemplateUnreadable) as unreadable:
        await core.templates.save(alice.id, "t", "Hi\n{{ first_name ")
    assert unreadable.value.params == {"line": 2}
    with pytest.raises(errors.EmptyMessage):
        await core.templates.save(alice.id, "t", "  ")
    with pytest.raises(errors.MessageTooLong):
        await core.templates.save(alice.id, "t", "x" * 8001)
    for n in range(MAX_TEMPLATES):
        await core.templates.save(alice.id, f"t{n}", "Hi")
    with pytest.raises(errors.TooManyTemplates):
        await core.templates.save(alice.id, "one-more", "Hi")
    await core.templates.save(alice.id, "t0", "Hello")  # replacing one is fine


async def test_rendered_with_both_members_fields(core: Core, member: MakeMember) -> None:
    alice = await member("Alice", company="Acme")
    bob = await member("Bob", "Durand", company="Globex", headline="CTO")
    await connect(core, alice, bob)
    await core.templates.save(
        alice.id,
        "hi",
        "Hi {{ first_name }} {{ last_name }} ({{ headline }} at {{ company }}), "
        "{{ my_first_name }} from {{ my_company }}",
    )
    text = await core.templates.render(alice.id, bob.id, "#hi", Use.MESSAGE)
    assert text == "Hi Bob Durand (CTO at Globex), Alice from Acme"


async def test_a_hidden_field_never_renders(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    zoe = await member("Zoe", "Secret", company="Hidden Co", headline="Designer")
    await core.templates.save(alice.id, "name", "Hi {{ first_name }}")
    await core.templates.save(alice.id, "company", "At {{ company }}?")
    await core.templates.save(alice.id, "headline", "Loved your work as {{ headline }}")
    for name, field in (("name", "first_name"), ("company", "company")):
        with pytest.raises(errors.TemplateFieldHidden) as hidden:
            await core.templates.render(alice.id, zoe.id, name, Use.INVITE)
        assert hidden.value.params == {"field": field}
    assert (
        await core.templates.render(alice.id, zoe.id, "headline", Use.INVITE)
        == "Loved your work as Designer"
    )


async def test_an_invitation_note_must_fit_and_says_by_how_much(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await core.templates.save(alice.id, "long", "x" * 295 + " {{ my_first_name }}")
    with pytest.raises(errors.TemplateTooLong) as too_long:
        await core.templates.render(alice.id, bob.id, "long", Use.INVITE)
    assert too_long.value.params == {"name": "long", "length": 301, "limit": 300, "over": 1}
    assert len(await core.templates.render(alice.id, bob.id, "long", Use.MESSAGE)) == 301
