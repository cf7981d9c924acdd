"""Members' message templates through the port: one per member and name, replaced by a
save under the same name, listed by name, each member's own."""

from __future__ import annotations

from bridge.core.models import MessageTemplate
from bridge.storage.port import Store
from tests.storage.contract.population import LATER, NOW, add_members


async def test_templates_are_per_member_and_name(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    intro = MessageTemplate(
        member_id=ann.id, name="intro", body="Hi {{ first_name }}", updated_at=NOW
    )
    async with store.transaction() as tx:
        await tx.templates.save(intro)
        await tx.templates.save(intro.model_copy(update={"name": "bye"}))
        await tx.templates.save(intro.model_copy(update={"member_id": bob.id}))
        replaced = intro.model_copy(update={"body": "Hello", "updated_at": LATER})
        await tx.templates.save(replaced)
    async with store.read() as tx:
        assert await tx.templates.get(ann.id, "intro") == replaced
        assert [t.name for t in await tx.templates.list(ann.id)] == ["bye", "intro"]
        assert await tx.templates.get(ann.id, "nope") is None
    async with store.transaction() as tx:
        assert await tx.templates.delete(ann.id, "intro") is True
        assert await tx.templates.delete(ann.id, "intro") is False
    async with store.read() as tx:
        assert [t.name for t in await tx.templates.list(ann.id)] == ["bye"]
        assert [t.name for t in await tx.templates.list(bob.id)] == ["intro"]
