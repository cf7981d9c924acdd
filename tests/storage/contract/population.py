"""Rows the contract tests start from, written through the port only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from bridge.core.models import Conversation, Member, MessageKind, NewMember
from bridge.storage.port import Store, UnitOfWork

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)
_telegram_ids = count(1)


async def add_members(store: Store, *names: str) -> list[Member]:
    """Members named `names`, each with the lower-cased name as handle."""
    async with store.transaction() as tx:
        return [
            await tx.members.add(
                NewMember(telegram_id=next(_telegram_ids), first_name=n), n.lower(), NOW
            )
            for n in names
        ]


async def conversation(store: Store, a: Member, b: Member) -> Conversation:
    async with store.transaction() as tx:
        return await tx.conversations.create(a.id, b.id, NOW)


async def write(tx: UnitOfWork, conversation_id: int, sender: Member, text: str) -> int:
    """A plain message; its id."""
    message = await tx.messages.add(
        conversation_id, sender.id, NOW, kind=MessageKind.MESSAGE, text=text
    )
    return message.id
