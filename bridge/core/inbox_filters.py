"""What each inbox filter shows, stated once in the core: the storage builds its queries from
these rules (`bridge.storage.sql.inbox`), and tests hold the queries to `shows`.

A page's header counts the unread messages and people among the conversations its filter
shows — never the whole inbox's — so "Archived" never claims unread messages above a page of
read conversations.
"""

from __future__ import annotations

from dataclasses import dataclass

from bridge.core.models import ConversationState, InboxFilter


@dataclass(frozen=True)
class FilterRule:
    """Conditions on a member's side of a conversation; None means either way."""

    spam: bool | None = False  # reported as spam by the member
    archived: bool | None = None
    unread: bool | None = None  # something from the other side not read yet
    inmail: bool | None = None  # the member received an InMail in it
    invitation_to_me: bool | None = None  # a pending invitation the member received
    # A message the member can see (deleting "for me" hides what came before). An
    # invitation sent without a note has none, and still waits for an answer.
    needs_message: bool = True


RULES: dict[InboxFilter, FilterRule] = {
    InboxFilter.ALL: FilterRule(archived=False),  # archived and spam are not in "all"
    InboxFilter.UNREAD: FilterRule(unread=True),  # archived or not
    InboxFilter.ARCHIVED: FilterRule(archived=True),
    InboxFilter.INMAIL: FilterRule(inmail=True),
    InboxFilter.SPAM: FilterRule(spam=True),
    InboxFilter.INVITATIONS: FilterRule(invitation_to_me=True, needs_message=False),
}


def header_rule(filter: InboxFilter) -> FilterRule:
    """What a page's header counts: the filter's conversations that have something unread."""
    rule = RULES[filter]
    return FilterRule(
        spam=rule.spam,
        archived=rule.archived,
        unread=True,
        inmail=rule.inmail,
        invitation_to_me=rule.invitation_to_me,
        needs_message=rule.needs_message,
    )


def shows(
    filter: InboxFilter,
    state: ConversationState,
    *,
    has_visible_message: bool,
    invitation_to_me: bool,
) -> bool:
    """Whether the filter lists this conversation (the reference the SQL is tested against)."""
    rule = RULES[filter]
    facts = {
        "spam": state.spam,
        "archived": state.archived,
        "unread": state.unread_count > 0,
        "inmail": state.inmail,
        "invitation_to_me": invitation_to_me,
    }
    if rule.needs_message and not has_visible_message:
        return False
    return all(getattr(rule, name) in (None, value) for name, value in facts.items())
