"""Typed errors of the network's rules.

Each error has a stable ``code`` (the key of its localized text in ``bridge/templates/errors.j2``)
and the ``params`` that text needs, so the front end maps errors to messages by type, not by
parsing strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar


class BridgeError(Exception):
    """Base of every rule violation the core reports to a member."""

    code: ClassVar[str] = "error"

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(f"{self.code} {params}" if params else self.code)


# --- members and profiles ---------------------------------------------------------------
class MemberNotFound(BridgeError):
    code = "member_not_found"


class NotRegistered(BridgeError):
    code = "not_registered"


class UnknownProfileField(BridgeError):
    code = "unknown_profile_field"


class ProfileFieldTooLong(BridgeError):
    code = "profile_field_too_long"


class InvalidHandle(BridgeError):
    code = "invalid_handle"


class CannotTargetSelf(BridgeError):
    code = "cannot_target_self"


class YouBlockedThem(BridgeError):
    code = "you_blocked_them"


class TheyBlockedYou(BridgeError):
    code = "they_blocked_you"


class AlreadyBlocked(BridgeError):
    code = "already_blocked"


class NotBlocked(BridgeError):
    code = "not_blocked"


class InvalidTime(BridgeError):
    code = "invalid_time"


class InvalidTimezone(BridgeError):
    code = "invalid_timezone"


class InvalidSetting(BridgeError):
    code = "invalid_setting"


# --- invitations ------------------------------------------------------------------------
class AlreadyConnected(BridgeError):
    code = "already_connected"


class InvitationAlreadyPending(BridgeError):
    code = "invitation_already_pending"


class NoteTooLong(BridgeError):
    code = "note_too_long"


class ReinviteTooSoon(BridgeError):
    """After a decline or a withdrawal the same person can't be invited again for a while."""

    code = "reinvite_too_soon"

    def __init__(self, until: datetime) -> None:
        super().__init__(until=until)


class InvitationLimitReached(BridgeError):
    code = "invitation_limit_reached"

    def __init__(self, limit: int, next_at: datetime) -> None:
        super().__init__(limit=limit, next_at=next_at)


class InvitationsRestricted(BridgeError):
    """The target accepts invitations from 2nd-degree members only."""

    code = "invitations_restricted"


class InvitationNotFound(BridgeError):
    code = "invitation_not_found"


class InvitationNotPending(BridgeError):
    code = "invitation_not_pending"

    def __init__(self, status: str) -> None:
        super().__init__(status=status)


class NotInvitationRecipient(BridgeError):
    code = "not_invitation_recipient"


class NotInvitationSender(BridgeError):
    code = "not_invitation_sender"


class OwnInvitation(BridgeError):
    """`/accept @x` or `/decline @x` where the invitation is the actor's own, to @x."""

    code = "own_invitation"

    def __init__(self, handle: str) -> None:
        super().__init__(handle=handle)


class NotConnected(BridgeError):
    """Raised on a message to a non-connection; ``ways`` says which other ways are open."""

    code = "not_connected"

    def __init__(self, ways: list[str]) -> None:
        super().__init__(ways=ways)


# --- messaging --------------------------------------------------------------------------
class ThreadClosed(BridgeError):
    """The invitation behind this thread was declined or withdrawn: no more messages."""

    code = "thread_closed"


class InMailThreadClosed(BridgeError):
    """The InMail's sender can write again only once the recipient answered it."""

    code = "inmail_thread_closed"


class EmptyMessage(BridgeError):
    code = "empty_message"


class MessageTooLong(BridgeError):
    code = "message_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


class MessageNotFound(BridgeError):
    code = "message_not_found"


class NotMessageAuthor(BridgeError):
    code = "not_message_author"


class ConversationNotFound(BridgeError):
    code = "conversation_not_found"


class InvalidReaction(BridgeError):
    code = "invalid_reaction"


class NothingUnread(BridgeError):
    code = "nothing_to_mark_unread"


# --- InMail and credits -----------------------------------------------------------------
class InMailOptedOut(BridgeError):
    code = "inmail_opted_out"


class NoCredits(BridgeError):
    code = "no_credits"

    def __init__(self, renews_at: datetime | None, allowance: int) -> None:
        super().__init__(renews_at=renews_at, allowance=allowance)


class SubjectTooLong(BridgeError):
    code = "subject_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


class EmptySubject(BridgeError):
    code = "empty_subject"


class InMailNotFound(BridgeError):
    code = "inmail_not_found"


class InMailAlreadyAnswered(BridgeError):
    code = "inmail_already_answered"


class UnknownPlan(BridgeError):
    code = "unknown_plan"

    def __init__(self, plan: str, plans: list[str]) -> None:
        super().__init__(plan=plan, plans=plans)


class InvalidAmount(BridgeError):
    code = "invalid_amount"


class NotAdmin(BridgeError):
    code = "not_admin"


class NotAConnection(BridgeError):
    code = "not_a_connection"


class EmptyQuery(BridgeError):
    code = "empty_query"


class InMailToConnection(BridgeError):
    """1st-degree connections are messaged for free; an InMail would waste a credit."""

    code = "inmail_to_connection"


class QueryTooLong(BridgeError):
    code = "query_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


class SearchExpired(BridgeError):
    """A results page of a search that is no longer kept (or not the member's)."""

    code = "search_expired"


class HeldMessageGone(BridgeError):
    """A "Send to …" button whose message was already sent, or is no longer kept."""

    code = "held_message_gone"


# --- introductions ----------------------------------------------------------------------
class IntroductionNotNeeded(BridgeError):
    """The member is already a connection: write to them."""

    code = "introduction_not_needed"


class NoIntroductionPath(BridgeError):
    """None of the actor's connections knows the member (out of network)."""

    code = "introduction_no_path"


class IntroductionAlreadyAsked(BridgeError):
    code = "introduction_already_asked"


class IntermediaryUnavailable(BridgeError):
    """The connection chosen to introduce is not (or no longer) one who knows the member."""

    code = "intermediary_unavailable"


class IntroductionNotAvailable(BridgeError):
    """Answered already, or asked of someone else: only the asked connection answers, once."""

    code = "introduction_not_available"


class IntroductionNoteTooLong(BridgeError):
    code = "introduction_note_too_long"

    def __init__(self, limit: int, length: int) -> None:
        super().__init__(limit=limit, length=length)


# --- saved searches ---------------------------------------------------------------------
class SearchAlreadySaved(BridgeError):
    code = "search_already_saved"

    def __init__(self, query: str) -> None:
        super().__init__(query=query)


class TooManySavedSearches(BridgeError):
    code = "too_many_saved_searches"

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit)


class SavedSearchNotFound(BridgeError):
    """Deleted already, or another member's."""

    code = "saved_search_not_found"


# --- campaigns --------------------------------------------------------------------------
class NeedsProspectingPlan(BridgeError):
    code = "needs_prospecting_plan"

    def __init__(self, plans: list[str]) -> None:
        super().__init__(plans=plans)


class CampaignSpecInvalid(BridgeError):
    """A line of `/campaign new` that can't be read (what it should look like is in the text)."""

    code = "campaign_spec_invalid"

    def __init__(self, line: str) -> None:
        super().__init__(line=line)


class CampaignWithoutLeads(BridgeError):
    """Nobody to prospect: the search found no one outside the member's connections."""

    code = "campaign_without_leads"


class CampaignNotFound(BridgeError):
    code = "campaign_not_found"


class CampaignStopped(BridgeError):
    """A stopped campaign stays stopped (start a new one)."""

    code = "campaign_stopped"
