"""What a member's next text message answers (``members.awaiting``): the question the bot
asked, and its end in the transaction of the use case that takes the answer.

The question and its answer's effect commit together: a restart, a storage failure or a
redelivered update can neither lose the answer nor use it twice, nor send the text as a
plain message somewhere else. Asking is `bridge.core.prompts`; this module is what the
answering use cases (an invitation's note, a profile field, an InMail) need, apart so that
they can import it without importing each other.
"""

from __future__ import annotations

from enum import StrEnum

from bridge.core.models import Model
from bridge.storage.port import UnitOfWork


class PromptKind(StrEnum):
    NOTE = "note"  # arg: the member to invite
    FIELD = "field"  # arg: the profile field
    INMAIL = "inmail"  # arg: the member the InMail goes to (`Subject | Message`)
    AUTO_REPLY = "auto_reply"  # arg: "text": the automatic reply to invitations without a note
    HANDLE = "handle"  # arg: always "new" (the member's own handle)
    CONTACT_NOTE = "contact_note"  # arg: the contact the private note is on
    INTRODUCTION = "intro"  # arg: "<target>.<intermediary>": the note asking for it
    CAMPAIGN = "campaign"  # arg: the /find search whose results are the leads
    CAMPAIGN_LIST = "campaign_list"  # arg: the saved-leads list whose leads are the leads


class Prompt(Model):
    kind: PromptKind
    arg: str

    def encode(self) -> str:
        return f"{self.kind.value}:{self.arg}"

    @classmethod
    def decode(cls, text: str | None) -> Prompt | None:
        """The stored prompt; anything unreadable is no prompt (never a crash)."""
        kind, sep, arg = (text or "").partition(":")
        if not sep or kind not in {k.value for k in PromptKind} or not arg:
            return None
        numeric = (PromptKind.NOTE, PromptKind.INMAIL, PromptKind.CONTACT_NOTE, PromptKind.CAMPAIGN)
        if kind in numeric and not arg.isdigit():
            return None
        target, dot, via = arg.partition(".")
        if kind == PromptKind.INTRODUCTION and not (dot and target.isdigit() and via.isdigit()):
            return None
        return cls(kind=PromptKind(kind), arg=arg)

    @property
    def target_id(self) -> int:
        return int(self.arg.partition(".")[0])

    @property
    def intermediary_id(self) -> int:
        """An introduction's: whom the note asks."""
        return int(self.arg.partition(".")[2])


async def answered(tx: UnitOfWork, actor_id: int, prompt: Prompt | None) -> None:
    """The actor's text answered `prompt`: the question ends in this transaction, with the
    answer's effect. Call it last in the transaction (after any save of the actor), and only
    while it is still this question (another one asked meanwhile stays)."""
    if prompt is None:
        return
    member = await tx.members.get(actor_id)
    if member is not None and member.awaiting == prompt.encode():
        member.awaiting = None
        await tx.members.save(member)
